//! The result cache: each file's findings keyed on its content, its settings and tauten's version,
//! so a warm run parses no file that did not change. A file whose size and modification time are
//! those it had when it was checked (and that was not modified just before) is not even read,
//! unless something is shown of it; otherwise its content hash decides. The cache is one binary
//! file (postcard); each entry's findings and summary stay encoded until they are asked for.

use rustc_hash::FxHashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use tauten_engine::diagnostic::{Applicability, Diagnostic, Edit, Fix, Related};
use tauten_engine::driver::Outcome;
use tauten_engine::rule::Rule;
use tauten_engine::text::{LineIndex, Place, TextRange};

/// The cache is split by path into this many files, so that a run that changes a few entries
/// writes a few small files, not the whole cache.
const SHARDS: usize = 32;

/// The file of shard `index`.
fn shard_file(index: usize) -> String {
    format!("results-{index:02}.bin")
}

/// Which shard holds `path`'s entry.
fn shard_of(path: &Path) -> usize {
    use std::hash::Hash;
    let mut hasher = rustc_hash::FxHasher::default();
    path.hash(&mut hasher);
    (hasher.finish() % SHARDS as u64) as usize
}

/// How long after its last modification a file must have been checked for its size and time to
/// stand for its content: an edit in the same clock tick as the check would not show in them.
const SETTLED_NS: u64 = 2_000_000_000;

/// A cache of check outcomes, shared by the worker threads of a run.
#[derive(Debug, Default)]
pub struct Cache {
    dir: PathBuf,
    /// The entries of each shard, read by every worker at once (decoding happens under the read
    /// lock).
    shards: Vec<RwLock<FxHashMap<PathBuf, Entry>>>,
    project_key: Mutex<Option<u64>>,
    /// The shards changed since the cache was opened, one bit each.
    dirty: Mutex<u32>,
}

/// A file's size and modification time (nanoseconds since the epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    len: u64,
    modified_ns: u64,
}

impl FileStamp {
    /// The stamp of a file's metadata (`None` where the platform has no modification time).
    pub fn of(metadata: &std::fs::Metadata) -> Option<Self> {
        let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(FileStamp {
            len: metadata.len(),
            modified_ns: u64::try_from(modified.as_nanos()).ok()?,
        })
    }
}

/// What is known of a file's bytes without reading them, once it was checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Known {
    /// Its stamp when it was checked, and when that was.
    stamp: Option<(FileStamp, u64)>,
    /// The hash of its bytes ([`Cache::content_hash`]).
    content: u64,
    /// What the run's quick look at its bytes found (the driver's prescan flags).
    scan: u8,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    key: u64,
    known: Known,
    /// The outcome ([`Stored`]), encoded: decoded only when the file's outcome is asked for.
    #[serde(with = "serde_bytes")]
    outcome: Vec<u8>,
    /// The module's summary for the project pass (`ModuleSummary`), encoded (empty for the
    /// default): only the project pass reads it, and only when some file changed.
    #[serde(with = "serde_bytes")]
    summary: Vec<u8>,
    /// The outcome of checking the file again with project-wide facts, under its own key.
    with_project: Option<Box<Entry>>,
    /// What the project told the file (its `ProjectView` before the run narrows it to the
    /// file's findings), encoded, in the run that stored the project key; empty when nothing.
    /// While no module's summary changes, neither does it: an edited file is checked with it.
    #[serde(with = "serde_bytes")]
    view: Vec<u8>,
}

/// Which outcome of a file: its own, or the one checked again knowing project-wide facts (other
/// modules' blocking helpers and base classes). A file needing the second has both cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Own,
    WithProject,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    diagnostics: Vec<CachedDiagnostic>,
    syntax_errors: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedDiagnostic {
    code: String,
    message: String,
    range: (usize, usize),
    /// Where the range starts and ends as shown: a front end that shows no source need not read
    /// the file.
    place: Place,
    noqa_offset: usize,
    parent_offset: Option<usize>,
    fix: Option<CachedFix>,
    /// The related places (start, end, message): the text renderer shows them.
    related: Vec<(usize, usize, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedFix {
    title: String,
    safe: bool,
    edits: Vec<(usize, usize, String)>,
}

/// A stored outcome, and where each of its findings starts and ends as shown (in the order of
/// its diagnostics).
#[derive(Debug, Clone, Default)]
pub struct Hit {
    pub outcome: Outcome,
    pub places: Vec<Place>,
}

/// A shard's file after its version (see [`Cache::open`]).
#[derive(Default, Serialize, Deserialize)]
struct CacheFile {
    entries: FxHashMap<PathBuf, Entry>,
    /// The key of the whole run that stored the entries' second slots (see [`Cache::project_key`]),
    /// in every shard: shards that disagree (one failed to be written) mean no key.
    project_key: Option<u64>,
}

/// The version a cache file must have: tauten's, and the layout of the entries (bumped when
/// what an entry holds changes, so that an older cache is never read as a newer one).
fn version() -> String {
    const LAYOUT: u32 = 12;
    format!("{}+{LAYOUT}", env!("CARGO_PKG_VERSION"))
}

/// A lock that a panicked holder did not spoil (the data is plain and always consistent).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Shared access to a lock that a panicked holder did not spoil.
fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Exclusive access to a lock that a panicked holder did not spoil.
fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

impl Cache {
    /// Open the cache stored in `dir` (a missing, corrupt or other-version shard starts empty).
    pub fn open(dir: &Path) -> Self {
        use rayon::prelude::*;
        let files: Vec<Option<CacheFile>> = (0..SHARDS)
            .into_par_iter()
            .map(|index| {
                let bytes = std::fs::read(dir.join(shard_file(index))).ok()?;
                let (stored_version, rest) = postcard::take_from_bytes::<String>(&bytes).ok()?;
                (stored_version == version())
                    .then(|| postcard::from_bytes::<CacheFile>(rest).ok())
                    .flatten()
            })
            .collect();
        let keys: Vec<Option<u64>> = (files.iter())
            .map(|file| file.as_ref().and_then(|f| f.project_key))
            .collect();
        let project_key = keys[0].filter(|key| keys.iter().all(|k| *k == Some(*key)));
        let shards = (files.into_iter())
            .map(|file| RwLock::new(file.unwrap_or_default().entries))
            .collect();
        Cache {
            dir: dir.to_path_buf(),
            shards,
            project_key: Mutex::new(project_key),
            dirty: Mutex::new(0),
        }
    }

    /// The entries of the shard holding `path`.
    fn shard(&self, path: &Path) -> &RwLock<FxHashMap<PathBuf, Entry>> {
        &self.shards[shard_of(path)]
    }

    /// Note that the entry of `path` changed.
    fn mark(&self, path: &Path) {
        *lock(&self.dirty) |= 1 << shard_of(path);
    }

    /// The hash of a file's bytes.
    pub fn content_hash(bytes: &[u8]) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write_usize(bytes.len());
        hasher.write(bytes);
        hasher.finish()
    }

    /// The key of a file with this content hash checked under these settings by this version.
    pub fn key(&self, content: u64, settings_key: u64) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.write_u64(settings_key);
        hasher.write_u64(content);
        hasher.finish()
    }

    /// The content hash and prescan flags of `path` when its stamp is the one it had when it was
    /// checked, and it had settled by then: its bytes need not be read to know them.
    pub fn known_file(&self, path: &Path, stamp: Option<FileStamp>) -> Option<(u64, u8)> {
        let stamp = stamp?;
        let entries = read(self.shard(path));
        let known = entries.get(path)?.known;
        let (then, checked_ns) = known.stamp?;
        (then == stamp && checked_ns >= stamp.modified_ns.saturating_add(SETTLED_NS))
            .then_some((known.content, known.scan))
    }

    /// Remember what the run learnt of the bytes of `path` (its own entry must exist).
    pub fn know_file(&self, path: &Path, content: u64, stamp: Option<FileStamp>, scan: u8) {
        let known = Known {
            stamp: stamp.map(|s| (s, now_ns())),
            content,
            scan,
        };
        let mut entries = write(self.shard(path));
        let Some(entry) = entries.get_mut(path) else {
            return;
        };
        let settled = |k: &Known| {
            k.stamp
                .is_some_and(|(s, at)| at >= s.modified_ns.saturating_add(SETTLED_NS))
        };
        // A stamp that already stands for the content is kept (no write for a warm run).
        if entry.known.content == content
            && entry.known.scan == scan
            && entry.known.stamp.map(|(s, _)| s) == stamp
            && settled(&entry.known)
        {
            return;
        }
        entry.known = known;
        drop(entries);
        self.mark(path);
    }

    /// The stored outcome for `path` under `key`, rebuilt against `rules`.
    pub fn get(&self, path: &Path, key: u64, rules: &[&dyn Rule], slot: Slot) -> Option<Hit> {
        let stored: Stored = {
            let entries = read(self.shard(path));
            let entry = entries.get(path)?;
            let entry = match slot {
                Slot::Own => entry,
                Slot::WithProject => entry.with_project.as_deref()?,
            };
            let entry = Some(entry).filter(|e| e.key == key)?;
            postcard::from_bytes(&entry.outcome).ok()?
        };
        let mut diagnostics = Vec::with_capacity(stored.diagnostics.len());
        let places = stored.diagnostics.iter().map(|d| d.place).collect();
        for cached in stored.diagnostics {
            let meta = rules
                .iter()
                .map(|r| r.meta())
                .find(|m| m.code == cached.code)?;
            diagnostics.push(Diagnostic {
                code: meta.code,
                name: meta.name,
                // Kinds decide only which findings are kept, before they are stored.
                kind: None,
                message: cached.message,
                range: TextRange::new(cached.range.0, cached.range.1),
                fix: cached.fix.map(|fix| Fix {
                    title: fix.title,
                    applicability: if fix.safe {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                    edits: (fix.edits.into_iter())
                        .map(|(start, end, content)| {
                            Edit::replacement(TextRange::new(start, end), content)
                        })
                        .collect(),
                }),
                noqa_offset: cached.noqa_offset,
                parent_offset: cached.parent_offset,
                related: (cached.related.into_iter())
                    .map(|(start, end, message)| Related {
                        range: TextRange::new(start, end),
                        message,
                    })
                    .collect(),
            });
        }
        let outcome = Outcome {
            diagnostics,
            syntax_errors: (stored.syntax_errors.iter())
                .map(|(s, e)| TextRange::new(*s, *e))
                .collect(),
            // Read separately, when the project pass needs it: see `summary`.
            ..Outcome::default()
        };
        Some(Hit { outcome, places })
    }

    /// The module summary stored with the outcome of `path` under `key` (its own slot).
    pub fn summary(&self, path: &Path, key: u64) -> Option<tauten_engine::project::ModuleSummary> {
        let entries = read(self.shard(path));
        let entry = entries.get(path).filter(|e| e.key == key)?;
        if entry.summary.is_empty() {
            return Some(Default::default());
        }
        postcard::from_bytes(&entry.summary).ok()
    }

    /// The hash of the module summary stored with the file's own outcome (whatever its key).
    pub fn summary_hash(&self, path: &Path) -> Option<u64> {
        let entries = read(self.shard(path));
        Some(Self::content_hash(&entries.get(path)?.summary))
    }

    /// The project view stored for `path` by the run that stored the project key, if any.
    pub fn view(&self, path: &Path) -> Option<tauten_engine::project::ProjectView> {
        let entries = read(self.shard(path));
        let entry = entries.get(path).filter(|e| !e.view.is_empty())?;
        postcard::from_bytes(&entry.view).ok()
    }

    /// Store the project view of `path` (`None`: it has none).
    pub fn set_view(&self, path: &Path, view: Option<&tauten_engine::project::ProjectView>) {
        let bytes = view
            .and_then(|v| postcard::to_stdvec(v).ok())
            .unwrap_or_default();
        let mut entries = write(self.shard(path));
        let Some(entry) = entries.get_mut(path) else {
            return;
        };
        if entry.view != bytes {
            entry.view = bytes;
            drop(entries);
            self.mark(path);
        }
    }

    /// Drop the second slot of `path`: it is no longer checked again with project-wide facts.
    pub fn forget_project_slot(&self, path: &Path) {
        let mut entries = write(self.shard(path));
        if let Some(entry) = entries.get_mut(path).filter(|e| e.with_project.is_some()) {
            entry.with_project = None;
            drop(entries);
            self.mark(path);
        }
    }

    /// The key of the file's own stored outcome.
    pub fn key_of(&self, path: &Path) -> Option<u64> {
        read(self.shard(path)).get(path).map(|e| e.key)
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
        let mut changed = 0;
        for (index, shard) in self.shards.iter().enumerate() {
            for (path, entry) in write(shard).iter_mut() {
                if entry.with_project.is_some() && !checked_again.contains(path.as_path()) {
                    entry.with_project = None;
                    changed |= 1 << index;
                }
            }
        }
        let mut stored = lock(&self.project_key);
        // Every shard holds the key: a new key is written to all of them.
        let rewrite = if *stored == key { changed } else { u32::MAX };
        *stored = key;
        *lock(&self.dirty) |= rewrite;
    }

    /// The second slot of `path` whatever its key: right only when [`Self::project_key`] matched.
    pub fn project_slot(&self, path: &Path, rules: &[&dyn Rule]) -> Option<Hit> {
        let key = {
            let entries = read(self.shard(path));
            entries.get(path)?.with_project.as_ref()?.key
        };
        self.get(path, key, rules, Slot::WithProject)
    }

    /// Remember the outcome of checking `text`, the content of `path`, (without fixes) under `key`.
    pub fn put(&self, path: &Path, key: u64, outcome: &Outcome, text: &str, slot: Slot) {
        let lines = std::cell::OnceCell::new();
        let stored = Stored {
            syntax_errors: (outcome.syntax_errors.iter())
                .map(|r| (r.start, r.end))
                .collect(),
            diagnostics: (outcome.diagnostics.iter())
                .map(|d| CachedDiagnostic {
                    code: d.code.to_owned(),
                    message: d.message.clone(),
                    range: (d.range.start, d.range.end),
                    place: lines
                        .get_or_init(|| LineIndex::new(text))
                        .place(d.range, text),
                    noqa_offset: d.noqa_offset,
                    parent_offset: d.parent_offset,
                    related: (d.related.iter())
                        .map(|r| (r.range.start, r.range.end, r.message.clone()))
                        .collect(),
                    fix: d.fix.as_ref().map(|fix| CachedFix {
                        title: fix.title.clone(),
                        safe: fix.applicability == Applicability::Safe,
                        edits: (fix.edits.iter())
                            .map(|e| (e.range.start, e.range.end, e.content.clone()))
                            .collect(),
                    }),
                })
                .collect(),
        };
        let summary = if outcome.summary == Default::default() {
            Vec::new()
        } else {
            postcard::to_stdvec(&outcome.summary).unwrap_or_default()
        };
        let entry = Entry {
            key,
            known: Known::default(),
            outcome: postcard::to_stdvec(&stored).unwrap_or_default(),
            summary,
            with_project: None,
            view: Vec::new(),
        };
        let mut entries = write(self.shard(path));
        match (slot, entries.get_mut(path)) {
            (Slot::Own, Some(old)) => {
                let with_project = old.with_project.take();
                let view = std::mem::take(&mut old.view);
                *old = Entry {
                    with_project,
                    view,
                    known: old.known,
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
        self.mark(path);
    }

    /// Persist what was stored during the run: each changed shard, atomically (nothing when
    /// nothing changed).
    pub fn save(&self) -> std::io::Result<()> {
        let dirty = *lock(&self.dirty);
        if dirty == 0 {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)?;
        let ignore = self.dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(&ignore, "# Created by tauten.\n*\n")?;
        }
        // The single file of layouts before 9.
        let _ = std::fs::remove_file(self.dir.join("results.bin"));
        let project_key = self.project_key();
        for (index, shard) in self.shards.iter().enumerate() {
            if dirty & (1 << index) == 0 {
                continue;
            }
            let mut entries = write(shard);
            let file = CacheFile {
                entries: std::mem::take(&mut *entries),
                project_key,
            };
            let mut bytes = postcard::to_stdvec(&version()).map_err(std::io::Error::other)?;
            let encoded = postcard::to_stdvec(&file).map_err(std::io::Error::other);
            *entries = file.entries;
            drop(entries);
            bytes.extend(encoded?);
            let target = self.dir.join(shard_file(index));
            if !target.exists() {
                std::fs::write(&target, b"")?;
            }
            crate::write::write_file(&target, &bytes)?;
        }
        *lock(&self.dirty) = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static META: tauten_engine::RuleMeta = tauten_engine::RuleMeta {
        code: "TAU101",
        name: "unused-import",
        family: tauten_engine::Family::Imports,
        fix: tauten_engine::FixAvailability::Sometimes,
        summary: "",
        doc: "",
        equivalents: &[],
    };

    struct TestRule;

    impl Rule for TestRule {
        fn meta(&self) -> &'static tauten_engine::RuleMeta {
            &META
        }

        fn check(&self, _: &tauten_engine::Context<'_>, _: &mut Vec<Diagnostic>) {}
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
        cache.put(path, 2, &Outcome::default(), "", Slot::WithProject);
        assert!(cache.get(path, 2, &rules, Slot::WithProject).is_none());
        cache.put(path, 1, &Outcome::default(), "", Slot::Own);
        cache.put(
            path,
            2,
            &outcome_with_one_finding(),
            "import os\n",
            Slot::WithProject,
        );
        cache.save().unwrap();

        let reopened = Cache::open(dir.path());
        let own = reopened.get(path, 1, &rules, Slot::Own).expect("own");
        assert!(own.outcome.diagnostics.is_empty());
        let with_project = reopened
            .get(path, 2, &rules, Slot::WithProject)
            .expect("second");
        assert_eq!(with_project.outcome.diagnostics.len(), 1);
        assert!(
            reopened.get(path, 1, &rules, Slot::WithProject).is_none(),
            "keyed apart"
        );
        // Storing the file's own outcome again keeps the second slot.
        reopened.put(path, 1, &Outcome::default(), "", Slot::Own);
        assert!(reopened.get(path, 2, &rules, Slot::WithProject).is_some());
    }

    #[test]
    fn round_trip_and_invalidation() {
        let dir = tempfile::tempdir().unwrap();
        let rules = [&TestRule as &dyn Rule];
        let cache = Cache::open(dir.path());
        let content = Cache::content_hash(b"import os\n");
        let key = cache.key(content, 1);
        assert_ne!(key, cache.key(content, 2), "settings change the key");
        assert_ne!(
            key,
            cache.key(Cache::content_hash(b"import sys\n"), 1),
            "content changes the key"
        );
        cache.put(
            Path::new("a.py"),
            key,
            &outcome_with_one_finding(),
            "import os\n",
            Slot::Own,
        );
        cache.save().unwrap();

        let reopened = Cache::open(dir.path());
        let hit = reopened
            .get(Path::new("a.py"), key, &rules, Slot::Own)
            .expect("cached");
        assert_eq!(
            hit.outcome.diagnostics,
            outcome_with_one_finding().diagnostics
        );
        // Where the finding is, as shown: `os` in `import os`, columns 8 to 10 of row 1.
        let at = |row, column| tauten_engine::text::LineColumn { row, column };
        assert_eq!(
            hit.places,
            [Place {
                start: at(1, 8),
                end: at(1, 10)
            }]
        );
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
    fn a_run_writes_only_the_shards_it_changed_and_the_key_needs_every_shard() {
        let dir = tempfile::tempdir().unwrap();
        let path = Path::new("a.py");
        let cache = Cache::open(dir.path());
        cache.put(path, 1, &Outcome::default(), "", Slot::Own);
        cache.set_project_key(Some(7), &Default::default());
        cache.save().unwrap();
        let files = |dir: &Path| {
            (0..SHARDS)
                .filter(|i| dir.join(shard_file(*i)).is_file())
                .count()
        };
        assert_eq!(
            files(dir.path()),
            SHARDS,
            "a new project key is in every shard"
        );
        let reopened = Cache::open(dir.path());
        assert_eq!(reopened.project_key(), Some(7));
        // Another shard's file goes missing; storing `a.py` again writes only its own shard.
        let other = (shard_of(path) + 1) % SHARDS;
        std::fs::remove_file(dir.path().join(shard_file(other))).unwrap();
        reopened.put(path, 2, &Outcome::default(), "", Slot::Own);
        reopened.set_project_key(Some(7), &Default::default());
        reopened.save().unwrap();
        assert_eq!(files(dir.path()), SHARDS - 1);
        let again = Cache::open(dir.path());
        assert_eq!(again.key_of(path), Some(2));
        assert_eq!(again.project_key(), None, "a shard without the key: no key");
    }

    #[test]
    fn corrupt_cache_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        for index in 0..SHARDS {
            std::fs::write(
                dir.path().join(shard_file(index)),
                b"\x05junk and more junk",
            )
            .unwrap();
        }
        let cache = Cache::open(dir.path());
        assert!(cache.get(Path::new("a.py"), 0, &[], Slot::Own).is_none());
    }

    #[test]
    fn a_stamp_stands_for_the_content_only_once_the_file_had_settled() {
        let dir = tempfile::tempdir().unwrap();
        let path = Path::new("a.py");
        let cache = Cache::open(dir.path());
        let stamp = |modified_ns| {
            Some(FileStamp {
                len: 10,
                modified_ns,
            })
        };
        cache.put(path, 7, &Outcome::default(), "", Slot::Own);
        let old = now_ns() - 10 * SETTLED_NS;
        cache.know_file(path, 42, stamp(old), 3);
        cache.save().unwrap();
        let reopened = Cache::open(dir.path());
        assert_eq!(reopened.known_file(path, stamp(old)), Some((42, 3)));
        assert_eq!(reopened.known_file(path, stamp(old + 1)), None, "touched");
        assert_eq!(
            reopened.known_file(
                path,
                Some(FileStamp {
                    len: 11,
                    modified_ns: old
                })
            ),
            None,
            "resized"
        );
        // Modified just before it was checked: an edit in the same tick would not show.
        let recent = now_ns();
        reopened.know_file(path, 43, stamp(recent), 3);
        assert_eq!(reopened.known_file(path, stamp(recent)), None);
        // Storing the outcome again keeps what is known of the bytes.
        reopened.know_file(path, 42, stamp(old), 3);
        reopened.put(path, 8, &Outcome::default(), "", Slot::Own);
        assert_eq!(reopened.known_file(path, stamp(old)), Some((42, 3)));
    }

    /// The binary format has no field names: a field skipped when empty would shift every field
    /// after it. Summaries with empty and filled fields both come back as they went in.
    #[test]
    fn summaries_come_back_as_stored() {
        use tauten_engine::callgraph::{FunctionCalls, Guard};
        use tauten_engine::project::ModuleSummary;
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path());
        let bare = FunctionCalls {
            name: "m.f".into(),
            is_async: false,
            blocking: None,
            blocking_guard: None,
            calls: Vec::new(),
            guarded: Vec::new(),
            context_reader: None,
            generator: false,
            consumed: Vec::new(),
            blocking_gate: None,
            needs: Vec::new(),
            passes: Vec::new(),
        };
        let gate = tauten_engine::callgraph::Gate {
            parameter: "path".into(),
            position: Some(0),
            truth: true,
        };
        use tauten_engine::callgraph::Known;
        let mut passed = tauten_engine::callgraph::Passed::default();
        passed.add_position(0, Known::Nothing);
        passed.add_keyword("mode", Known::IsFalse);
        let full = FunctionCalls {
            name: "m.g".into(),
            blocking: Some("time.sleep".into()),
            blocking_guard: Some(Guard::Platform),
            calls: vec!["m.f".into()],
            guarded: vec![("m.f".into(), Guard::Setting)],
            generator: true,
            consumed: vec!["m.f".into()],
            blocking_gate: Some(gate.clone()),
            needs: vec![("m.f".into(), gate)],
            passes: vec![passed],
            ..bare.clone()
        };
        let summary = ModuleSummary {
            functions: vec![bare, full],
            defines_all: true,
            ..ModuleSummary::default()
        };
        let outcome = Outcome {
            summary: summary.clone(),
            ..Outcome::default()
        };
        cache.put(Path::new("m.py"), 1, &outcome, "", Slot::Own);
        cache.save().unwrap();
        let reopened = Cache::open(dir.path());
        assert_eq!(reopened.summary(Path::new("m.py"), 1), Some(summary));
    }
}
