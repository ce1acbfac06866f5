use std::collections::BTreeMap;
use tauten_engine::edits::{find_node, remove_import_clauses};
use tauten_engine::semantic::{BindingFlags, BindingKind, RefFlags, ScopeKind, SemanticModel};

use tauten_engine::{
    declare_rule, Applicability, Context, Diagnostic, Edit, Fix, RuleMeta, TextRange,
};

use super::import_text::{enclosing_type_checking_if, import_statement_for};

declare_rule! {
    /// Finds imports under `if TYPE_CHECKING:` that the code uses when it runs.
    ///
    /// ## What it does
    /// Reports a name imported in an `if TYPE_CHECKING:` block and read at run time: in code, in a
    /// base class or decorator, or in an annotation Python evaluates (a function signature without
    /// `from __future__ import annotations`). A listing in `__all__` is a use too, unless the module
    /// defines `__getattr__` (then it provides the exported names lazily).
    ///
    /// ## Why is this bad?
    /// `TYPE_CHECKING` is false when the program runs, so the name does not exist then: the use
    /// raises `NameError` (immediately, or later on the path that reaches it).
    ///
    /// ## Example
    /// ```python
    /// from typing import TYPE_CHECKING
    ///
    /// if TYPE_CHECKING:
    ///     from decimal import Decimal
    ///
    /// ZERO = Decimal(0)
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// from decimal import Decimal
    ///
    /// ZERO = Decimal(0)
    /// ```
    ///
    /// ## Fix safety
    /// The fix moves the import out of the block, just above it. It is unsafe: the import now runs
    /// at start-up, with its side effects and cost, and may create an import cycle.
    pub struct RuntimeImportInTypeCheckingBlock {
        code: "TAU202",
        name: "runtime-import-in-type-checking-block",
        family: Typing,
        fix: Sometimes,
        equivalents: [("ruff", "TC004")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let semantic = ctx.semantic;
    if semantic.is_stub() {
        return;
    }
    // With a module `__getattr__`, names in `__all__` are provided lazily: listing one is no use.
    let lazy_exports = semantic
        .lookup(SemanticModel::MODULE, "__getattr__")
        .is_some_and(|b| semantic.binding(b).kind == BindingKind::FunctionDef);
    // The names to move, grouped by statement so that one fix moves them together.
    let mut by_statement: BTreeMap<TextRange, Vec<(String, TextRange, TextRange)>> =
        BTreeMap::new();
    for scope_id in semantic.scope_ids() {
        if semantic.scope(scope_id).kind == ScopeKind::Class {
            continue;
        }
        for binding_id in semantic.scope(scope_id).final_bindings() {
            let binding = semantic.binding(binding_id);
            let Some(import) = binding.as_import() else {
                continue;
            };
            if !binding.flags.has(BindingFlags::TYPE_CHECKING) {
                continue;
            }
            let used_at_runtime = binding.references.iter().any(|r| {
                let flags = semantic.reference(*r).flags;
                flags.is_runtime() && !(lazy_exports && flags.has(RefFlags::DUNDER_ALL))
            });
            if used_at_runtime {
                by_statement.entry(import.statement).or_default().push((
                    import.qualified_name(),
                    binding.range,
                    import.clause,
                ));
            }
        }
    }
    for (statement, names) in by_statement {
        let clauses: Vec<TextRange> = names.iter().map(|(_, _, clause)| *clause).collect();
        let fix = move_out(ctx, statement, &clauses).map(|edits| {
            Fix::new(
                "Move out of the type-checking block",
                Applicability::Unsafe,
                edits,
            )
        });
        for (qualified, range, _) in names {
            let message = format!(
                "Move import `{qualified}` out of the type-checking block: it is used at run time"
            );
            out.push(
                Diagnostic::new(meta, message, range)
                    .with_fix(fix.clone())
                    .with_parent(statement.start),
            );
        }
    }
}

/// Insert an import of `clauses` just above their `if TYPE_CHECKING:` and remove them from the block.
fn move_out(ctx: &Context<'_>, statement: TextRange, clauses: &[TextRange]) -> Option<Vec<Edit>> {
    let node = find_node(ctx.tree, statement)?;
    let if_statement = enclosing_type_checking_if(node)?;
    let lines = ctx.lines();
    let line_start = lines.line_start(lines.line_of(if_statement.start_byte()));
    let indent = &ctx.source[line_start..if_statement.start_byte()];
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let text = import_statement_for(node, ctx.source, clauses)?;
    let newline = tauten_engine::source::detect_line_ending(ctx.source);
    let mut edits = remove_import_clauses(ctx.tree, ctx.source, statement, clauses)?;
    edits.push(Edit::insertion(
        if_statement.start_byte(),
        format!("{text}{newline}{indent}"),
    ));
    Some(edits)
}
