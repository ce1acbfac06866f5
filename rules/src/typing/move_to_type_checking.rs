//! The fix of TAU201: take names out of a run-time import and import them under
//! `if TYPE_CHECKING:` instead, creating the block (and the `TYPE_CHECKING` import) when needed.

use tauten_engine::edits::{find_node, remove_import_clauses};
use tauten_engine::semantic::{BindingKind, ImportKind, SemanticModel};
use tauten_engine::source::detect_line_ending;
use tauten_engine::syntax::NodeKind;
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::{Context, Edit, TextRange};
use tree_sitter::Node;

use super::import_text::import_statement_for;

/// Where moved imports go in one module, worked out once per file.
pub struct Destination<'t> {
    /// The body of an existing module-level `if TYPE_CHECKING:` block.
    block: Option<Node<'t>>,
    /// Otherwise: where a new block goes (after the last module-level import).
    insertion: Option<InsertionPoint>,
    /// How the module spells `TYPE_CHECKING` with what it imports already.
    spelling: Option<String>,
}

impl<'t> Destination<'t> {
    pub fn of(ctx: &Context<'t>) -> Self {
        let block = existing_block(ctx);
        Destination {
            insertion: block.is_none().then(|| after_last_import(ctx)).flatten(),
            spelling: block
                .is_none()
                .then(|| type_checking_spelling(ctx.semantic))
                .flatten(),
            block,
        }
    }
}

/// The edits that move `clauses` of the module-level import at `statement` into `destination`.
/// `None` when the statement or a place for the block cannot be found.
pub fn move_to_type_checking(
    ctx: &Context<'_>,
    destination: &Destination<'_>,
    statement: TextRange,
    clauses: &[TextRange],
) -> Option<Vec<Edit>> {
    let node = find_node(ctx.tree, statement)?;
    if node.parent()?.kind_name() != "module" {
        return None;
    }
    let import = import_statement_for(node, ctx.source, clauses)?;
    let newline = detect_line_ending(ctx.source);
    let mut edits = remove_import_clauses(ctx.tree, ctx.source, statement, clauses)?;
    if let Some(body) = destination.block {
        // Append to the block, at the indentation of its first statement.
        let first = body.named_child(0)?;
        let lines = ctx.lines();
        let line_start = lines.line_start(lines.line_of(first.start_byte()));
        let indent = &ctx.source[line_start..first.start_byte()];
        let last = last_statement(body)?;
        let end = line_end(ctx.source, last.end_byte());
        // Other imports moved in the same pass append their lines at the same place.
        edits.push(Edit::joinable_insertion(
            end,
            format!("{newline}{indent}{import}"),
        ));
        return Some(edits);
    }
    // A new block: its opening is the same edit in every fix that creates it, so that fixes
    // moving other imports make it once and append their lines to it in the same pass.
    let at = destination.insertion.as_ref()?;
    let mut opening = String::new();
    if at.needs_newline_before {
        opening.push_str(newline);
    }
    if destination.spelling.is_none() {
        opening.push_str(&format!("from typing import TYPE_CHECKING{newline}"));
    }
    let condition = destination.spelling.as_deref().unwrap_or("TYPE_CHECKING");
    opening.push_str(&format!("{newline}if {condition}:{newline}"));
    edits.push(Edit::insertion(at.offset, opening));
    edits.push(Edit::joinable_insertion(
        at.offset,
        format!("    {import}{newline}"),
    ));
    Some(edits)
}

/// The body of the first module-level `if TYPE_CHECKING:` (without `else`).
fn existing_block<'t>(ctx: &Context<'t>) -> Option<Node<'t>> {
    ctx.semantic.type_checking_blocks.iter().find_map(|range| {
        let node = find_node(ctx.tree, *range)?;
        let at_module_level = node.parent().is_some_and(|p| p.kind_name() == "module");
        (at_module_level && node.field(Field::Alternative).is_none())
            .then(|| node.field(Field::Consequence))
            .flatten()
    })
}

fn last_statement(body: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = body.walk();
    let last = body
        .named_children(&mut cursor)
        .filter(|c| c.kind_name() != "comment")
        .last();
    last
}

/// The end of the line holding `offset` (before its line terminator).
fn line_end(source: &str, offset: usize) -> usize {
    source[offset..]
        .find(['\n', '\r'])
        .map_or(source.len(), |i| offset + i)
}

struct InsertionPoint {
    offset: usize,
    /// The file ends without a newline right there.
    needs_newline_before: bool,
}

/// The start of the line after the last module-level import.
fn after_last_import(ctx: &Context<'_>) -> Option<InsertionPoint> {
    let root = ctx.tree.root_node();
    let mut cursor = root.walk();
    let last = root
        .named_children(&mut cursor)
        .filter(|c| {
            matches!(
                c.kind_name(),
                "import_statement" | "import_from_statement" | "future_import_statement"
            )
        })
        .last()?;
    let end = line_end(ctx.source, last.end_byte());
    let rest = &ctx.source[end..];
    let offset = if rest.starts_with("\r\n") {
        end + 2
    } else if rest.starts_with(['\n', '\r']) {
        end + 1
    } else {
        end
    };
    Some(InsertionPoint {
        offset,
        needs_newline_before: offset == end,
    })
}

/// How this module can spell `TYPE_CHECKING` with what it already imports: `TYPE_CHECKING`,
/// `typing.TYPE_CHECKING`, `t.TYPE_CHECKING`. `None` when it imports neither.
fn type_checking_spelling(semantic: &SemanticModel) -> Option<String> {
    let module = semantic.scope(SemanticModel::MODULE);
    let mut module_alias = None;
    for binding_id in module.final_bindings() {
        let binding = semantic.binding(binding_id);
        let BindingKind::Import(import) = &binding.kind else {
            continue;
        };
        if binding
            .flags
            .has(tauten_engine::semantic::BindingFlags::TYPE_CHECKING)
        {
            continue;
        }
        let is_typing = matches!(import.module.as_str(), "typing" | "typing_extensions");
        match import.kind {
            ImportKind::FromImport
                if is_typing && import.member.as_deref() == Some("TYPE_CHECKING") =>
            {
                return Some(binding.name.clone());
            }
            ImportKind::Import if is_typing && module_alias.is_none() => {
                module_alias = Some(format!("{}.TYPE_CHECKING", binding.name));
            }
            _ => {}
        }
    }
    module_alias
}
