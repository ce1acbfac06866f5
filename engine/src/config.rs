//! Configuration: `[tool.tauten]` in pyproject.toml or a `tauten.toml`, nearest to each file wins.
//!
//! Keys are kebab-case, as in ruff. An unknown key or a value of the wrong type is an error that
//! points at the key (or value) in the file.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use globset::{Glob, GlobSet, GlobSetBuilder};
use toml_edit::{Document, Item, Table};

use crate::selection::Selectors;

pub use crate::settings::*;

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
    /// Every code prefix the file names, with its span, for validation against the rule set.
    pub selector_spans: Vec<(String, Range<usize>)>,
    /// The file's text, for rendering errors found after loading.
    pub source_text: String,
    /// Where the file sets `lazy-imports.profile`, to point at when the profile cannot be read.
    pub profile_span: Option<Range<usize>>,
    /// Compiled glob sets, built on first use (not part of the configuration's identity).
    pub(crate) matchers: Compiled,
}

/// Glob sets compiled once per configuration.
#[derive(Debug, Default)]
pub(crate) struct Compiled {
    exclude: OnceLock<GlobSet>,
    per_file_ignores: OnceLock<Vec<GlobSet>>,
}

impl Clone for Compiled {
    fn clone(&self) -> Self {
        Compiled::default()
    }
}

impl PartialEq for Compiled {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Compiled {}

impl Hash for Compiled {
    fn hash<H: Hasher>(&self, _: &mut H) {}
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

/// Directories skipped unless `exclude` replaces this list (as ruff's defaults).
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tauten_cache",
    ".tox",
    ".venv",
    ".vscode",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

const TOP_LEVEL_KEYS: &[&str] = &[
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "target-version",
    "imports",
    "typing",
    "async",
    "lazy-imports",
    "module-size",
];

const MODULE_SIZE_KEYS: &[&str] = &["max-lines", "max-bytes"];

const IMPORTS_KEYS: &[&str] = &["allowed-unused-imports"];

const LAZY_KEYS: &[&str] = &["heavy-modules", "profile", "threshold-ms", "style"];

const ASYNC_KEYS: &[&str] = &[
    "extra-blocking-functions",
    "allowed-blocking-functions",
    "aiofiles",
    "to-thread-runner",
    "group-callers-above",
];

const TYPING_KEYS: &[&str] = &[
    "strict",
    "quote-annotations",
    "exempt-modules",
    "runtime-evaluated-base-classes",
    "runtime-evaluated-decorators",
];

impl Config {
    /// The defaults, rooted at `root`. The import profile is not read here (the engine reads no
    /// files): the workspace layer adds it with [`Config::use_profile`].
    pub fn defaults_at(root: &Path) -> Self {
        Config {
            root: root.to_path_buf(),
            ..Config::default()
        }
    }

    /// Where the import profile is: the configured path (and `true`), else the default place.
    pub fn profile_path(&self) -> (PathBuf, bool) {
        let configured = self.lint.lazy.profile.as_deref();
        (
            self.root.join(configured.unwrap_or(DEFAULT_PROFILE)),
            configured.is_some(),
        )
    }

    /// Take an import profile's costs into the lint settings.
    pub fn use_profile(&mut self, profile: &crate::import_profile::ImportProfile) {
        self.lint.lazy.costs = Arc::new(profile.costs());
    }

    /// The error for an import profile at `path` that cannot be read, pointing at its key.
    pub fn profile_error(&self, path: &Path, message: &str) -> ConfigError {
        ConfigError {
            path: self.path.clone().unwrap_or_default(),
            source_text: self.source_text.clone(),
            span: self.profile_span.clone(),
            message: format!(
                "cannot read the import profile {}: {message}",
                path.display()
            ),
            help: Some(
                "write one with `tauten profile-imports -- python -c \"import yourpackage\"`"
                    .into(),
            ),
        }
    }

    /// Parse the text of `path` (a `pyproject.toml` or a `tauten.toml`).
    pub fn parse(path: &Path, text: &str) -> Result<Option<Config>, ConfigError> {
        let error =
            |span: Option<Range<usize>>, message: String, help: Option<String>| ConfigError {
                path: path.to_path_buf(),
                source_text: text.to_owned(),
                span,
                message,
                help,
            };
        let document = Document::parse(text)
            .map_err(|err| error(err.span(), format!("invalid TOML: {}", err.message()), None))?;
        let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        let table = if is_pyproject {
            let Some(tool) = document
                .as_table()
                .get("tool")
                .and_then(Item::as_table_like)
            else {
                return Ok(None);
            };
            match tool.get("tauten") {
                None => return Ok(None),
                Some(item) => match item.as_table() {
                    Some(table) => table,
                    None => {
                        return Err(error(
                            item.span(),
                            "`tool.tauten` must be a table".into(),
                            None,
                        ));
                    }
                },
            }
        } else {
            document.as_table()
        };
        let root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut config = Config {
            path: Some(path.to_path_buf()),
            root,
            source_text: text.to_owned(),
            ..Config::default()
        };
        let mut reader = Reader {
            config: &mut config,
            error: &error,
        };
        reader.config.lint.asyncio.aiofiles = is_pyproject && depends_on(&document, "aiofiles");
        // As in ruff: without `target-version`, the project's `requires-python` says.
        reader.config.lint.target_version = (document.as_table().get("project"))
            .and_then(|p| p.get("requires-python"))
            .and_then(Item::as_str)
            .filter(|_| is_pyproject)
            .and_then(PythonVersion::lowest_allowed);
        reader.read_top_level(table)?;
        Ok(Some(config))
    }

    /// Code prefixes `per-file-ignores` disables for `file`.
    pub fn ignores_for(&self, file: &Path) -> Vec<String> {
        let relative = file.strip_prefix(&self.root).unwrap_or(file);
        let name = file.file_name().map(Path::new);
        let sets = self.matchers.per_file_ignores.get_or_init(|| {
            self.per_file_ignores
                .iter()
                .map(|(pattern, _)| glob_set([pattern.as_str()]))
                .collect()
        });
        let mut codes = Vec::new();
        for (set, (_, pattern_codes)) in sets.iter().zip(&self.per_file_ignores) {
            if set.is_match(relative) || name.is_some_and(|n| set.is_match(n)) {
                codes.extend(pattern_codes.iter().cloned());
            }
        }
        codes
    }

    /// True when `path`'s name, or its path relative to the configuration's directory, matches
    /// `exclude` (the defaults unless replaced) or `extend-exclude`. Walks ask this of each entry,
    /// so an excluded directory hides everything below it.
    pub fn is_excluded(&self, path: &Path) -> bool {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        let set = self.matchers.exclude.get_or_init(|| {
            let patterns: Vec<&str> = match &self.exclude {
                Some(exclude) => exclude.iter().map(String::as_str).collect(),
                None => DEFAULT_EXCLUDES.to_vec(),
            };
            glob_set(
                patterns
                    .into_iter()
                    .chain(self.extend_exclude.iter().map(String::as_str)),
            )
        });
        let name_matches = path
            .file_name()
            .is_some_and(|name| set.is_match(Path::new(name)));
        name_matches || (relative != path && set.is_match(relative))
    }

    /// A hash of everything that can change a file's findings, for the cache key.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.hash(&mut hasher);
        hasher.finish()
    }

    /// Check every code prefix the file names with `is_known`; the first unknown one is an error.
    pub fn validate_selectors(&self, is_known: impl Fn(&str) -> bool) -> Result<(), ConfigError> {
        for (selector, span) in &self.selector_spans {
            if !is_known(selector) {
                return Err(ConfigError {
                    path: self.path.clone().unwrap_or_default(),
                    source_text: self.source_text.clone(),
                    span: Some(span.clone()),
                    message: format!("unknown rule selector `{selector}`"),
                    help: Some(
                        "use a code or code prefix listed by `tauten rules` (tauten's or another tool's), or `ALL`".into(),
                    ),
                });
            }
        }
        Ok(())
    }
}

/// True when a pyproject lists `package` among its dependencies (PEP 621, optional ones, or Poetry's).
fn depends_on(document: &Document<&str>, package: &str) -> bool {
    let names_package = |requirement: &str| {
        let name_end = requirement
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(requirement.len());
        requirement[..name_end].eq_ignore_ascii_case(package)
    };
    let in_list = |item: Option<&Item>| {
        item.and_then(Item::as_array).is_some_and(|list| {
            list.iter()
                .any(|v| v.as_str().is_some_and(|r| names_package(r.trim())))
        })
    };
    let root = document.as_table();
    let project = root.get("project").and_then(Item::as_table_like);
    if project.is_some_and(|p| in_list(p.get("dependencies"))) {
        return true;
    }
    let optional = project
        .and_then(|p| p.get("optional-dependencies"))
        .and_then(Item::as_table_like);
    if optional.is_some_and(|o| o.iter().any(|(_, list)| in_list(Some(list)))) {
        return true;
    }
    root.get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("dependencies"))
        .and_then(Item::as_table_like)
        .is_some_and(|deps| deps.contains_key(package))
}

fn glob_set<'a>(patterns: impl IntoIterator<Item = &'a str>) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = Glob::new(pattern) {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// Reads the keys of a `[tool.tauten]` table into a [`Config`].
struct Reader<'c, E> {
    config: &'c mut Config,
    error: &'c E,
}

impl<E> Reader<'_, E>
where
    E: Fn(Option<Range<usize>>, String, Option<String>) -> ConfigError,
{
    fn read_top_level(&mut self, table: &Table) -> Result<(), ConfigError> {
        for (key, item) in table.iter() {
            match key {
                "select" => self.config.selectors.select = Some(self.selectors(item, key)?),
                "ignore" => self.config.selectors.ignore = self.selectors(item, key)?,
                "extend-select" => {
                    self.config.selectors.extend_select = self.selectors(item, key)?
                }
                "exclude" => self.config.exclude = Some(self.strings(item, key)?),
                "extend-exclude" => self.config.extend_exclude = self.strings(item, key)?,
                "target-version" => {
                    let text = self.string(item, key)?;
                    let version = PythonVersion::parse(&text).ok_or_else(|| {
                        (self.error)(
                            item.span(),
                            format!("`target-version` must be one of py37 ... py315, not `{text}`"),
                            None,
                        )
                    })?;
                    self.config.lint.target_version = Some(version);
                }
                "per-file-ignores" => {
                    let table = item.as_table_like().ok_or_else(|| {
                        (self.error)(
                            item.span(),
                            "`per-file-ignores` must be a table of glob = [codes]".into(),
                            None,
                        )
                    })?;
                    for (pattern, codes) in table.iter() {
                        if let Err(err) = Glob::new(pattern) {
                            return Err((self.error)(
                                table.key(pattern).and_then(|k| k.span()),
                                format!("invalid glob `{pattern}`: {err}"),
                                None,
                            ));
                        }
                        let codes = self.selectors(codes, "per-file-ignores")?;
                        self.config
                            .per_file_ignores
                            .push((pattern.to_owned(), codes));
                    }
                }
                "imports" => {
                    let table = item.as_table_like().ok_or_else(|| {
                        (self.error)(item.span(), "`imports` must be a table".into(), None)
                    })?;
                    for (option, value) in table.iter() {
                        match option {
                            "allowed-unused-imports" => {
                                self.config.lint.allowed_unused_imports =
                                    self.strings(value, option)?;
                            }
                            _ => {
                                return Err(self.unknown_key(
                                    table.key(option).and_then(|k| k.span()),
                                    option,
                                    IMPORTS_KEYS,
                                ));
                            }
                        }
                    }
                }
                "typing" => {
                    let table = item.as_table_like().ok_or_else(|| {
                        (self.error)(item.span(), "`typing` must be a table".into(), None)
                    })?;
                    for (option, value) in table.iter() {
                        let typing = &mut self.config.lint.typing;
                        match option {
                            "strict" => {
                                typing.strict = value.as_bool().ok_or_else(|| {
                                    (self.error)(
                                        value.span(),
                                        "`strict` must be true or false".into(),
                                        None,
                                    )
                                })?;
                            }
                            "quote-annotations" => {
                                typing.quote_annotations = value.as_bool().ok_or_else(|| {
                                    (self.error)(
                                        value.span(),
                                        "`quote-annotations` must be true or false".into(),
                                        None,
                                    )
                                })?;
                            }
                            "exempt-modules" => {
                                self.config.lint.typing.exempt_modules =
                                    self.strings(value, option)?;
                            }
                            "runtime-evaluated-base-classes" => {
                                self.config.lint.typing.runtime_evaluated_base_classes =
                                    self.strings(value, option)?;
                            }
                            "runtime-evaluated-decorators" => {
                                self.config.lint.typing.runtime_evaluated_decorators =
                                    self.strings(value, option)?;
                            }
                            _ => {
                                return Err(self.unknown_key(
                                    table.key(option).and_then(|k| k.span()),
                                    option,
                                    TYPING_KEYS,
                                ));
                            }
                        }
                    }
                }
                "async" => self.read_async(item)?,
                "lazy-imports" => self.read_lazy(item)?,
                "module-size" => self.read_module_size(item)?,
                _ => {
                    return Err(self.unknown_key(
                        table.key(key).and_then(|k| k.span()),
                        key,
                        TOP_LEVEL_KEYS,
                    ))
                }
            }
        }
        Ok(())
    }

    fn read_lazy(&mut self, item: &Item) -> Result<(), ConfigError> {
        let table = item.as_table_like().ok_or_else(|| {
            (self.error)(item.span(), "`lazy-imports` must be a table".into(), None)
        })?;
        for (option, value) in table.iter() {
            match option {
                "heavy-modules" => {
                    self.config.lint.lazy.heavy_modules = self.strings(value, option)?;
                }
                "profile" => {
                    self.config.lint.lazy.profile = Some(self.string(value, option)?);
                    self.config.profile_span = value.span();
                }
                "threshold-ms" => {
                    let ms = value
                        .as_float()
                        .or_else(|| value.as_integer().map(|i| i as f64))
                        .filter(|ms| ms.is_finite() && *ms >= 0.0)
                        .ok_or_else(|| {
                            (self.error)(
                                value.span(),
                                "`threshold-ms` must be a number of milliseconds (>= 0)".into(),
                                None,
                            )
                        })?;
                    self.config.lint.lazy.threshold_us = (ms * 1000.0).round() as u64;
                }
                "style" => {
                    let text = self.string(value, option)?;
                    self.config.lint.lazy.style = Some(match text.as_str() {
                        "function-local" => LazyStyle::FunctionLocal,
                        "pep810" => LazyStyle::Pep810,
                        "lazy-modules" => LazyStyle::LazyModules,
                        _ => {
                            return Err((self.error)(
                                value.span(),
                                format!(
                                "`style` must be \"function-local\", \"pep810\" or \"lazy-modules\", not `{text}`"
                            ),
                                None,
                            ))
                        }
                    });
                }
                _ => {
                    return Err(self.unknown_key(
                        table.key(option).and_then(|k| k.span()),
                        option,
                        LAZY_KEYS,
                    ));
                }
            }
        }
        Ok(())
    }

    fn read_async(&mut self, item: &Item) -> Result<(), ConfigError> {
        let table = item
            .as_table_like()
            .ok_or_else(|| (self.error)(item.span(), "`async` must be a table".into(), None))?;
        for (option, value) in table.iter() {
            match option {
                "extra-blocking-functions" => {
                    self.config.lint.asyncio.extra_blocking_functions =
                        self.strings(value, option)?;
                }
                "allowed-blocking-functions" => {
                    self.config.lint.asyncio.allowed_blocking_functions =
                        self.strings(value, option)?;
                }
                "aiofiles" => {
                    self.config.lint.asyncio.aiofiles = value.as_bool().ok_or_else(|| {
                        (self.error)(
                            value.span(),
                            "`aiofiles` must be true or false".into(),
                            None,
                        )
                    })?;
                }
                "to-thread-runner" => {
                    let runner = value
                        .as_str()
                        .filter(|text| {
                            text.split('.').count() >= 2
                                && text.split('.').all(|part| {
                                    let mut chars = part.chars();
                                    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                                        && chars.all(|c| c.is_alphanumeric() || c == '_')
                                })
                        })
                        .ok_or_else(|| {
                            (self.error)(
                                value.span(),
                                "`to-thread-runner` must be the qualified name of a function, \
                                 as \"starlette.concurrency.run_in_threadpool\""
                                    .into(),
                                None,
                            )
                        })?;
                    self.config.lint.asyncio.to_thread_runner = Some(runner.to_owned());
                }
                "group-callers-above" => {
                    let count = value
                        .as_integer()
                        .filter(|n| *n > 0)
                        .and_then(|n| usize::try_from(n).ok())
                        .ok_or_else(|| {
                            (self.error)(
                                value.span(),
                                "`group-callers-above` must be a positive integer".into(),
                                None,
                            )
                        })?;
                    self.config.lint.asyncio.group_callers_above = Some(count);
                }
                _ => {
                    return Err(self.unknown_key(
                        table.key(option).and_then(|k| k.span()),
                        option,
                        ASYNC_KEYS,
                    ));
                }
            }
        }
        Ok(())
    }

    fn read_module_size(&mut self, item: &Item) -> Result<(), ConfigError> {
        let table = item.as_table_like().ok_or_else(|| {
            (self.error)(item.span(), "`module-size` must be a table".into(), None)
        })?;
        for (option, value) in table.iter() {
            let count = || {
                value
                    .as_integer()
                    .filter(|n| *n > 0)
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| {
                        (self.error)(
                            value.span(),
                            format!("`{option}` must be a positive integer"),
                            None,
                        )
                    })
            };
            match option {
                "max-lines" => self.config.lint.module_size.max_lines = count()?,
                "max-bytes" => self.config.lint.module_size.max_bytes = count()?,
                _ => {
                    return Err(self.unknown_key(
                        table.key(option).and_then(|k| k.span()),
                        option,
                        MODULE_SIZE_KEYS,
                    ));
                }
            }
        }
        Ok(())
    }

    fn unknown_key(&self, span: Option<Range<usize>>, key: &str, valid: &[&str]) -> ConfigError {
        let suggestion = valid
            .iter()
            .min_by_key(|candidate| edit_distance(key, candidate))
            .filter(|candidate| edit_distance(key, candidate) <= 3);
        let help = match suggestion {
            Some(candidate) => format!(
                "did you mean `{candidate}`? Valid keys: {}",
                valid.join(", ")
            ),
            None => format!("valid keys: {}", valid.join(", ")),
        };
        (self.error)(span, format!("unknown key `{key}`"), Some(help))
    }

    fn string(&self, item: &Item, key: &str) -> Result<String, ConfigError> {
        item.as_str()
            .map(str::to_owned)
            .ok_or_else(|| (self.error)(item.span(), format!("`{key}` must be a string"), None))
    }

    fn strings(&self, item: &Item, key: &str) -> Result<Vec<String>, ConfigError> {
        Ok(self
            .strings_with_spans(item, key)?
            .into_iter()
            .map(|(s, _)| s)
            .collect())
    }

    fn strings_with_spans(
        &self,
        item: &Item,
        key: &str,
    ) -> Result<Vec<(String, Range<usize>)>, ConfigError> {
        let not_a_list = || {
            (self.error)(
                item.span(),
                format!("`{key}` must be a list of strings"),
                None,
            )
        };
        let array = item.as_array().ok_or_else(not_a_list)?;
        array
            .iter()
            .map(|value| {
                let span = value.span().unwrap_or_default();
                value
                    .as_str()
                    .map(|s| (s.to_owned(), span.clone()))
                    .ok_or_else(|| {
                        (self.error)(
                            Some(span),
                            format!("`{key}` must be a list of strings"),
                            None,
                        )
                    })
            })
            .collect()
    }

    /// A list of code prefixes; remembered with their spans for validation.
    fn selectors(&mut self, item: &Item, key: &str) -> Result<Vec<String>, ConfigError> {
        let values = self.strings_with_spans(item, key)?;
        self.config.selector_spans.extend(values.iter().cloned());
        Ok(values.into_iter().map(|(s, _)| s).collect())
    }
}

/// Levenshtein distance, for "did you mean" hints on short keys.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests;
