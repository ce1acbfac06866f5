use std::collections::BTreeMap;

use tauten_engine::project::describe_modules;
use tauten_engine::semantic::{BindingFlags, Import, ImportKind, ScopeKind, SemanticModel};
use tauten_engine::{
    declare_rule, Applicability, Context, Diagnostic, Edit, Fix, RuleMeta, TextRange,
};

use tauten_engine::edits::remove_import_clauses;

declare_rule! {
    /// Finds imports that nothing in the module uses.
    ///
    /// ## What it does
    /// Reports an imported name that is never read: not at run time, not in an annotation, not in a
    /// string annotation, not through `__all__`.
    ///
    /// ## Why is this bad?
    /// Every import runs the imported module (and everything it imports) when your module is loaded:
    /// an unused import is start-up time and memory spent for nothing, and noise for readers.
    ///
    /// ## Example
    /// ```python
    /// import os
    /// import sys
    ///
    /// print(sys.argv)
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import sys
    ///
    /// print(sys.argv)
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes the name from its import statement, or the whole statement when no name is
    /// left (a block left empty gets `pass`). It is safe, as ruff's F401 fix is: removing an import can
    /// only drop the imported module's side effects. In a package's `__init__.py` the fix is unsafe,
    /// since the name may be there to be re-exported. An import in a `try` block that handles
    /// `ImportError` is reported without a fix: it is probably testing whether a module is installed.
    ///
    /// A name that other modules of the project import from this one (`from pkg.helpers import
    /// clean_name` elsewhere, `pkg.helpers.clean_name`, `mock.patch("pkg.helpers.clean_name")`,
    /// or a star import of a module without `__all__`) is never removed: removing it would break
    /// them. It is still reported, as F401 does, naming those modules, and the fix marks it as an
    /// explicit re-export (`from m import x as x`), which is safe: nothing changes at run time.
    /// (ruff's F401 fix removes it, and the importers fail with `ImportError`.)
    ///
    /// ## What counts as a use
    /// Any read of the name at run time, in an annotation (evaluated or not), in a string annotation,
    /// in the type arguments of `cast()`, `TypeVar(bound=...)` or a typing generic such as
    /// `Callable["Request", ...]`, and a listing in `__all__`. `import x as x` and
    /// `from m import x as x` are explicit re-exports and never reported. Imports in class bodies are
    /// not reported (they are class attributes). Names declared `global` are not reported.
    ///
    /// ## Compared with ruff F401
    /// On the pinned corpus tauten reports exactly ruff's findings (see docs/benchmarks.md). The
    /// deliberate differences:
    /// - `# noqa: TAU101` suppresses the finding (ruff knows only `F401`; both codes work here).
    /// - Names added with `__all__.append("x")` or `__all__.extend([...])` are exports, so their
    ///   imports are used; ruff and pyflakes only read `__all__ = ...` and `__all__ += ...`.
    ///
    /// ## Options
    /// `[tool.tauten.imports] allowed-unused-imports = ["module", ...]`: imports of these modules
    /// (and their submodules) are never reported, like ruff's `lint.pyflakes.allowed-unused-imports`.
    pub struct UnusedImport {
        code: "TAU101",
        name: "unused-import",
        family: Imports,
        fix: Sometimes,
        equivalents: [("ruff", "F401"), ("pyflakes", "F401"), ("pylint", "W0611")],
        check: check,
    }
}

/// One unused name, waiting for the fix of its statement.
struct Unused {
    qualified: String,
    range: TextRange,
    clause: TextRange,
    guarded: bool,
    relative: bool,
    /// Other modules of the project import the name from this one: it is not removed.
    importers: Option<Vec<String>>,
    /// The re-export fix for such a name (`x` -> `x as x`), when the clause allows one.
    reexport: Option<Edit>,
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let semantic = ctx.semantic;
    // Unused names grouped by the statement that imports them, so one fix edits each statement once.
    let mut by_statement: BTreeMap<TextRange, Vec<Unused>> = BTreeMap::new();
    for scope_id in semantic.scope_ids() {
        let scope = semantic.scope(scope_id);
        // Like ruff, imports in class bodies are left alone (they are often class attributes).
        if scope.kind == ScopeKind::Class {
            continue;
        }
        for binding_id in scope.final_bindings() {
            let binding = semantic.binding(binding_id);
            let Some(import) = binding.as_import() else {
                continue;
            };
            if binding.is_used()
                || import.kind == ImportKind::Future
                || import.is_redundant_alias()
                || binding
                    .flags
                    .has(BindingFlags::GLOBAL | BindingFlags::EXPORTED)
            {
                continue;
            }
            let qualified = import.qualified_name();
            if is_allowed(&qualified, &ctx.settings.allowed_unused_imports) {
                continue;
            }
            let importers = (scope_id == SemanticModel::MODULE)
                .then(|| ctx.importers_of(&binding.name))
                .flatten()
                .map(<[String]>::to_vec);
            let reexport = importers
                .as_ref()
                .and_then(|_| reexport_edit(ctx.source, import));
            by_statement
                .entry(import.statement)
                .or_default()
                .push(Unused {
                    relative: import.module.starts_with('.'),
                    qualified,
                    range: binding.range,
                    clause: import.clause,
                    guarded: binding.flags.has(BindingFlags::GUARDED_IMPORT),
                    importers,
                    reexport,
                });
        }
    }
    let in_init = ctx.is_package_init();
    for (statement, unused) in by_statement {
        let fixable: Vec<TextRange> = unused
            .iter()
            .filter(|u| !u.guarded && u.importers.is_none())
            .map(|u| u.clause)
            .collect();
        let fix = (!fixable.is_empty()).then(|| {
            let title = match unused.as_slice() {
                [only] => format!("Remove unused import: `{}`", only.qualified),
                _ => "Remove unused import".to_owned(),
            };
            let applicability = if in_init {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            remove_import_clauses(ctx.tree, ctx.source, statement, &fixable)
                .map(|edits| Fix::new(title, applicability, edits))
        });
        for item in &unused {
            if let Some(importers) = &item.importers {
                let message = format!(
                    "`{}` imported but unused here; {} {} it from this module: mark it as a \
                     re-export",
                    item.qualified,
                    describe_modules(importers),
                    if importers.len() == 1 {
                        "imports"
                    } else {
                        "import"
                    },
                );
                let fix = item.reexport.clone().map(|edit| {
                    Fix::new(
                        format!("Mark `{}` as a re-export", item.qualified),
                        Applicability::Safe,
                        vec![edit],
                    )
                });
                out.push(
                    Diagnostic::new(meta, message, item.range)
                        .with_fix(fix)
                        .with_parent(statement.start),
                );
                continue;
            }
            let suffix = if item.guarded {
                "; consider using `importlib.util.find_spec` to test for availability"
            } else if in_init && item.relative {
                "; consider removing, adding to `__all__`, or using a redundant alias"
            } else {
                ""
            };
            let message = format!("`{}` imported but unused{suffix}", item.qualified);
            let fix = if item.guarded {
                None
            } else {
                fix.clone().flatten()
            };
            out.push(
                Diagnostic::new(meta, message, item.range)
                    .with_fix(fix)
                    .with_parent(statement.start),
            );
        }
    }
}

/// The edit that makes an import an explicit re-export (`x` -> `x as x`), for a clause without
/// an alias that binds the name it imports (`import a.b` binds `a`: no such edit).
fn reexport_edit(source: &str, import: &Import) -> Option<Edit> {
    if import.alias.is_some() || import.kind == ImportKind::SubmoduleImport {
        return None;
    }
    let name = import.member.as_deref().unwrap_or(&import.module);
    let clause = &source[import.clause.start..import.clause.end];
    (clause == name && !name.contains('.'))
        .then(|| Edit::insertion(import.clause.end, format!(" as {name}")))
}

/// `allowed-unused-imports`: a module name matches itself and its submodules.
fn is_allowed(qualified: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|module| {
        qualified == module
            || qualified
                .strip_prefix(module.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    })
}
