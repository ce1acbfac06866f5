//! The blocking calls the TAU5xx rules look for, by qualified name, and the check they share.

use tauten_engine::edits::{add_module_statement, find_node};
use tauten_engine::semantic::SemanticModel;
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::{Applicability, Context, Diagnostic, Edit, Fix, RuleMeta, TextRange};
use tree_sitter::Node;

pub use tauten_engine::blocking::*;

/// How a rule offers to fix the blocking calls it reports.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    None,
    /// `f(args)` -> `await asyncio.to_thread(f, args)`.
    ToThread,
    /// For a call opening a `with` block (whose reads would still block in a thread), the
    /// aiofiles rewrite where the project uses aiofiles; otherwise as `ToThread`.
    AiofilesOrToThread,
}

/// Report every call in an `async def` body to a function `reported` accepts (and the user's
/// settings do not allow).
pub fn check(
    meta: &'static RuleMeta,
    reported: impl Fn(&str) -> bool,
    what: &str,
    offer: Offer,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for call in &ctx.semantic.async_calls {
        let Some(name) = &call.callee else { continue };
        if reported(name) && !is_allowed(name, &ctx.settings.asyncio) {
            let message = format!("`{name}()` {what} inside `async def`, stalling the event loop");
            let fix = match offer {
                Offer::None => None,
                Offer::ToThread => to_thread_fix(ctx, call.range, false),
                Offer::AiofilesOrToThread => {
                    super::aiofiles_fix::aiofiles_fix(ctx, call.range, name)
                        .or_else(|| to_thread_fix(ctx, call.range, true))
                }
            };
            out.push(Diagnostic::new(meta, message, call.range).with_fix(fix));
        }
    }
}

/// The call node spanning exactly `range` (the outermost node there may be its statement).
pub fn call_node<'t>(ctx: &Context<'t>, range: TextRange) -> Option<Node<'t>> {
    let mut node = find_node(ctx.tree, range)?;
    while node.kind() != "call" {
        node = node
            .named_child(0)
            .filter(|c| TextRange::of_node(*c) == range)?;
    }
    Some(node)
}

/// The event loop library the module uses, and whether it is imported as a plain name.
pub fn event_loop_library(semantic: &SemanticModel) -> (&'static str, bool) {
    for library in ["asyncio", "trio", "anyio"] {
        if imports_module(semantic, library) {
            return (library, true);
        }
    }
    ("asyncio", false)
}

/// `f(a, k=b)` -> `await asyncio.to_thread(f, a, k=b)`, importing asyncio when needed; in a
/// module that uses trio or anyio, `await trio.to_thread.run_sync(f, a)` (their `run_sync` takes
/// no keyword arguments: with some, the call goes through `functools.partial`). Not offered for a
/// generator argument; with `outside_with`, not for the expression of a `with` item.
pub fn to_thread_fix(ctx: &Context<'_>, range: TextRange, outside_with: bool) -> Option<Fix> {
    let (library, bound) = event_loop_library(ctx.semantic);
    let call = call_node(ctx, range)?;
    if outside_with
        && call
            .parent()
            .is_some_and(|p| matches!(p.kind(), "with_item" | "as_pattern"))
    {
        return None;
    }
    let function = call.field(Field::Function)?;
    let arguments = call
        .field(Field::Arguments)
        .filter(|a| a.kind() == "argument_list")?;
    let inner = ctx
        .source
        .get(arguments.start_byte() + 1..arguments.end_byte() - 1)?
        .trim();
    let callee = ctx.source.get(function.byte_range())?;
    let mut cursor = arguments.walk();
    let has_keywords = arguments
        .named_children(&mut cursor)
        .any(|a| matches!(a.kind(), "keyword_argument" | "dictionary_splat"));
    let mut imports = Vec::new();
    if !bound {
        imports.push("import asyncio");
    }
    let (runner, arguments) = match library {
        "asyncio" => ("asyncio.to_thread", join_call(callee, inner)),
        other => {
            let runner = if other == "trio" {
                "trio.to_thread.run_sync"
            } else {
                "anyio.to_thread.run_sync"
            };
            if has_keywords {
                if !imports_module(ctx.semantic, "functools") {
                    imports.push("import functools");
                }
                (
                    runner,
                    format!("functools.partial({})", join_call(callee, inner)),
                )
            } else {
                (runner, join_call(callee, inner))
            }
        }
    };
    let mut edits = vec![Edit::replacement(
        range,
        format!("await {runner}({arguments})"),
    )];
    edits.extend(
        imports
            .into_iter()
            .map(|statement| add_module_statement(ctx.tree, ctx.source, statement)),
    );
    Some(Fix::new(
        format!("Run it in a thread: `await {runner}(...)`"),
        Applicability::Unsafe,
        edits,
    ))
}

/// `f, a, k=b`: the callee followed by the call's arguments, if any.
fn join_call(callee: &str, inner: &str) -> String {
    if inner.is_empty() {
        callee.to_owned()
    } else {
        format!("{callee}, {inner}")
    }
}

/// True when the module binds `module` by a plain `import module`.
pub(super) fn imports_module(semantic: &SemanticModel, module: &str) -> bool {
    semantic
        .lookup(SemanticModel::MODULE, module)
        .and_then(|b| semantic.binding(b).as_import().map(|i| i.module == module))
        .unwrap_or(false)
}
