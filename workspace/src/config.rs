//! The configuration files: reading them (and the import profile they name), and finding the one
//! that applies to each file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tauten_engine::config::{Config, ConfigError};
use tauten_engine::import_profile::ImportProfile;

/// Read a configuration file. `Ok(None)` for a pyproject.toml without `[tool.tauten]`.
pub fn load(path: &Path) -> Result<Option<Config>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|err| ConfigError {
        path: path.to_path_buf(),
        source_text: String::new(),
        span: None,
        message: format!("cannot read configuration: {err}"),
        help: None,
    })?;
    let mut config = Config::parse(path, &text)?;
    if let Some(config) = config.as_mut() {
        load_profile(config)?;
    }
    Ok(config)
}

/// The defaults, rooted at `root`, with the import profile at its default place, if any.
pub fn defaults_for(root: &Path) -> Config {
    let mut config = Config::defaults_at(root);
    // Only an explicitly configured profile is an error when it cannot be read.
    let _ = load_profile(&mut config);
    config
}

/// Read the import profile into the lint settings: the configured one (an error pointing at the
/// key when it cannot be read), else the default one when it exists.
pub fn load_profile(config: &mut Config) -> Result<(), ConfigError> {
    let (path, configured) = config.profile_path();
    if !configured && !path.is_file() {
        return Ok(());
    }
    match read_import_profile(&path) {
        Ok(profile) => {
            config.use_profile(&profile);
            Ok(())
        }
        Err(message) => Err(config.profile_error(&path, &message)),
    }
}

/// Read a profile written by `tauten profile-imports`.
pub fn read_import_profile(path: &Path) -> Result<ImportProfile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    ImportProfile::parse(&text)
}

/// Finds and caches the configuration that applies to each file. Cheap to clone (shared cache).
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    inner: Arc<ResolverInner>,
}

#[derive(Debug, Default)]
struct ResolverInner {
    explicit: Option<Arc<Config>>,
    /// Directory -> the configuration found in it (not above it), if any.
    by_directory: Mutex<HashMap<PathBuf, Option<Arc<Config>>>>,
    /// Directory (as given) -> the configuration that applies to its files.
    resolved: Mutex<HashMap<PathBuf, Arc<Config>>>,
    /// The working directory when the resolver was made.
    cwd: PathBuf,
    /// The defaults, rooted at the working directory.
    defaults: Arc<Config>,
}

impl Resolver {
    /// With `explicit` (`--config FILE`), that file applies everywhere.
    pub fn new(explicit: Option<&Path>) -> Result<Self, ConfigError> {
        let explicit = match explicit {
            None => None,
            Some(path) => {
                let config = load(path)?.unwrap_or_else(|| {
                    let mut config = defaults_for(path.parent().unwrap_or(Path::new(".")));
                    config.path = Some(path.to_path_buf());
                    config
                });
                Some(Arc::new(config))
            }
        };
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        Ok(Resolver {
            inner: Arc::new(ResolverInner {
                explicit,
                by_directory: Mutex::new(HashMap::new()),
                resolved: Mutex::new(HashMap::new()),
                defaults: Arc::new(defaults_for(&cwd)),
                cwd,
            }),
        })
    }

    /// The configuration nearest to `path`: the first tauten.toml, or pyproject.toml with
    /// `[tool.tauten]`, found walking up from its directory (from itself for a directory); the
    /// defaults when there is none.
    pub fn config_for(&self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        if self.inner.explicit.is_none() && path.is_dir() {
            return self.config_for_directory(path);
        }
        self.config_for_file(path)
    }

    /// [`Resolver::config_for`] for a path known to be a file (as discovery found it): its
    /// directory's configuration, without asking the file system what the path is.
    pub fn config_for_file(&self, file: &Path) -> Result<Arc<Config>, ConfigError> {
        match file.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => self.config_for_directory(parent),
            _ => self.config_for_directory(Path::new(".")),
        }
    }

    /// The configuration that applies to the files of `directory`, cached under the directory as
    /// given (the working directory does not change during a run).
    fn config_for_directory(&self, directory: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(config) = &self.inner.explicit {
            return Ok(config.clone());
        }
        if let Some(resolved) = self.lock_resolved().get(directory) {
            return Ok(resolved.clone());
        }
        let absolute = self.absolute(directory);
        let mut found = None;
        for ancestor in absolute.ancestors() {
            if let Some(config) = self.config_in(ancestor)? {
                found = Some(config);
                break;
            }
        }
        let config = found.unwrap_or_else(|| self.inner.defaults.clone());
        self.lock_resolved()
            .insert(directory.to_path_buf(), config.clone());
        Ok(config)
    }

    /// `path` made absolute against the working directory the resolver was made in, without the
    /// `getcwd` call per path of `std::path::absolute` (`.` components dropped, `..` kept).
    pub fn absolute(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.components().collect()
        } else if self.inner.cwd.as_os_str().is_empty() {
            // `Resolver::default()`: no working directory was taken.
            std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
        } else {
            self.inner.cwd.join(path).components().collect()
        }
    }

    fn lock_resolved(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<Config>>> {
        self.inner
            .resolved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The configuration file in `directory` itself, cached.
    fn config_in(&self, directory: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        if let Some(cached) = self.lock().get(directory) {
            return Ok(cached.clone());
        }
        let mut found = None;
        for name in ["tauten.toml", "pyproject.toml"] {
            let candidate = directory.join(name);
            if candidate.is_file() {
                if let Some(config) = load(&candidate)? {
                    found = Some(Arc::new(config));
                    break;
                }
            }
        }
        self.lock().insert(directory.to_path_buf(), found.clone());
        Ok(found)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Option<Arc<Config>>>> {
        self.inner
            .by_directory
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A predicate for directory walks: is this path (a directory when the flag says so) excluded
    /// by the configuration nearest to it? Configuration errors are reported when the files are
    /// checked, not here.
    pub fn exclusion_filter(&self) -> impl Fn(&Path, bool) -> bool + Send + Sync + 'static {
        let resolver = self.clone();
        move |path: &Path, is_dir: bool| {
            let config = if is_dir {
                resolver.config_for_directory(path)
            } else {
                resolver.config_for_file(path)
            };
            let config = config.unwrap_or_else(|_| resolver.inner.defaults.clone());
            config.is_excluded(&resolver.absolute(path))
        }
    }
}

#[cfg(test)]
mod tests;
