use tauten_engine::edits::find_node;
use tauten_engine::project::describe_modules;
use tauten_engine::semantic::{Binding, BindingFlags, Import, ImportKind, RefFlags, SemanticModel};
use tauten_engine::source::detect_line_ending;
use tauten_engine::syntax::NodeKind;
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::{declare_rule, Applicability, Context, Diagnostic, Edit, Fix, RuleMeta};

use super::deferral::is_lazy;
use super::heavy::weight;
use crate::typing::move_to_type_checking::{move_to_type_checking, Destination};

declare_rule! {
    /// Finds a package's `__init__.py` importing a heavy submodule only to re-export names from it.
    ///
    /// ## What it does
    /// Reports `from .plugins import Plugin` (or `from . import plugins`, or the absolute spelling)
    /// in a package's `__init__.py` when the submodule is heavy (measured by `tauten
    /// profile-imports`, listed in `heavy-modules`, or in the built-in list) and the name is not
    /// used by the `__init__.py` itself: it is there for users of the package (`pkg.Plugin`), or
    /// in `__all__`.
    ///
    /// ## Why is this bad?
    /// Importing the package, or any of its other submodules, pays for the heavy submodule, though
    /// most users never touch the re-exported name.
    ///
    /// ## Example
    /// ```python
    /// from .plugins import Plugin
    /// ```
    ///
    /// Use instead (what the fix writes, as lazy_loader does):
    /// ```python
    /// from typing import TYPE_CHECKING
    ///
    /// if TYPE_CHECKING:
    ///     from .plugins import Plugin
    ///
    /// _LAZY_IMPORTS = {
    ///     "Plugin": (".plugins", "Plugin"),
    /// }
    ///
    /// def __getattr__(name):
    ///     ...  # imports the submodule on first access and caches the name
    ///
    /// def __dir__():
    ///     ...
    /// ```
    ///
    /// ## Fix safety
    /// The fix moves the import under `if TYPE_CHECKING:` (type checkers and IDEs still see the
    /// name) and adds a PEP 562 module `__getattr__` that imports the submodule on first access,
    /// and a `__dir__` that lists the name. It is unsafe: the submodule's side effects and import
    /// errors move to first access. It is not offered when the module already defines `__getattr__`
    /// or `__dir__` of its own, nor (the finding says why) for a name that is also the name of
    /// the submodule it comes from (`from .__version__ import __version__`: importing the
    /// submodule binds the module on the package, so `__getattr__` would never be asked), nor for
    /// a name that modules of the package itself import from it (they may run while the
    /// package's `__init__` is importing, before its `__getattr__` exists), nor when another
    /// import the `__init__` keeps loads the same submodule anyway (deferring the name would save
    /// nothing and only change the package's namespace).
    pub struct EagerReexportOfHeavySubmodule {
        code: "TAU302",
        name: "eager-reexport-of-heavy-submodule",
        family: LazyImports,
        fix: Sometimes,
        equivalents: [],
        check: check,
    }
}

/// The table the generated `__getattr__` reads.
const TABLE: &str = "_LAZY_IMPORTS";

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let semantic = ctx.semantic;
    if !ctx.is_package_init() || semantic.is_stub() {
        return;
    }
    let Some(package) = ctx.module.name.as_deref() else {
        return;
    };
    let module = semantic.scope(SemanticModel::MODULE);
    let mut candidates = Vec::new();
    // Submodules that stay imported with the package whatever the fix does, and the name that
    // keeps each one there.
    let mut kept: Vec<(String, String)> = Vec::new();
    for binding_id in module.final_bindings() {
        let binding = semantic.binding(binding_id);
        let Some(import) = binding.as_import() else {
            continue;
        };
        if binding.flags.has(BindingFlags::TYPE_CHECKING) || is_lazy(ctx.source, import.statement) {
            continue;
        }
        let Some(submodule) = submodule_of(package, import) else {
            continue;
        };
        if binding.flags.has(BindingFlags::GUARDED_IMPORT) || !only_reexported(semantic, binding) {
            kept.push((submodule, binding.name.clone()));
            continue;
        }
        let Some(heavy) = weight(&submodule, &ctx.settings.lazy, ctx.module.name.as_deref()) else {
            kept.push((submodule, binding.name.clone()));
            continue;
        };
        // `from . import plots` binds the submodule itself; `from .v import v` a name read from it.
        let from_submodule = ctx.module.absolute(&import.module).as_deref() != Some(package);
        let held = held_eager(ctx, package, &submodule, &binding.name, from_submodule);
        if held.is_some() {
            kept.push((submodule.clone(), binding.name.clone()));
        }
        candidates.push((binding, import, submodule, heavy, held));
    }
    for (binding, import, submodule, heavy, held) in candidates {
        let message = format!(
            "`{}` re-exports `{}` from `{submodule}` ({}), imported with the package: import it on first access",
            package,
            binding.name,
            heavy.describe()
        );
        let held = held.or_else(|| still_imported(&submodule, &binding.name, &kept));
        let fix = held
            .is_none()
            .then(|| lazy_getattr_fix(ctx, binding, import))
            .flatten()
            .map(|edits| {
                Fix::new(
                    "Import it on first access (module `__getattr__`, PEP 562)",
                    Applicability::Unsafe,
                    edits,
                )
            });
        let message = match held {
            Some(why) => format!("{message}; no fix: {why}"),
            None => message,
        };
        out.push(Diagnostic::new(meta, message, binding.range).with_fix(fix));
    }
}

/// Why deferring `name` would save nothing: another import the package keeps eager loads
/// `submodule` (or one of its submodules, which loads it too).
fn still_imported(submodule: &str, name: &str, kept: &[(String, String)]) -> Option<String> {
    let (_, keeper) = kept.iter().find(|(loaded, keeper)| {
        keeper != name
            && loaded.starts_with(submodule)
            && matches!(loaded.as_bytes().get(submodule.len()), None | Some(b'.'))
    })?;
    Some(format!(
        "`{submodule}` stays imported with the package for `{keeper}`, so deferring this name saves nothing"
    ))
}

/// Why the re-export of `name` from `submodule` must stay eager, when it must:
/// - the name is the submodule's own last name (`from .__version__ import __version__`):
///   importing the submodule binds it on the package, so a lazy `__getattr__` would never be
///   asked and `pkg.__version__` would be the module;
/// - modules of the package itself import it from the package: they may run while the package's
///   `__init__` is still importing, before its `__getattr__` exists.
fn held_eager(
    ctx: &Context<'_>,
    package: &str,
    submodule: &str,
    name: &str,
    from_submodule: bool,
) -> Option<String> {
    if from_submodule && submodule.rsplit('.').next() == Some(name) {
        return Some(format!(
            "the name is also the submodule `{submodule}`, which importing it binds on the package"
        ));
    }
    let inside: Vec<String> = (ctx.importers_of(name).unwrap_or_default().iter())
        .filter(|m| tauten_engine::project::is_module_or_submodule(m, package))
        .cloned()
        .collect();
    (!inside.is_empty()).then(|| {
        format!(
            "{} of the package {} it from the package, maybe while the package is importing",
            describe_modules(&inside),
            if inside.len() == 1 {
                "imports"
            } else {
                "import"
            },
        )
    })
}

/// True when nothing in the module reads the name at run time (it is for the package's users).
fn only_reexported(semantic: &SemanticModel, binding: &Binding) -> bool {
    binding.references.iter().all(|r| {
        let flags = semantic.reference(*r).flags;
        flags.has(RefFlags::DUNDER_ALL) || !flags.is_runtime()
    })
}

/// The absolute name of the submodule of `package` the import loads, when it is one.
fn submodule_of(package: &str, import: &Import) -> Option<String> {
    let absolute = if let Some(relative) = import.module.strip_prefix('.') {
        let up = relative.len() - relative.trim_start_matches('.').len();
        let rest = relative.trim_start_matches('.');
        let mut parts: Vec<&str> = package.split('.').collect();
        parts.truncate(parts.len().checked_sub(up)?);
        if !rest.is_empty() {
            parts.push(rest);
        }
        parts.join(".")
    } else {
        import.module.clone()
    };
    // `from . import plugins` loads the submodule `plugins` itself.
    let loaded = match (&import.kind, &import.member) {
        (ImportKind::FromImport, Some(member)) if absolute == package => {
            format!("{absolute}.{member}")
        }
        _ => absolute,
    };
    (loaded.starts_with(package) && loaded[package.len()..].starts_with('.')).then_some(loaded)
}

/// Move the import under `TYPE_CHECKING` and register the name in the `__getattr__` table,
/// creating the table and the functions when the module has none yet.
fn lazy_getattr_fix(ctx: &Context<'_>, binding: &Binding, import: &Import) -> Option<Vec<Edit>> {
    let semantic = ctx.semantic;
    let defines = |name: &str| semantic.lookup(SemanticModel::MODULE, name).is_some();
    let (module, attribute) = match &import.member {
        Some(member) => (import.module.clone(), Some(member.clone())),
        None => (import.module.clone(), None),
    };
    // `from . import plugins`: the submodule itself.
    let (module, attribute) = match (&attribute, module.chars().all(|c| c == '.')) {
        (Some(member), true) => (format!("{module}{member}"), None),
        _ => (module, attribute),
    };
    let entry = format!(
        "    \"{}\": (\"{module}\", {}),",
        binding.name,
        attribute.map_or("None".to_owned(), |a| format!("\"{a}\""))
    );
    let newline = detect_line_ending(ctx.source);
    let mut edits = move_to_type_checking(
        ctx,
        &Destination::of(ctx),
        import.statement,
        &[import.clause],
    )?;
    if defines(TABLE) {
        let table = semantic.binding(semantic.lookup(SemanticModel::MODULE, TABLE)?);
        let assignment = find_node(ctx.tree, table.range)?.parent()?;
        let dict = assignment
            .field(Field::Right)
            .filter(|d| d.kind_name() == "dictionary")?;
        let close = dict.end_byte() - 1;
        let lines = ctx.lines();
        let line_start = lines.line_start(lines.line_of(close));
        if ctx.source.get(line_start..close)?.trim().is_empty() {
            edits.push(Edit::insertion(line_start, format!("{entry}{newline}")));
        } else {
            return None;
        }
    } else {
        if defines("__getattr__") || defines("__dir__") {
            return None;
        }
        let block = [
            String::new(),
            String::new(),
            format!("{TABLE} = {{"),
            entry,
            "}".into(),
            String::new(),
            String::new(),
            "def __getattr__(name):".into(),
            "    # Names imported on first access (PEP 562), not with the package.".into(),
            format!("    if name not in {TABLE}:"),
            "        raise AttributeError(f\"module {__name__!r} has no attribute {name!r}\")"
                .into(),
            "    import importlib".into(),
            String::new(),
            format!("    module, attribute = {TABLE}[name]"),
            "    value = importlib.import_module(module, __name__)".into(),
            "    if attribute is not None:".into(),
            "        value = getattr(value, attribute)".into(),
            "    globals()[name] = value".into(),
            "    return value".into(),
            String::new(),
            String::new(),
            "def __dir__():".into(),
            format!("    return sorted(set(globals()) | set({TABLE}))"),
            String::new(),
        ]
        .join(newline);
        let end = ctx.source.trim_end().len();
        edits.push(Edit::replacement(
            tauten_engine::TextRange::new(end, ctx.source.len()),
            block,
        ));
    }
    Some(edits)
}
