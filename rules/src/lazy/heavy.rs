//! What counts as a heavy module: a measured profile above the threshold, the user's list, or the
//! built-in list of well-known heavy libraries.

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

/// The weight of importing `module` (absolute, dotted), when it is heavy. A profile, when there
/// is one, decides for the modules it measured (but for the user's own list).
pub fn weight(module: &str, settings: &LazyImportSettings) -> Option<Weight> {
    let measured = cost_of(&settings.costs, module);
    if settings.heavy_modules.iter().any(|p| covers(p, module)) {
        return Some(measured.map_or(Weight::Configured, |cost| {
            Weight::Measured(cost.cumulative_us as f64 / 1000.0)
        }));
    }
    if let Some(cost) = measured {
        return (cost.cumulative_us >= settings.threshold_us)
            .then(|| Weight::Measured(cost.cumulative_us as f64 / 1000.0));
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
        assert!(weight("numpy.linalg", &settings).is_some());
        assert!(weight("numpyro", &settings).is_none());
        assert!(weight("json", &settings).is_none());
    }
}
