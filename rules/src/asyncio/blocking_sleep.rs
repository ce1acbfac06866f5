use tauten_engine::edits::add_module_statement;
use tauten_engine::semantic::SemanticModel;
use tauten_engine::syntax::NodeKind;
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::{
    declare_rule, Applicability, Context, Diagnostic, Edit, Fix, RuleMeta, TextRange,
};

use super::blocking;

declare_rule! {
    /// Finds `time.sleep()` calls inside `async def`.
    ///
    /// ## What it does
    /// Reports the call, with the qualified name it resolves to through imports and aliases (`from time import sleep as nap` is still `time.sleep`); a local function of the same name is not it. Calls in a nested `def` or `lambda` inside the `async def` are not reported: those run elsewhere (or in a thread).
    ///
    /// A call whose result is awaited (`await x.get(...)`) returns an awaitable: it is not a
    /// blocking call and is not reported (in `await x.get_code(f).wait()`, `x.get_code(f)` is not
    /// awaited and can be). A parameter annotated with a class (`p: Path`, `pathlib.Path`, `Path |
    /// None`, `Optional[Path]`, `"Path"`) gives its method calls a receiver type, as a variable
    /// bound to a constructor call does.
    ///
    /// ## Calls
    /// `time.sleep`.
    ///
    /// ## Why is this bad?
    /// `time.sleep` blocks the thread, and with it every task of the event loop, for the whole delay.
    ///
    /// ## Example
    /// ```python
    /// import time
    ///
    /// async def poll():
    ///     time.sleep(1)
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio
    ///
    /// async def poll():
    ///     await asyncio.sleep(1)
    /// ```
    ///
    /// ## Fix safety
    /// The fix awaits the event loop's sleep instead: `await asyncio.sleep(...)` (`anyio.sleep`
    /// where the module imports anyio in any form, `trio.sleep` where it imports trio and not
    /// anyio), importing the module when needed. It is unsafe: other tasks now run during the
    /// delay, which is the point, but changes timing. Not offered where `await` cannot go (a
    /// generator expression, a `with` item, while a `threading` lock is held); the message says
    /// why.
    pub struct BlockingSleep {
        code: "TAU501",
        name: "blocking-sleep",
        family: Async,
        fix: Sometimes,
        equivalents: [("ruff", "ASYNC251"), ("flake8-async", "ASYNC251")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let start = out.len();
    blocking::check(
        meta,
        |name| blocking::in_table(blocking::SLEEP, name),
        "sleeps",
        blocking::Offer::None,
        blocking::Paths::All,
        ctx,
        out,
    );
    for diagnostic in &mut out[start..] {
        let fix = await_event_loop_sleep(ctx, diagnostic.range);
        *diagnostic = blocking::with_fix_or_reason(diagnostic.clone(), fix.map(Some));
    }
}

/// `time.sleep(x)` -> `await asyncio.sleep(x)`, built from the call node.
fn await_event_loop_sleep(ctx: &Context<'_>, call: TextRange) -> Result<Fix, String> {
    let node = blocking::call_node(ctx, call).ok_or("not a plain call")?;
    let parenthesize = blocking::await_site(ctx, node)?;
    let arguments = node
        .field(Field::Arguments)
        .filter(|a| a.kind_name() == "argument_list")
        .ok_or("its argument is a bare generator expression")?;
    let library = blocking::event_loop_library(ctx.semantic, ctx.module, ctx.project);
    let (name, import) = match blocking::module_name_for(ctx.semantic, library) {
        Some(bound) => (bound, None),
        None => (library.to_owned(), Some(format!("import {library}"))),
    };
    let text = format!("await {name}.sleep{}", &ctx.source[arguments.byte_range()]);
    let mut edits = vec![Edit::replacement(
        TextRange::of_node(node),
        blocking::parenthesized(text, parenthesize),
    )];
    if let Some(import) = import {
        if ctx
            .semantic
            .lookup(SemanticModel::MODULE, library)
            .is_some()
        {
            return Err(format!("`{library}` names something else in this module"));
        }
        edits.push(add_module_statement(ctx.tree, ctx.source, &import));
    }
    let title = format!("Use `await {library}.sleep(...)`");
    Ok(Fix::new(title, Applicability::Unsafe, edits))
}
