//! The settings rules read: what a configuration file says of each rule family (the
//! configuration module reads them from the file).

use std::sync::Arc;

/// A Python version, `py38` ... `py315`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PythonVersion {
    pub major: u8,
    pub minor: u8,
}

impl PythonVersion {
    /// Parse `py38`, `py312`, `py315`.
    pub fn parse(text: &str) -> Option<Self> {
        let digits = text.strip_prefix("py")?;
        let (major, minor) = digits.split_at_checked(1)?;
        let version = PythonVersion {
            major: major.parse().ok()?,
            minor: minor.parse().ok()?,
        };
        (version.major == 3 && (7..=15).contains(&version.minor)).then_some(version)
    }

    /// The lowest version a PEP 440 `requires-python` allows (`>=3.15`, `~=3.15.0`, `==3.15.*`,
    /// `>=3.9, <4`), when it names one.
    pub fn lowest_allowed(requires_python: &str) -> Option<Self> {
        let mut lowest: Option<PythonVersion> = None;
        for clause in requires_python.split(',').map(str::trim) {
            // `>3.14` allows 3.14.1: the same minor version as `>=3.14`.
            let Some(version) = [">=", "~=", "==", ">"]
                .iter()
                .find_map(|operator| clause.strip_prefix(operator))
            else {
                continue;
            };
            let mut parts = version.trim().split('.');
            let Some(major) = parts.next().and_then(|p| p.parse::<u8>().ok()) else {
                continue;
            };
            let minor = parts.next().and_then(|p| p.parse::<u8>().ok()).unwrap_or(0);
            if lowest.is_none_or(|l| (l.major, l.minor) < (major, minor)) {
                lowest = Some(PythonVersion { major, minor });
            }
        }
        lowest.filter(|v| v.major == 3)
    }
}

/// Settings rules read (the per-rule option tables and the target version).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LintSettings {
    pub target_version: Option<PythonVersion>,
    /// `[tool.tauten.imports] allowed-unused-imports`: modules (a prefix covers submodules) whose
    /// imports are never reported unused.
    pub allowed_unused_imports: Vec<String>,
    /// `[tool.tauten.typing]`: what evaluates annotations at run time, and how strict TAU201 is.
    pub typing: TypingSettings,
    /// `[tool.tauten.async]`: the user's blocking functions and exceptions.
    pub asyncio: AsyncSettings,
    /// `[tool.tauten.lazy-imports]`: what counts as heavy, and how imports are deferred.
    pub lazy: LazyImportSettings,
    /// `[tool.tauten.module-size]`: when a module is too large (TAU401).
    pub module_size: ModuleSizeSettings,
}

/// `[tool.tauten.module-size]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ModuleSizeSettings {
    /// A module with more lines is reported (pylint's `max-module-lines`).
    pub max_lines: usize,
    /// A module with more bytes is reported.
    pub max_bytes: usize,
}

impl Default for ModuleSizeSettings {
    fn default() -> Self {
        ModuleSizeSettings {
            max_lines: 1000,
            max_bytes: 100 * 1024,
        }
    }
}

/// `[tool.tauten.typing]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TypingSettings {
    /// Report a typing-only import even when another import of the same module stays at run time.
    pub strict: bool,
    /// Also move imports whose only run-time uses are annotations Python evaluates, quoting those
    /// annotations in the fix.
    pub quote_annotations: bool,
    /// Modules whose imports are never moved (added to `typing` and `typing_extensions`).
    pub exempt_modules: Vec<String>,
    /// Base classes whose subclasses' annotations are read at run time (added to the defaults:
    /// pydantic, SQLAlchemy, SQLModel, msgspec...).
    pub runtime_evaluated_base_classes: Vec<String>,
    /// Decorators whose classes' or functions' annotations are read at run time (added to the
    /// defaults: attrs, pydantic's `validate_call`, functools' `singledispatch` registrations...).
    pub runtime_evaluated_decorators: Vec<String>,
}

/// `[tool.tauten.lazy-imports]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LazyImportSettings {
    /// Modules that count as heavy besides the built-in list (a prefix covers submodules).
    pub heavy_modules: Vec<String>,
    /// The import profile as configured (`profile`), relative to the configuration's directory.
    pub profile: Option<String>,
    /// Costs read from the profile (default `.tauten/importtime.json`, when it exists).
    pub costs: Arc<std::collections::BTreeMap<String, crate::import_profile::ModuleCost>>,
    /// With a profile, a module whose cumulative cost reaches this many microseconds is heavy.
    pub threshold_us: u64,
    /// How imports are deferred; `None`: `pep810` when the target version is 3.15 or later.
    pub style: Option<LazyStyle>,
    /// Only the profile says what is heavy: neither `heavy-modules` nor the built-in list counts
    /// (`tauten startup`, whose profile measured everything its command imports).
    pub measured_only: bool,
}

impl Default for LazyImportSettings {
    fn default() -> Self {
        LazyImportSettings {
            heavy_modules: Vec::new(),
            profile: None,
            costs: Arc::default(),
            threshold_us: 10_000,
            style: None,
            measured_only: false,
        }
    }
}

/// `style` of `[tool.tauten.lazy-imports]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LazyStyle {
    /// Move the import into each function that uses it.
    FunctionLocal,
    /// `lazy import x` (PEP 810, Python 3.15).
    Pep810,
    /// List the module in the module's `__lazy_modules__` (PEP 810): lazy on Python 3.15, eager
    /// on older versions, with no change of syntax.
    LazyModules,
}

/// Where `tauten profile-imports` writes, and the lazy-import rules read, the import profile.
pub const DEFAULT_PROFILE: &str = ".tauten/importtime.json";

/// `[tool.tauten.async]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AsyncSettings {
    /// Qualified-name patterns (`pkg.db.*`) of more functions that block (reported as TAU507 and
    /// followed by TAU510).
    pub extra_blocking_functions: Vec<String>,
    /// Qualified-name patterns never reported nor followed as blocking.
    pub allowed_blocking_functions: Vec<String>,
    /// The project uses aiofiles (the setting `aiofiles`, or `aiofiles` among the pyproject's
    /// dependencies): `with open(...)` in `async def` can become `async with aiofiles.open(...)`.
    pub aiofiles: bool,
    /// The function the thread-hop fixes call instead of the event loop library's, as
    /// `await runner(func, *args)`: a qualified name (`starlette.concurrency.run_in_threadpool`).
    pub to_thread_runner: Option<String>,
    /// `group-callers-above`: a blocking helper called from more coroutines than this is reported
    /// once, in the helper, with every call site (TAU510/TAU511). `None`: the default, 5.
    pub group_callers_above: Option<usize>,
}

impl AsyncSettings {
    /// How many calling coroutines a blocking helper may have before its findings are grouped.
    pub fn group_callers_above(&self) -> usize {
        self.group_callers_above.unwrap_or(5)
    }
}
