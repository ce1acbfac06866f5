use std::collections::{BTreeMap, BTreeSet};

use tauten_engine::config::LazyStyle;
use tauten_engine::edits::find_node;
use tauten_engine::project::describe_modules;
use tauten_engine::semantic::{BindingFlags, ScopeId, SemanticModel};
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::{declare_rule, Applicability, Context, Diagnostic, Fix, RuleMeta, TextRange};

use super::deferral::{defer_fix, deferrable_uses, is_lazy, movable};
use super::heavy::{first_loaded, weight};
use super::lazy_modules;

declare_rule! {
    /// Finds module-level imports of heavy modules that only functions use: deferring them takes their cost off the start-up path.
    ///
    /// ## What it does
    /// Reports a module-level import of a heavy module whose names are read at run time only inside
    /// function bodies: not by module-level code, class bodies, decorators, default values, base
    /// classes, evaluated annotations or `__all__`. Heavy means: measured by `tauten
    /// profile-imports` at `threshold-ms` or more (default 10 ms), listed in `[tool.tauten.lazy-imports]
    /// heavy-modules`, or in the built-in list (numpy, pandas, scipy, matplotlib, torch, tensorflow,
    /// sklearn, sympy, boto3/botocore, pyarrow, polars, transformers, ...; a module covers its
    /// submodules). The message gives the measured or listed cost and the functions that use it.
    /// When another module-level import that loads the same package must stay, nothing is reported
    /// for that package: deferring one of them would save nothing. (The package an import loads is
    /// the top-level one for another project's module, `rich` for `rich.console`; for a module of
    /// the checked module's own package, the first level below what they share, so `from . import
    /// slow` is reported while `from . import models` stays.)
    ///
    /// Uses in annotations that Python never evaluates do not keep the import at module level: the
    /// fix moves it under `if TYPE_CHECKING:` for type checkers (as TAU201 would).
    ///
    /// ## Why is this bad?
    /// Every program that imports the module pays for the heavy import, even a run that never calls
    /// the functions needing it: a CLI's `--help`, a test collecting, a worker that handles other jobs.
    ///
    /// ## Example
    /// ```python
    /// import pandas as pd
    ///
    /// def export(rows, path):
    ///     pd.DataFrame(rows).to_csv(path)
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// def export(rows, path):
    ///     import pandas as pd
    ///     pd.DataFrame(rows).to_csv(path)
    /// ```
    ///
    /// ## Fix safety
    /// The fix follows `style`: `function-local` (the default below Python 3.15) imports the name at
    /// the top of each function using it (after its docstring, keeping the alias); `pep810` (the
    /// default when `target-version`, or else the project's `requires-python`, is 3.15 or later)
    /// writes `lazy import x` / `lazy from x import y`, only for statements directly at module
    /// level (never in a function, class body, `try` or `with`, never `from __future__`);
    /// `lazy-modules` (opt-in) lists the module in a module-level `__lazy_modules__`, added before
    /// the first import when there is none: lazy on Python 3.15, no change on older versions.
    /// It is unsafe: the import's side effects and errors move to the first call. It is not offered for
    /// imports guarded by `try`/`except ImportError`, for names bound more than once in the module or
    /// declared `global`, nor where the function body shares the line of its `def`. Nor, in the
    /// `function-local` style, for a name other modules of the project import from this one (the
    /// finding names them): it would be gone from the module, and their import with it.
    ///
    /// The `function-local` fix writes what pylint's PLC0415 (`import-outside-toplevel`, also in
    /// ruff) reports: that check asks for the opposite and is no equivalent; a project using both
    /// ignores one of them, or PLC0415 for the deferred heavy imports with `# noqa: PLC0415`.
    pub struct HeavyImportAtModuleLevel {
        code: "TAU301",
        name: "heavy-import-at-module-level",
        family: LazyImports,
        fix: Sometimes,
        equivalents: [("ruff", "TID253")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let semantic = ctx.semantic;
    if semantic.is_stub() {
        return;
    }
    let lazy = &ctx.settings.lazy;
    let style = lazy.style.unwrap_or(
        if ctx
            .settings
            .target_version
            .is_some_and(|v| (v.major, v.minor) >= (3, 15))
        {
            LazyStyle::Pep810
        } else {
            LazyStyle::FunctionLocal
        },
    );
    let declared = lazy_modules::declared(ctx);
    // The modules a fix lists in `__lazy_modules__` (one fix each: their edits would collide).
    let mut newly_listed = BTreeSet::new();
    let module = semantic.scope(SemanticModel::MODULE);
    let mut candidates = Vec::new();
    // Packages (first loaded by an import, see `first_loaded`) some module-level import of which
    // must stay eager.
    let mut eager_packages = BTreeSet::new();
    for binding_id in module.final_bindings() {
        let binding = semantic.binding(binding_id);
        let Some(import) = binding.as_import() else {
            continue;
        };
        if import.module == "__future__" {
            continue;
        }
        let absolute = |name: &str| ctx.module.absolute(name);
        let (Some(module), Some(imported)) =
            (absolute(&import.module), absolute(&import.qualified_name()))
        else {
            continue;
        };
        let own = ctx.module.name.as_deref();
        let package = first_loaded(&imported, own);
        let heavy = weight(&imported, lazy, own).or_else(|| weight(&module, lazy, own));
        let listed = style != LazyStyle::FunctionLocal
            && lazy_modules::listed_name(ctx, import).is_some_and(|name| {
                lazy_modules::is_listed(declared.as_ref(), &name, import.statement)
            });
        if is_lazy(ctx.source, import.statement)
            || listed
            || binding.flags.has(BindingFlags::TYPE_CHECKING)
        {
            continue; // already deferred
        }
        match (heavy, deferrable_uses(semantic, binding)) {
            (Some(heavy), Some(uses)) => {
                candidates.push((binding, import, package, heavy, uses));
            }
            _ if binding.is_used() => {
                eager_packages.insert(package);
            }
            _ => {}
        }
    }
    candidates.retain(|(_, _, package, _, _)| !eager_packages.contains(package.as_str()));
    // Statements all of whose names are deferred become `lazy` whole (PEP 810 style).
    let mut per_statement: BTreeMap<TextRange, usize> = BTreeMap::new();
    for (_, import, ..) in &candidates {
        *per_statement.entry(import.statement).or_default() += 1;
    }
    for (binding, import, _, heavy, uses) in candidates {
        let whole_statement =
            per_statement[&import.statement] == names_in_statement(ctx, import.statement);
        let names: Vec<String> = uses
            .functions
            .iter()
            .filter_map(|scope| function_name(ctx, *scope))
            .collect();
        // A PEP 810 `lazy import` keeps the name in the module; a function-local import does not.
        let importers =
            (ctx.importers_of(&binding.name)).filter(|_| style == LazyStyle::FunctionLocal);
        let held = match importers {
            Some(importers) => format!(
                "; not deferred: {} {} it from this module",
                describe_modules(importers),
                if importers.len() == 1 {
                    "imports"
                } else {
                    "import"
                },
            ),
            None => String::new(),
        };
        let message = format!(
            "`{}` ({}) is imported at module level but used only inside {}: defer it{held}",
            import.qualified_name(),
            heavy.describe(),
            describe_functions(&names),
        );
        let first_listing = style != LazyStyle::LazyModules
            || lazy_modules::listed_name(ctx, import).is_some_and(|n| newly_listed.insert(n));
        let fix = (importers.is_none() && first_listing && movable(ctx, binding, import))
            .then(|| defer_fix(ctx, import, &uses, style, whole_statement))
            .flatten()
            .map(|edits| {
                let title = match style {
                    LazyStyle::FunctionLocal => "Import it inside the functions that use it",
                    LazyStyle::Pep810 => "Make it a lazy import (PEP 810)",
                    LazyStyle::LazyModules => {
                        "List its module in `__lazy_modules__` (lazy on Python 3.15, eager before)"
                    }
                };
                Fix::new(title, Applicability::Unsafe, edits)
            });
        out.push(Diagnostic::new(meta, message, binding.range).with_fix(fix));
    }
}

fn names_in_statement(ctx: &Context<'_>, statement: TextRange) -> usize {
    find_node(ctx.tree, statement).map_or(0, |node| {
        let mut cursor = node.walk();
        let count = node.fields(Field::Name, &mut cursor).count();
        count
    })
}

fn function_name(ctx: &Context<'_>, scope: ScopeId) -> Option<String> {
    let node = find_node(ctx.tree, ctx.semantic.scope(scope).range)?;
    let name = node.field(Field::Name)?;
    ctx.source.get(name.byte_range()).map(str::to_owned)
}

fn describe_functions(names: &[String]) -> String {
    match names {
        [one] => format!("`{one}()`"),
        _ if names.len() <= 3 => names
            .iter()
            .map(|n| format!("`{n}()`"))
            .collect::<Vec<_>>()
            .join(", "),
        _ => format!("{} functions", names.len()),
    }
}
