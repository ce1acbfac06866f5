use tauten_engine::edits::{block_guard, delete_statement, find_node};
use tauten_engine::syntax::NodeKind;
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::{declare_rule, Applicability, Context, Diagnostic, Fix, RuleMeta, TextRange};
use tree_sitter::Node;

declare_rule! {
    /// Finds `if TYPE_CHECKING:` blocks that hold nothing but `pass`.
    ///
    /// ## What it does
    /// Reports an `if TYPE_CHECKING:` (or `if typing.TYPE_CHECKING:`) without `else` whose body is
    /// a single `pass`, as is often left behind when its imports were removed or moved.
    ///
    /// ## Why is this bad?
    /// It does nothing and tells the reader there is something to look at.
    ///
    /// ## Example
    /// ```python
    /// from typing import TYPE_CHECKING
    ///
    /// if TYPE_CHECKING:
    ///     pass
    /// ```
    ///
    /// ## Fix safety
    /// The fix deletes the block; it is safe.
    pub struct EmptyTypeCheckingBlock {
        code: "TAU203",
        name: "empty-type-checking-block",
        family: Typing,
        fix: Always,
        equivalents: [("ruff", "TC005")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for block in &ctx.semantic.type_checking_blocks {
        let Some(if_statement) = find_node(ctx.tree, *block) else {
            continue;
        };
        let Some(pass) = lone_pass(if_statement) else {
            continue;
        };
        let fix = Fix::new(
            "Delete the empty type-checking block",
            Applicability::Safe,
            std::iter::once(delete_statement(if_statement, ctx.source))
                .chain(block_guard(if_statement))
                .collect(),
        );
        out.push(
            Diagnostic::new(
                meta,
                "Found an empty type-checking block",
                TextRange::of_node(pass),
            )
            .with_fix(Some(fix)),
        );
    }
}

/// The `pass` of an `if` with no `elif`/`else` whose body is that `pass` alone.
fn lone_pass(if_statement: Node<'_>) -> Option<Node<'_>> {
    if if_statement.field(Field::Alternative).is_some() {
        return None;
    }
    let body = if_statement.field(Field::Consequence)?;
    let mut cursor = body.walk();
    let statements: Vec<Node<'_>> = body
        .named_children(&mut cursor)
        .filter(|c| c.kind_name() != "comment")
        .collect();
    match statements.as_slice() {
        [only] if only.kind_name() == "pass_statement" => Some(*only),
        _ => None,
    }
}
