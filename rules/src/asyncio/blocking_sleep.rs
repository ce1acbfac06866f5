use tauten_engine::edits::add_module_statement;
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
    /// The fix awaits the event loop's sleep instead: `await asyncio.sleep(...)` (`trio.sleep` or
    /// `anyio.sleep` when the module imports trio or anyio and not asyncio), importing the module
    /// when needed. It is unsafe: other tasks now run during the delay, which is the point, but
    /// changes timing.
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
        ctx,
        out,
    );
    for diagnostic in &mut out[start..] {
        diagnostic.fix = await_event_loop_sleep(ctx, diagnostic.range);
    }
}

/// `time.sleep(x)` -> `await asyncio.sleep(x)`.
fn await_event_loop_sleep(ctx: &Context<'_>, call: TextRange) -> Option<Fix> {
    let node = blocking::call_node(ctx, call)?;
    let function = node.field(Field::Function)?;
    let (library, bound) = blocking::event_loop_library(ctx.semantic);
    let mut edits = vec![
        Edit::insertion(call.start, "await "),
        Edit::replacement(TextRange::of_node(function), format!("{library}.sleep")),
    ];
    if !bound {
        edits.push(add_module_statement(
            ctx.tree,
            ctx.source,
            &format!("import {library}"),
        ));
    }
    let title = format!("Use `await {library}.sleep(...)`");
    Some(Fix::new(title, Applicability::Unsafe, edits))
}
