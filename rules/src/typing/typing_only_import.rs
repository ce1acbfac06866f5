use std::collections::BTreeMap;
use tauten_engine::syntax::NodeKind;

use tauten_engine::project::describe_modules;
use tauten_engine::semantic::{
    BindingFlags, BindingId, Import, ImportKind, RefFlags, ScopeKind, SemanticModel,
};
use tauten_engine::{
    declare_rule, Applicability, Context, Diagnostic, Edit, Fix, RuleMeta, TextRange,
};

use super::move_to_type_checking::{move_to_type_checking, Destination};

declare_rule! {
    /// Finds imports used only by type checkers, which could move under `if TYPE_CHECKING:`.
    ///
    /// ## What it does
    /// Reports an import whose every use is in a typing context that Python does not evaluate when
    /// the code runs: annotations under `from __future__ import annotations` (or in a `.pyi` stub),
    /// string annotations, annotations of local variables, and code under `if TYPE_CHECKING:`.
    ///
    /// ## Why is this bad?
    /// The import still runs at start-up, with everything it imports, and can create import cycles,
    /// though nothing at run time needs it. Under `if TYPE_CHECKING:` type checkers still see it.
    ///
    /// ## Example
    /// ```python
    /// from __future__ import annotations
    ///
    /// from decimal import Decimal
    ///
    /// def total(price: Decimal) -> Decimal:
    ///     return price * 2
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// from __future__ import annotations
    ///
    /// from typing import TYPE_CHECKING
    ///
    /// if TYPE_CHECKING:
    ///     from decimal import Decimal
    ///
    /// def total(price: Decimal) -> Decimal:
    ///     return price * 2
    /// ```
    ///
    /// ## When it is not reported
    /// - An import from `typing` or `typing_extensions`.
    /// - An import whose module is also imported, and used at run time, by another import in the
    ///   same scope (the module is loaded anyway), unless `strict = true`.
    /// - A name used in annotations that a library reads at run time: the class-level annotations of
    ///   subclasses of pydantic's `BaseModel`, SQLAlchemy's `DeclarativeBase`, SQLModel, msgspec's
    ///   `Struct` (and of this module's classes deriving from them), of attrs classes in a module
    ///   that imports cattrs, and the signatures of functions decorated with `@x.register` (single
    ///   dispatch), pydantic's `validate_call`, FastAPI routes or typer commands. Base classes are
    ///   followed across the modules checked together: a class deriving from another module's
    ///   pydantic model is one too (ruff sees one module at a time and cannot know).
    /// - An unused import (TAU101 reports it), an import in a class body, a `__future__` import.
    /// - Anything in a `.pyi` stub, which never runs.
    ///
    /// ## Options
    /// `[tool.tauten.typing]`: `strict` (default false), `quote-annotations` (default false: with it,
    /// an import used at run time only in annotations that Python evaluates, and no library reads,
    /// is reported too, and the fix quotes those annotations), `exempt-modules` (added to `typing` and
    /// `typing_extensions`), `runtime-evaluated-base-classes` and `runtime-evaluated-decorators`
    /// (qualified names, added to the defaults above). With `target-version = "py314"` or later,
    /// annotations are deferred (PEP 649) as under `from __future__ import annotations`.
    ///
    /// ## Compared with ruff TC001-TC003
    /// On the pinned corpus tauten reports exactly ruff's findings (12,241 of 12,241). The deliberate
    /// difference: ruff's lists of runtime-evaluated base classes and decorators are empty by
    /// default, so it reports (and its fix breaks) imports a pydantic model or a FastAPI route needs
    /// at run time; tauten knows the common libraries by default.
    ///
    /// ## Fix safety
    /// The fix removes the names from the import and imports them in the module's
    /// `if TYPE_CHECKING:` block, creating it (and importing `TYPE_CHECKING`, or using
    /// `typing.TYPE_CHECKING` when the module imports `typing`) when there is none. Imports inside
    /// functions are reported without a fix. The libraries that read annotations at run time are
    /// known (see above), so their uses are never moved; what else could read them is code calling
    /// `typing.get_type_hints`, `inspect.get_annotations` or `eval_str=`, or reading
    /// `__annotations__`. The fix is safe when no file checked in the same run spells any of these,
    /// and unsafe otherwise (and always when tauten checks a file alone, as on standard input).
    /// A name that other modules of the project import from this one is reported without a fix:
    /// under `if TYPE_CHECKING:` it would be gone at run time, and so would their import of it.
    pub struct TypingOnlyImport {
        code: "TAU201",
        name: "typing-only-import",
        family: Typing,
        fix: Sometimes,
        equivalents: [("ruff", "TC001"), ("ruff", "TC002"), ("ruff", "TC003")],
        check: check,
    }
}

/// Modules whose imports are never moved (they cost nothing and are needed for the block itself).
const EXEMPT_MODULES: &[&str] = &["typing", "typing_extensions"];

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let semantic = ctx.semantic;
    // A stub never runs: there is nothing to move.
    if semantic.is_stub() {
        return;
    }
    let mut destination = None;
    let quote = ctx.settings.typing.quote_annotations;
    for scope_id in semantic.scope_ids() {
        if semantic.scope(scope_id).kind == ScopeKind::Class {
            continue;
        }
        // Import bindings of this scope by module, and whether any of them is needed at run time.
        let mut by_module: BTreeMap<String, (bool, Vec<BindingId>)> = BTreeMap::new();
        for binding_id in semantic.scope(scope_id).final_bindings() {
            let binding = semantic.binding(binding_id);
            let Some(import) = binding.as_import() else {
                continue;
            };
            if import.kind == ImportKind::Future || binding.flags.has(BindingFlags::TYPE_CHECKING) {
                continue;
            }
            let entry = by_module.entry(loaded_module(import)).or_default();
            match usage(semantic, binding_id, quote) {
                Usage::Runtime => entry.0 = true,
                Usage::TypingOnly => entry.1.push(binding_id),
                Usage::Unused => {}
            }
        }
        // The names to move, grouped by statement so that one fix moves them together.
        let mut by_statement: BTreeMap<TextRange, Vec<BindingId>> = BTreeMap::new();
        let typing = &ctx.settings.typing;
        for (module, (runtime_sibling, candidates)) in by_module {
            if (runtime_sibling && !typing.strict) || is_exempt(&module, &typing.exempt_modules) {
                continue;
            }
            for binding_id in candidates {
                if let Some(import) = semantic.binding(binding_id).as_import() {
                    by_statement
                        .entry(import.statement)
                        .or_default()
                        .push(binding_id);
                }
            }
        }
        for (statement, mut bindings) in by_statement {
            // Names other modules import from this one stay where they are: reported, not moved.
            let importers_of = |b: &BindingId| {
                (scope_id == SemanticModel::MODULE)
                    .then(|| ctx.importers_of(&semantic.binding(*b).name))
                    .flatten()
            };
            for held in bindings.iter().filter(|b| importers_of(b).is_some()) {
                let binding = semantic.binding(*held);
                let (Some(import), Some(importers)) = (binding.as_import(), importers_of(held))
                else {
                    continue;
                };
                let message =
                    format!(
                    "Import `{}` is used only in annotations, but {} {} it from this module: not \
                     moved into a type-checking block",
                    import.qualified_name(),
                    describe_modules(importers),
                    if importers.len() == 1 { "imports" } else { "import" },
                );
                out.push(
                    Diagnostic::new(meta, message, binding.range)
                        .with_parent(statement.start)
                        .with_kind(ruff_kind(import, ctx.module.name.as_deref())),
                );
            }
            bindings.retain(|b| importers_of(b).is_none());
            if bindings.is_empty() {
                continue;
            }
            let clauses: Vec<TextRange> = bindings
                .iter()
                .filter_map(|b| semantic.binding(*b).as_import().map(|i| i.clause))
                .collect();
            let destination = destination.get_or_insert_with(|| Destination::of(ctx));
            let quoting = if quote {
                quote_annotations(ctx, &bindings)
            } else {
                Some(Vec::new())
            };
            let moved = move_to_type_checking(ctx, destination, statement, &clauses);
            let edits = quoting.zip(moved).map(|(mut quoting, moved)| {
                quoting.extend(moved);
                quoting
            });
            // Safe when nothing checked with this module reads annotations at run time.
            let applicability = if ctx.project.annotations_unread {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            let fix = edits
                .map(|edits| Fix::new("Move into a type-checking block", applicability, edits));
            for binding_id in bindings {
                let binding = semantic.binding(binding_id);
                let Some(import) = binding.as_import() else {
                    continue;
                };
                let message = format!(
                    "Move import `{}` into a type-checking block: it is used only in annotations",
                    import.qualified_name()
                );
                out.push(
                    Diagnostic::new(meta, message, binding.range)
                        .with_fix(fix.clone())
                        .with_parent(statement.start)
                        .with_kind(ruff_kind(import, ctx.module.name.as_deref())),
                );
            }
        }
    }
}

enum Usage {
    Unused,
    /// Read only where Python does not evaluate it (with `quote`: or in annotations it would
    /// evaluate, which the fix quotes).
    TypingOnly,
    /// Needed when the code runs (or exported, or declared global).
    Runtime,
}

fn usage(semantic: &SemanticModel, binding_id: BindingId, quote: bool) -> Usage {
    let binding = semantic.binding(binding_id);
    if binding
        .flags
        .has(BindingFlags::EXPORTED | BindingFlags::GLOBAL)
    {
        return Usage::Runtime;
    }
    if !binding.is_used() {
        return Usage::Unused;
    }
    let needed_at_runtime = |r: &tauten_engine::semantic::ReferenceId| {
        let flags = semantic.reference(*r).flags;
        flags.is_runtime() && !(quote && is_quotable(flags))
    };
    if binding.references.iter().any(needed_at_runtime) {
        Usage::Runtime
    } else {
        Usage::TypingOnly
    }
}

/// An annotation Python evaluates, that no library reads: quoting it makes it typing-only.
fn is_quotable(flags: RefFlags) -> bool {
    flags.has(RefFlags::RUNTIME_ANNOTATION) && !flags.has(RefFlags::LIBRARY_ANNOTATION)
}

/// Edits that quote every evaluated annotation using one of `bindings` (each annotation once).
/// `None` when one cannot be quoted simply (it holds quotes, backslashes or line breaks).
fn quote_annotations(ctx: &Context<'_>, bindings: &[BindingId]) -> Option<Vec<Edit>> {
    let semantic = ctx.semantic;
    let mut annotations: Vec<TextRange> = Vec::new();
    for binding_id in bindings {
        for reference in &semantic.binding(*binding_id).references {
            let reference = semantic.reference(*reference);
            if !(reference.flags.is_runtime() && is_quotable(reference.flags)) {
                continue;
            }
            let annotation = enclosing_annotation(ctx, reference.range)?;
            if !annotations.contains(&annotation) {
                annotations.push(annotation);
            }
        }
    }
    annotations
        .into_iter()
        .map(|range| {
            let text = &ctx.source[range.start..range.end];
            let simple = !text.contains(['"', '\'', '\\', '\n', '\r']);
            simple.then(|| Edit::replacement(range, format!("\"{text}\"")))
        })
        .collect()
}

/// The whole annotation (the `type` node of a parameter, return or variable) around `range`.
fn enclosing_annotation(ctx: &Context<'_>, range: TextRange) -> Option<TextRange> {
    let mut node = ctx
        .tree
        .root_node()
        .descendant_for_byte_range(range.start, range.end)?;
    loop {
        if node.kind_name() == "type" {
            let parent = node.parent()?;
            if matches!(
                parent.kind_name(),
                "typed_parameter"
                    | "typed_default_parameter"
                    | "function_definition"
                    | "assignment"
            ) {
                return Some(TextRange::of_node(node));
            }
        }
        node = node.parent()?;
    }
}

/// The module an import loads, for the "already loaded at run time" test: the package of an
/// `import a.b` (as ruff compares them), the module of a `from a.b import c`.
/// Which of ruff's codes a typing-only import is: TC001 for the checked module's own package (or
/// a relative import), TC003 for the standard library, TC002 for any other.
fn ruff_kind(import: &Import, module: Option<&str>) -> &'static str {
    let top = import.module.split('.').next().unwrap_or_default();
    if top.is_empty() || module.and_then(|m| m.split('.').next()) == Some(top) {
        "TC001"
    } else if super::stdlib::is_stdlib(top) {
        "TC003"
    } else {
        "TC002"
    }
}

fn loaded_module(import: &Import) -> String {
    match import.kind {
        ImportKind::FromImport => import.module.clone(),
        _ => import
            .module
            .split('.')
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

fn is_exempt(module: &str, configured: &[String]) -> bool {
    let configured = configured.iter().map(String::as_str);
    EXEMPT_MODULES
        .iter()
        .copied()
        .chain(configured)
        .any(|exempt| {
            module == exempt
                || module
                    .strip_prefix(exempt)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
}
