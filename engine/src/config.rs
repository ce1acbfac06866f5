//! Configuration: `[tool.tauten]` in pyproject.toml or a `tauten.toml`, nearest to each file wins.
//! (Interface fixed; loading from files to be completed.)

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::selection::Selectors;

/// A Python version, `py38` ... `py315`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PythonVersion {
    pub major: u8,
    pub minor: u8,
}

/// Settings rules read (the per-rule option tables and the target version).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LintSettings {
    pub target_version: Option<PythonVersion>,
    /// `[tool.tauten.imports] allowed-unused-imports`: modules (a prefix covers submodules) whose
    /// imports are never reported unused.
    pub allowed_unused_imports: Vec<String>,
}

/// One configuration file's settings (or the defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Config {
    /// The file this was read from; `None` for the defaults.
    pub path: Option<PathBuf>,
    /// The directory relative patterns (exclude, per-file-ignores) are relative to.
    pub root: PathBuf,
    pub selectors: Selectors,
    /// `per-file-ignores`: glob pattern -> code prefixes.
    pub per_file_ignores: Vec<(String, Vec<String>)>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Vec<String>,
    pub lint: LintSettings,
}

/// A configuration file that cannot be used, pointing at the key at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// The file's text, for rendering the span.
    pub source_text: String,
    /// Byte range of the offending key or value in `source_text`.
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// The defaults, rooted at `root`.
    pub fn default_for(root: &Path) -> Self {
        Config {
            root: root.to_path_buf(),
            ..Config::default()
        }
    }

    /// Code prefixes `per-file-ignores` disables for `file`.
    pub fn ignores_for(&self, _file: &Path) -> Vec<String> {
        Vec::new()
    }

    /// True when `path` matches `exclude` or `extend-exclude`.
    pub fn is_excluded(&self, _path: &Path) -> bool {
        false
    }

    /// A hash of everything that can change a file's findings, for the cache key.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.hash(&mut hasher);
        hasher.finish()
    }
}

/// Finds and caches the configuration that applies to each file.
#[derive(Debug, Default)]
pub struct Resolver {
    explicit: Option<Arc<Config>>,
}

impl Resolver {
    /// With `explicit` (`--config FILE`), that file applies everywhere.
    pub fn new(explicit: Option<&Path>) -> Result<Self, ConfigError> {
        let _ = explicit;
        Ok(Resolver { explicit: None })
    }

    /// The configuration nearest to `file`: the first pyproject.toml with `[tool.tauten]` or
    /// tauten.toml found walking up from its directory; the defaults when there is none.
    pub fn config_for(&self, file: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(config) = &self.explicit {
            return Ok(config.clone());
        }
        let root = file.parent().unwrap_or(Path::new("."));
        Ok(Arc::new(Config::default_for(root)))
    }
}
