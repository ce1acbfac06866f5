//! What counts as a heavy module: a measured profile above the threshold, the user's list, or the
//! built-in list of well-known heavy libraries; never one of [`NEVER_HEAVY`], and never, by the
//! built-in list, a module of the package being checked.

use tauten_engine::config::LazyImportSettings;
use tauten_engine::import_profile::cost_of;

/// Well-known heavy modules, with the wall time of `import x` in a fresh CPython 3.11 on the
/// 2-core development machine (warm file cache, machine busy: indicative only; `None` where not
/// measured here). A module covers its submodules. See docs/lazy-imports.md.
pub const BUILTIN_HEAVY: &[(&str, Option<u32>)] = &[
    ("boto3", Some(330)),
    ("botocore", Some(30)),
    ("cv2", None),
    ("dask", None),
    ("jax", None),
    ("keras", None),
    ("matplotlib", Some(510)),
    ("networkx", Some(320)),
    ("nltk", None),
    ("numba", None),
    ("numpy", Some(320)),
    ("pandas", Some(990)),
    ("plotly", None),
    ("polars", Some(610)),
    ("pyarrow", Some(300)),
    ("pyspark", None),
    ("scipy", Some(270)),
    ("seaborn", None),
    ("sklearn", Some(2760)),
    ("spacy", None),
    ("sqlalchemy", Some(680)),
    ("statsmodels", None),
    ("sympy", Some(710)),
    ("tensorflow", None),
    ("torch", None),
    ("transformers", None),
    ("xarray", None),
];

/// Modules that are never heavy, whatever a profile or a list says (a module covers its submodules):
///
/// - `__future__` cannot be deferred at all;
/// - `typing` and `typing_extensions`: the typing fixes import `TYPE_CHECKING` from `typing` at
///   module level, so deferring them would fight those fixes (and they are needed by annotations
///   evaluated at import time);
/// - `collections` (so `collections.abc`): the interpreter has imported it before the program runs
///   (`site` and `typing` need it), so deferring it saves nothing; a profile that charges time to it
///   only measured who happened to import it first;
/// - `asyncio`, `trio`, `anyio`, `functools` and `aiofiles`: the async fixes add `import asyncio`
///   (or the library's sleep, `functools.partial`, `aiofiles.open`) at module level; deferring
///   them would undo those fixes, and the next pass would redo them.
pub const NEVER_HEAVY: &[&str] = &[
    "__future__",
    "aiofiles",
    "anyio",
    "asyncio",
    "collections",
    "functools",
    "trio",
    "typing",
    "typing_extensions",
];

/// Why a module is heavy, for the message.
pub enum Weight {
    /// Measured in the profile: cumulative milliseconds.
    Measured(f64),
    /// In the built-in list, with its typical cost when known.
    Listed(Option<u32>),
    /// In the user's `heavy-modules`.
    Configured,
}

impl Weight {
    pub fn describe(&self) -> String {
        match self {
            Weight::Measured(ms) => format!("{ms:.0} ms to import, measured"),
            Weight::Listed(Some(ms)) => format!("about {ms} ms to import"),
            Weight::Listed(None) => "a well-known heavy module".into(),
            Weight::Configured => "listed in heavy-modules".into(),
        }
    }
}

fn covers(prefix: &str, module: &str) -> bool {
    module == prefix
        || module
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The package that importing `module` from `importer` loads first: its first dotted prefix that
/// is not `importer` or one of its packages (`rich` for `rich.console` from `app.cli`, `pkg.models`
/// for `pkg.models.user` from `pkg.cli`). Imports that load the same package first share its cost.
pub fn first_loaded(module: &str, importer: Option<&str>) -> String {
    let importer = importer.unwrap_or_default();
    let mut end = 0;
    for (index, _) in module.match_indices('.').chain([(module.len(), "")]) {
        end = index;
        let prefix = &module[..index];
        let imported_first = importer == prefix
            || importer
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('.'));
        if !imported_first {
            break;
        }
    }
    module[..end].to_owned()
}

/// The weight of importing `module` (absolute, dotted) from the module `importer`, when it is
/// heavy. A profile, when there is one, decides for the modules it measured (but for the user's
/// own list; with `measured_only`, for every module); none decides for [`NEVER_HEAVY`]; the
/// built-in list does not apply to the package being checked (pandas importing its own
/// submodules is not told to defer them). What the importer's own packages cost is not counted:
/// they are imported before it.
pub fn weight(
    module: &str,
    settings: &LazyImportSettings,
    importer: Option<&str>,
) -> Option<Weight> {
    if NEVER_HEAVY.iter().any(|p| covers(p, module)) {
        return None;
    }
    let measured = cost_of(&settings.costs, module, importer);
    if settings.measured_only {
        return measured
            .filter(|cost| cost.cumulative_us >= settings.threshold_us)
            .map(|cost| Weight::Measured(cost.cumulative_us as f64 / 1000.0));
    }
    let checked_package = importer.and_then(|m| m.split('.').next());
    if settings.heavy_modules.iter().any(|p| covers(p, module)) {
        return Some(measured.map_or(Weight::Configured, |cost| {
            Weight::Measured(cost.cumulative_us as f64 / 1000.0)
        }));
    }
    if let Some(cost) = measured {
        return (cost.cumulative_us >= settings.threshold_us)
            .then(|| Weight::Measured(cost.cumulative_us as f64 / 1000.0));
    }
    if checked_package.is_some_and(|package| covers(package, module)) {
        return None;
    }
    BUILTIN_HEAVY
        .iter()
        .find(|(prefix, _)| covers(prefix, module))
        .map(|(_, ms)| Weight::Listed(*ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_prefixes_cover_submodules() {
        assert!(BUILTIN_HEAVY.windows(2).all(|w| w[0].0 < w[1].0));
        let settings = LazyImportSettings::default();
        assert!(weight("numpy.linalg", &settings, None).is_some());
        assert!(weight("numpyro", &settings, None).is_none());
        assert!(weight("json", &settings, None).is_none());
        assert!(NEVER_HEAVY.windows(2).all(|w| w[0] < w[1]));
    }

    /// A profile that measured everything above the threshold.
    fn profiled(modules: &[&str]) -> LazyImportSettings {
        let cost = tauten_engine::import_profile::ModuleCost {
            self_us: 900_000,
            cumulative_us: 900_000,
        };
        LazyImportSettings {
            costs: std::sync::Arc::new(modules.iter().map(|m| (m.to_string(), cost)).collect()),
            ..LazyImportSettings::default()
        }
    }

    #[test]
    fn typing_future_and_collections_are_never_heavy() {
        let never = [
            "typing",
            "typing_extensions",
            "__future__",
            "collections",
            "collections.abc",
            "asyncio",
            "asyncio.tasks",
        ];
        let mut settings = profiled(&never);
        assert!(
            weight("json", &profiled(&["json"]), None).is_some(),
            "the profile is read"
        );
        settings.heavy_modules = vec!["typing".into()];
        for module in never {
            assert!(weight(module, &settings, None).is_none(), "{module}");
        }
    }

    #[test]
    fn the_built_in_list_does_not_apply_to_the_checked_package() {
        let settings = LazyImportSettings::default();
        assert!(weight("pandas.core.frame", &settings, Some("pandas.io")).is_none());
        assert!(weight("pandas", &settings, Some("pandas.io")).is_none());
        assert!(weight("numpy", &settings, Some("pandas.io")).is_some());
        assert!(weight("pandas", &settings, Some("pandas_extra.io")).is_some());
        // A measured profile still decides.
        let measured = profiled(&["pandas.core.frame"]);
        assert!(weight("pandas.core.frame", &measured, Some("pandas.io")).is_some());
        // A relative import inside a measured package costs what its submodule does.
        let mut costs = (*measured.costs).clone();
        costs.insert(
            "httpx".into(),
            tauten_engine::import_profile::ModuleCost {
                self_us: 1_000,
                cumulative_us: 175_000,
            },
        );
        costs.insert(
            "httpx._exceptions".into(),
            tauten_engine::import_profile::ModuleCost {
                self_us: 400,
                cumulative_us: 400,
            },
        );
        let httpx = LazyImportSettings {
            costs: std::sync::Arc::new(costs),
            ..LazyImportSettings::default()
        };
        assert!(weight(
            "httpx._exceptions.DecodingError",
            &httpx,
            Some("httpx._client")
        )
        .is_none());
        assert!(weight("httpx._exceptions", &httpx, Some("app.main")).is_some());
        assert_eq!(first_loaded("rich.console", Some("app.cli")), "rich");
        assert_eq!(
            first_loaded("pkg.models.user", Some("pkg.cli")),
            "pkg.models"
        );
        assert_eq!(first_loaded("pkg.sub.a", Some("pkg.sub.b")), "pkg.sub.a");
        assert_eq!(first_loaded("numpy", None), "numpy");
        // With `measured_only`, what the profile did not measure is not heavy, listed or not.
        let mut only = profiled(&["json"]);
        only.measured_only = true;
        only.heavy_modules = vec!["pandas".into()];
        assert!(weight("json", &only, None).is_some());
        assert!(weight("numpy", &only, None).is_none());
        assert!(weight("pandas", &only, None).is_none());
    }
}
