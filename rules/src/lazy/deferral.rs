//! Which module-level imports can be deferred, and the fixes that defer them: into the functions
//! that use them (`function-local`), as PEP 810 `lazy` imports (`pep810`), or listed in the
//! module's `__lazy_modules__` (`lazy-modules`).

use std::collections::BTreeSet;
use tauten_engine::syntax::NodeKind;

use tauten_engine::config::LazyStyle;
use tauten_engine::edits::{find_node, remove_import_clauses};
use tauten_engine::semantic::{Binding, BindingFlags, Import, ScopeId, ScopeKind, SemanticModel};
use tauten_engine::source::detect_line_ending;
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::{Context, Edit, TextRange};

use super::lazy_modules;
use crate::typing::import_text::import_statement_for;
use crate::typing::move_to_type_checking::{move_to_type_checking, Destination};

/// Where a module-level import is read.
pub struct Uses {
    /// The function scopes whose bodies read it at run time (the outermost of nested ones).
    pub functions: Vec<ScopeId>,
    /// Type checkers read it (annotations never evaluated, string annotations, TYPE_CHECKING).
    pub typing: bool,
}

/// The uses of a module-level import binding, when every run-time use is inside a function body
/// (so the import could happen on first call); `None` when the module needs it while it is being
/// imported (module-level code, class bodies, decorators, default values, base classes, evaluated
/// annotations, `__all__`), or when it is not read at run time at all.
pub fn deferrable_uses(semantic: &SemanticModel, binding: &Binding) -> Option<Uses> {
    let mut functions = BTreeSet::new();
    let mut typing = false;
    for reference in &binding.references {
        let reference = semantic.reference(*reference);
        if reference
            .flags
            .has(tauten_engine::semantic::RefFlags::DUNDER_ALL)
        {
            return None;
        }
        if !reference.flags.is_runtime() {
            typing = true;
            continue;
        }
        functions.insert(outermost_function(semantic, reference.scope)?);
    }
    if functions.is_empty() {
        return None;
    }
    Some(Uses {
        functions: functions.into_iter().collect(),
        typing,
    })
}

/// The outermost function whose body holds `scope` (a lambda or comprehension inside a function
/// counts as the function); `None` at module level or in a module-level class body or lambda.
fn outermost_function(semantic: &SemanticModel, scope: ScopeId) -> Option<ScopeId> {
    let mut found = None;
    let mut current = Some(scope);
    while let Some(id) = current {
        let s = semantic.scope(id);
        if s.kind == ScopeKind::Function {
            found = Some(id);
        }
        current = s.parent;
    }
    found
}

/// True when the module-level import can be moved at all: a direct child of the module, not
/// guarded by `try/except ImportError`, not already lazy, its name bound once in the module and
/// declared `global` nowhere.
pub fn movable(ctx: &Context<'_>, binding: &Binding, import: &Import) -> bool {
    let semantic = ctx.semantic;
    if binding
        .flags
        .has(BindingFlags::GUARDED_IMPORT | BindingFlags::TYPE_CHECKING)
        || binding.flags.has(BindingFlags::GLOBAL)
        || is_lazy(ctx.source, import.statement)
    {
        return false;
    }
    let Some(statement) = find_node(ctx.tree, import.statement) else {
        return false;
    };
    if statement.parent().is_none_or(|p| p.kind_name() != "module") {
        return false;
    }
    let module = semantic.scope(SemanticModel::MODULE);
    let bound_once = module
        .bindings
        .iter()
        .filter(|id| semantic.binding(**id).name == binding.name)
        .count()
        == 1;
    bound_once && !declares_global(ctx, &binding.name)
}

/// True when the statement at `range` is a PEP 810 `lazy import` / `lazy from ... import`.
pub fn is_lazy(source: &str, statement: TextRange) -> bool {
    tauten_engine::parse::is_lazy_import(source, statement.start)
}

/// True when a `global` statement anywhere names `name` (`global a, name`): a function-local
/// import would come before that declaration, which Python refuses.
fn declares_global(ctx: &Context<'_>, name: &str) -> bool {
    if !ctx.source.contains("global") {
        return false;
    }
    let mut cursor = ctx.tree.walk();
    loop {
        let node = cursor.node();
        if node.kind_name() == "global_statement" {
            let mut names = node.walk();
            if node
                .named_children(&mut names)
                .any(|n| n.utf8_text(ctx.source.as_bytes()) == Ok(name))
            {
                return true;
            }
        } else if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return false;
            }
        }
    }
}

/// The fix deferring `import` (one name of its statement), in the configured style.
/// `whole_statement`: every name of the statement is deferred.
pub fn defer_fix(
    ctx: &Context<'_>,
    import: &Import,
    uses: &Uses,
    style: LazyStyle,
    whole_statement: bool,
) -> Option<Vec<Edit>> {
    match style {
        LazyStyle::Pep810 => lazy_statement(ctx, import.statement, import.clause, whole_statement),
        LazyStyle::LazyModules => {
            let name = lazy_modules::listed_name(ctx, import)?;
            lazy_modules::list_fix(
                ctx,
                lazy_modules::declared(ctx).as_ref(),
                &name,
                import.statement,
            )
        }
        LazyStyle::FunctionLocal => into_functions(ctx, import.statement, import.clause, uses),
    }
}

/// `import x` -> `lazy import x` when all its names are deferred; otherwise the name moves to a
/// `lazy` import of its own after the statement.
fn lazy_statement(
    ctx: &Context<'_>,
    statement: TextRange,
    clause: TextRange,
    whole_statement: bool,
) -> Option<Vec<Edit>> {
    if whole_statement {
        return Some(vec![Edit::insertion(statement.start, "lazy ")]);
    }
    let node = find_node(ctx.tree, statement)?;
    let text = import_statement_for(node, ctx.source, &[clause])?;
    let newline = detect_line_ending(ctx.source);
    let mut edits = remove_import_clauses(ctx.tree, ctx.source, statement, &[clause])?;
    edits.push(Edit::insertion(
        statement.end,
        format!("{newline}lazy {text}"),
    ));
    Some(edits)
}

/// Remove the clause from the module-level statement (or move it under `if TYPE_CHECKING:` when
/// annotations still name it) and import it at the top of each function that uses it.
fn into_functions(
    ctx: &Context<'_>,
    statement: TextRange,
    clause: TextRange,
    uses: &Uses,
) -> Option<Vec<Edit>> {
    let node = find_node(ctx.tree, statement)?;
    let text = import_statement_for(node, ctx.source, &[clause])?;
    let mut edits = if uses.typing {
        move_to_type_checking(ctx, &Destination::of(ctx), statement, &[clause])?
    } else {
        remove_import_clauses(ctx.tree, ctx.source, statement, &[clause])?
    };
    for function in &uses.functions {
        edits.push(insert_at_body_start(ctx, *function, &text)?);
    }
    Some(edits)
}

/// An edit putting `statement` first in the body of the function of `scope`, after its docstring.
fn insert_at_body_start(ctx: &Context<'_>, scope: ScopeId, statement: &str) -> Option<Edit> {
    let function = find_node(ctx.tree, ctx.semantic.scope(scope).range)?;
    let body = function.field(Field::Body)?;
    let newline = detect_line_ending(ctx.source);
    let lines = ctx.lines();
    let first = body.named_child(0)?;
    if lines.line_of(first.start_byte()) == lines.line_of(function.start_byte()) {
        return None; // `def f(): return x`: the body shares the line of the `def`
    }
    let line_start = lines.line_start(lines.line_of(first.start_byte()));
    let indent = &ctx.source[line_start..first.start_byte()];
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    // A first line continued from the one before (`\` at its end) has no indentation of its own:
    // a statement inserted there would land outside the function.
    if ctx.source[..line_start]
        .trim_end_matches(['\n', '\r'])
        .ends_with('\\')
    {
        return None;
    }
    let is_docstring = first.kind_name() == "expression_statement"
        && first
            .named_child(0)
            .is_some_and(|s| s.kind_name() == "string");
    Some(if is_docstring {
        Edit::insertion(first.end_byte(), format!("{newline}{indent}{statement}"))
    } else {
        Edit::insertion(first.start_byte(), format!("{statement}{newline}{indent}"))
    })
}
