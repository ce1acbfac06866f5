//! The result cache: outcomes keyed on file content, settings and tauten's version.
//! (Stub: to be completed — see the interface below.)

use std::path::Path;

use crate::driver::Outcome;
use crate::rule::Rule;

/// A cache of check outcomes, shared by the worker threads of a run.
#[derive(Debug, Default)]
pub struct Cache {}

impl Cache {
    /// Open (or start) the cache stored in `dir`.
    pub fn open(_dir: &Path) -> Self {
        Cache {}
    }

    /// The key of a file with these bytes checked under these settings by this version of tauten.
    pub fn key(&self, _bytes: &[u8], _settings_key: u64) -> u64 {
        0
    }

    /// The stored outcome for `path` under `key`, rebuilt against `rules`.
    pub fn get(&self, _path: &Path, _key: u64, _rules: &[&dyn Rule]) -> Option<Outcome> {
        None
    }

    pub fn put(&self, _path: &Path, _key: u64, _outcome: &Outcome) {}

    /// Persist what was stored during the run.
    pub fn save(&self) -> std::io::Result<()> {
        Ok(())
    }
}
