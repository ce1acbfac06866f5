//! The aiofiles rewrite of a file opened in a `with` block inside `async def`:
//! `with open(p) as f: data = f.read()` -> `async with aiofiles.open(p) as f: data = await f.read()`.

use tauten_engine::edits::add_module_statement;
use tauten_engine::syntax::NodeKind;
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::{Applicability, Context, Edit, Fix, TextRange};
use tree_sitter::Node;

/// The file methods aiofiles makes awaitable.
const AWAITED_METHODS: &[&str] = &[
    "close",
    "flush",
    "read",
    "readline",
    "readlines",
    "seek",
    "tell",
    "truncate",
    "write",
    "writelines",
];

/// The rewrite of the `open(...)` call at `range`, when the project uses aiofiles, the call is the
/// only item of a `with ... as name:` statement, and every use of `name` is an awaitable method
/// call or the iterable of a `for` loop, inside the block. `None` otherwise.
pub fn aiofiles_fix(ctx: &Context<'_>, call: Node<'_>, callee: &str) -> Option<Fix> {
    if !matches!(callee, "builtins.open" | "io.open") {
        return None;
    }
    let aiofiles_bound = super::blocking::imports_module(ctx.semantic, "aiofiles");
    if !(ctx.settings.asyncio.aiofiles || aiofiles_bound) {
        return None;
    }
    let pattern = call.parent().filter(|p| p.kind_name() == "as_pattern")?;
    let item = pattern.parent().filter(|p| p.kind_name() == "with_item")?;
    let clause = item.parent().filter(|p| p.kind_name() == "with_clause")?;
    let with = clause
        .parent()
        .filter(|p| p.kind_name() == "with_statement")?;
    if clause.named_child_count() != 1 || with.child(0)?.kind_name() != "with" {
        return None;
    }
    let target = pattern
        .field(Field::Alias)
        .and_then(|t| t.named_child(0))
        .filter(|t| t.kind_name() == "identifier")?;
    let body = with.field(Field::Body)?;
    let mut edits = vec![
        Edit::insertion(with.start_byte(), "async "),
        Edit::replacement(
            TextRange::of_node(call.field(Field::Function)?),
            "aiofiles.open",
        ),
    ];
    edits.extend(uses_made_async(ctx, target, body)?);
    if !aiofiles_bound {
        edits.push(add_module_statement(
            ctx.tree,
            ctx.source,
            "import aiofiles",
        ));
    }
    Some(Fix::new(
        "Open it with aiofiles: `async with aiofiles.open(...)`, awaiting its reads and writes",
        Applicability::Unsafe,
        edits,
    ))
}

/// The edits awaiting each use of the file bound at `target`, or `None` when one cannot be made
/// async (the file passed elsewhere, used after the block, rebound, or used in a nested function).
fn uses_made_async(ctx: &Context<'_>, target: Node<'_>, body: Node<'_>) -> Option<Vec<Edit>> {
    let semantic = ctx.semantic;
    let target_range = TextRange::of_node(target);
    let binding_id = semantic
        .bindings
        .iter()
        .position(|b| b.range == target_range)?;
    let binding = &semantic.bindings[binding_id];
    let rebound = semantic
        .scope(binding.scope)
        .bindings
        .iter()
        .filter(|id| semantic.binding(**id).name == binding.name)
        .count()
        > 1;
    if rebound {
        return None;
    }
    let body_range = TextRange::of_node(body);
    let mut edits = Vec::new();
    for reference in &binding.references {
        let reference = semantic.reference(*reference);
        if reference.scope != binding.scope
            || reference.range.start < body_range.start
            || reference.range.end > body_range.end
        {
            return None;
        }
        let name = tauten_engine::edits::find_node(ctx.tree, reference.range)?;
        let parent = name.parent()?;
        match parent.kind_name() {
            "attribute" if parent.field(Field::Object) == Some(name) => {
                let method = parent.field(Field::Attribute)?;
                let call = parent.parent().filter(|c| {
                    c.kind_name() == "call" && c.field(Field::Function) == Some(parent)
                })?;
                if !AWAITED_METHODS.contains(&ctx.source.get(method.byte_range())?) {
                    return None;
                }
                let outer = call.parent()?;
                if outer.kind_name() == "await" {
                    return None;
                }
                let call_text = ctx.source.get(call.byte_range())?;
                let needs_parentheses =
                    matches!(outer.kind_name(), "attribute" | "subscript" | "call");
                let replacement = if needs_parentheses {
                    format!("(await {call_text})")
                } else {
                    format!("await {call_text}")
                };
                edits.push(Edit::replacement(TextRange::of_node(call), replacement));
            }
            "for_statement" if parent.field(Field::Right) == Some(name) => {
                if parent.child(0)?.kind_name() != "for" {
                    return None;
                }
                edits.push(Edit::insertion(parent.start_byte(), "async "));
            }
            _ => return None,
        }
    }
    // A use inside another's arguments (`f.write(f.read())`) would need nested edits.
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let overlapping = edits
        .windows(2)
        .any(|pair| pair[0].range.end > pair[1].range.start);
    (!overlapping).then_some(edits)
}
