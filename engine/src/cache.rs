//! The result cache: each file's findings keyed on its content, its settings and tauten's version,
//! so a warm run reads and hashes files but parses none that did not change.

use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Related};
use crate::driver::Outcome;
use crate::rule::Rule;
use crate::text::TextRange;

const CACHE_FILE: &str = "results.json";

/// A cache of check outcomes, shared by the worker threads of a run.
#[derive(Debug, Default)]
pub struct Cache {
    dir: PathBuf,
    entries: Mutex<HashMap<PathBuf, Entry>>,
    project_key: Mutex<Option<u64>>,
    dirty: Mutex<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    key: u64,
    diagnostics: Vec<CachedDiagnostic>,
    syntax_errors: Vec<(usize, usize)>,
    /// The module's summary for the project pass (`ModuleSummary`), kept as JSON text: only the
    /// project pass reads it, and only when some file changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    summary: Option<Box<serde_json::value::RawValue>>,
    /// The outcome of checking the file again with project-wide facts, under its own key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    with_project: Option<Box<Entry>>,
}

/// Which outcome of a file: its own, or the one checked again knowing project-wide facts (other
/// modules' blocking helpers and base classes). A file needing the second has both cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Own,
    WithProject,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedDiagnostic {
    code: String,
    message: String,
    range: (usize, usize),
    noqa_offset: usize,
    parent_offset: Option<usize>,
    fix: Option<CachedFix>,
    /// The related places (start, end, message): the text renderer shows them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    related: Vec<(usize, usize, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedFix {
    title: String,
    safe: bool,
    edits: Vec<(usize, usize, String)>,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    version: String,
    entries: HashMap<PathBuf, Entry>,
    /// The key of the whole run that stored the entries' second slots (see [`Cache::project_key`]).
    #[serde(default)]
    project_key: Option<u64>,
}

/// The version a cache file must have: tauten's, and the layout of the entries (bumped when
/// what an entry holds changes, so that an older cache is never read as a newer one).
fn version() -> String {
    const LAYOUT: u32 = 4;
    format!("{}+{LAYOUT}", env!("CARGO_PKG_VERSION"))
}

/// A lock that a panicked holder did not spoil (the data is plain and always consistent).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Cache {
    /// Open the cache stored in `dir` (a missing, corrupt or other-version cache starts empty).
    pub fn open(dir: &Path) -> Self {
        let (entries, project_key) = std::fs::read(dir.join(CACHE_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .filter(|file| file.version == version())
            .map(|file| (file.entries, file.project_key))
            .unwrap_or_default();
        Cache {
            dir: dir.to_path_buf(),
            entries: Mutex::new(entries),
            project_key: Mutex::new(project_key),
            dirty: Mutex::new(false),
        }
    }

    /// The key of a file with these bytes checked under these settings by this version of tauten.
    pub fn key(&self, bytes: &[u8], settings_key: u64) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.write_u64(settings_key);
        hasher.write_usize(bytes.len());
        hasher.write(bytes);
        hasher.finish()
    }

    /// The stored outcome for `path` under `key`, rebuilt against `rules`.
    pub fn get(&self, path: &Path, key: u64, rules: &[&dyn Rule], slot: Slot) -> Option<Outcome> {
        let entries = lock(&self.entries);
        let entry = entries.get(path)?;
        let entry = match slot {
            Slot::Own => entry,
            Slot::WithProject => entry.with_project.as_deref()?,
        };
        let entry = Some(entry).filter(|e| e.key == key)?;
        let mut diagnostics = Vec::with_capacity(entry.diagnostics.len());
        for cached in &entry.diagnostics {
            let meta = rules
                .iter()
                .map(|r| r.meta())
                .find(|m| m.code == cached.code)?;
            diagnostics.push(Diagnostic {
                code: meta.code,
                name: meta.name,
                message: cached.message.clone(),
                range: TextRange::new(cached.range.0, cached.range.1),
                fix: cached.fix.as_ref().map(|fix| Fix {
                    title: fix.title.clone(),
                    applicability: if fix.safe {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                    edits: fix
                        .edits
                        .iter()
                        .map(|(start, end, content)| {
                            Edit::replacement(TextRange::new(*start, *end), content.clone())
                        })
                        .collect(),
                }),
                noqa_offset: cached.noqa_offset,
                parent_offset: cached.parent_offset,
                related: (cached.related.iter())
                    .map(|(start, end, message)| Related {
                        range: TextRange::new(*start, *end),
                        message: message.clone(),
                    })
                    .collect(),
            });
        }
        Some(Outcome {
            diagnostics,
            syntax_errors: entry
                .syntax_errors
                .iter()
                .map(|(s, e)| TextRange::new(*s, *e))
                .collect(),
            // Read separately, when the project pass needs it: see `summary`.
            ..Outcome::default()
        })
    }

    /// The module summary stored with the outcome of `path` under `key` (its own slot).
    pub fn summary(&self, path: &Path, key: u64) -> Option<crate::project::ModuleSummary> {
        let entries = lock(&self.entries);
        let entry = entries.get(path).filter(|e| e.key == key)?;
        match &entry.summary {
            Some(raw) => serde_json::from_str(raw.get()).ok(),
            None => Some(Default::default()),
        }
    }

    /// The key of the file's own stored outcome.
    pub fn key_of(&self, path: &Path) -> Option<u64> {
        lock(&self.entries).get(path).map(|e| e.key)
    }

    /// The key of the run whose project-wide results the entries' second slots hold: the same key
    /// again means no file and no setting changed, so neither did those results.
    pub fn project_key(&self) -> Option<u64> {
        *lock(&self.project_key)
    }

    /// Record the run key, and drop the second slots of the files not in `checked_again`
    /// (left over from earlier runs, they must not be taken for this run's).
    pub fn set_project_key(
        &self,
        key: Option<u64>,
        checked_again: &std::collections::HashSet<&Path>,
    ) {
        let mut entries = lock(&self.entries);
        let mut changed = false;
        for (path, entry) in entries.iter_mut() {
            if entry.with_project.is_some() && !checked_again.contains(path.as_path()) {
                entry.with_project = None;
                changed = true;
            }
        }
        drop(entries);
        let mut stored = lock(&self.project_key);
        if *stored != key || changed {
            *stored = key;
            *lock(&self.dirty) = true;
        }
    }

    /// The second slot of `path` whatever its key: right only when [`Self::project_key`] matched.
    pub fn project_slot(&self, path: &Path, rules: &[&dyn Rule]) -> Option<Outcome> {
        let key = {
            let entries = lock(&self.entries);
            entries.get(path)?.with_project.as_ref()?.key
        };
        self.get(path, key, rules, Slot::WithProject)
    }

    /// Remember the outcome of checking `path` (without fixes) under `key`.
    pub fn put(&self, path: &Path, key: u64, outcome: &Outcome, slot: Slot) {
        let entry = Entry {
            key,
            with_project: None,
            summary: (outcome.summary != Default::default())
                .then(|| serde_json::value::to_raw_value(&outcome.summary).ok())
                .flatten(),
            syntax_errors: outcome
                .syntax_errors
                .iter()
                .map(|r| (r.start, r.end))
                .collect(),
            diagnostics: outcome
                .diagnostics
                .iter()
                .map(|d| CachedDiagnostic {
                    code: d.code.to_owned(),
                    message: d.message.clone(),
                    range: (d.range.start, d.range.end),
                    noqa_offset: d.noqa_offset,
                    parent_offset: d.parent_offset,
                    related: (d.related.iter())
                        .map(|r| (r.range.start, r.range.end, r.message.clone()))
                        .collect(),
                    fix: d.fix.as_ref().map(|fix| CachedFix {
                        title: fix.title.clone(),
                        safe: fix.applicability == Applicability::Safe,
                        edits: fix
                            .edits
                            .iter()
                            .map(|e| (e.range.start, e.range.end, e.content.clone()))
                            .collect(),
                    }),
                })
                .collect(),
        };
        let mut entries = lock(&self.entries);
        match (slot, entries.get_mut(path)) {
            (Slot::Own, Some(old)) => {
                let with_project = old.with_project.take();
                *old = Entry {
                    with_project,
                    ..entry
                };
            }
            (Slot::WithProject, Some(old)) => old.with_project = Some(Box::new(entry)),
            (Slot::Own, None) => {
                entries.insert(path.to_path_buf(), entry);
            }
            // Only ever asked for after the file's own outcome was stored.
            (Slot::WithProject, None) => {}
        }
        drop(entries);
        *lock(&self.dirty) = true;
    }

    /// Persist what was stored during the run (atomically; nothing when nothing changed).
    pub fn save(&self) -> std::io::Result<()> {
        if !*lock(&self.dirty) {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)?;
        let ignore = self.dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(&ignore, "# Created by tauten.\n*\n")?;
        }
        let entries = lock(&self.entries).clone();
        let file = CacheFile {
            version: version(),
            entries,
            project_key: self.project_key(),
        };
        let bytes = serde_json::to_vec(&file).map_err(std::io::Error::other)?;
        let target = self.dir.join(CACHE_FILE);
        if !target.exists() {
            std::fs::write(&target, b"")?;
        }
        crate::write::write_file(&target, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static META: crate::RuleMeta = crate::RuleMeta {
        code: "TAU101",
        name: "unused-import",
        family: crate::Family::Imports,
        fix: crate::FixAvailability::Sometimes,
        summary: "",
        doc: "",
        equivalents: &[],
    };

    struct TestRule;

    impl Rule for TestRule {
        fn meta(&self) -> &'static crate::RuleMeta {
            &META
        }

        fn check(&self, _: &crate::Context<'_>, _: &mut Vec<Diagnostic>) {}
    }

    fn outcome_with_one_finding() -> Outcome {
        let fix = Fix::new(
            "Remove",
            Applicability::Safe,
            vec![Edit::deletion(TextRange::new(0, 10))],
        );
        Outcome {
            diagnostics: vec![Diagnostic::new(
                &META,
                "`os` imported but unused",
                TextRange::new(7, 9),
            )
            .with_fix(Some(fix))],
            ..Outcome::default()
        }
    }

    #[test]
    fn a_file_keeps_its_own_outcome_and_the_one_with_project_facts() {
        let dir = tempfile::tempdir().unwrap();
        let rules = [&TestRule as &dyn Rule];
        let path = Path::new("a.py");
        let cache = Cache::open(dir.path());
        // Nothing to attach the second slot to yet.
        cache.put(path, 2, &Outcome::default(), Slot::WithProject);
        assert!(cache.get(path, 2, &rules, Slot::WithProject).is_none());
        cache.put(path, 1, &Outcome::default(), Slot::Own);
        cache.put(path, 2, &outcome_with_one_finding(), Slot::WithProject);
        cache.save().unwrap();

        let reopened = Cache::open(dir.path());
        let own = reopened.get(path, 1, &rules, Slot::Own).expect("own");
        assert!(own.diagnostics.is_empty());
        let with_project = reopened
            .get(path, 2, &rules, Slot::WithProject)
            .expect("second");
        assert_eq!(with_project.diagnostics.len(), 1);
        assert!(
            reopened.get(path, 1, &rules, Slot::WithProject).is_none(),
            "keyed apart"
        );
        // Storing the file's own outcome again keeps the second slot.
        reopened.put(path, 1, &Outcome::default(), Slot::Own);
        assert!(reopened.get(path, 2, &rules, Slot::WithProject).is_some());
    }

    #[test]
    fn round_trip_and_invalidation() {
        let dir = tempfile::tempdir().unwrap();
        let rules = [&TestRule as &dyn Rule];
        let cache = Cache::open(dir.path());
        let key = cache.key(b"import os\n", 1);
        assert_ne!(key, cache.key(b"import os\n", 2), "settings change the key");
        assert_ne!(
            key,
            cache.key(b"import sys\n", 1),
            "content changes the key"
        );
        cache.put(
            Path::new("a.py"),
            key,
            &outcome_with_one_finding(),
            Slot::Own,
        );
        cache.save().unwrap();

        let reopened = Cache::open(dir.path());
        let outcome = reopened
            .get(Path::new("a.py"), key, &rules, Slot::Own)
            .expect("cached");
        assert_eq!(outcome.diagnostics, outcome_with_one_finding().diagnostics);
        assert!(reopened
            .get(Path::new("a.py"), key ^ 1, &rules, Slot::Own)
            .is_none());
        assert!(
            reopened
                .get(Path::new("a.py"), key, &[], Slot::Own)
                .is_none(),
            "unknown codes invalidate"
        );
    }

    #[test]
    fn corrupt_cache_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CACHE_FILE), b"{not json").unwrap();
        let cache = Cache::open(dir.path());
        assert!(cache.get(Path::new("a.py"), 0, &[], Slot::Own).is_none());
    }
}
