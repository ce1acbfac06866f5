//! The project's lazy-import fixes (TAU301, TAU302) for a chosen set of deferred modules: the
//! engine run over the project's own files with the command's measured profile as the only judge
//! of what is heavy, and every module outside the set weighing nothing.
//!
//! Fixes are judged by group: a third-party top-level package (deferring `rich.console` saves
//! nothing while `rich.table` stays eager) or one of the project's own modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tauten_engine::fix::FixMode;
use tauten_engine::import_profile::ModuleCost;
use tauten_engine::selection::Selectors;
use tauten_engine::source;
use tauten_engine::text::LineIndex;
use tauten_engine::Rule;
use tauten_workspace::config::Resolver;
use tauten_workspace::discovery::discover;
use tauten_workspace::run::{self, FileJob, FileReport, RunOptions};

use crate::error::CliError;

/// The lazy-import rules whose fixes `tauten startup` measures.
pub const CODES: [&str; 2] = ["TAU301", "TAU302"];

/// Which share of the threshold makes a module's group a candidate (see
/// [`Fixer::candidate_groups`]).
const CANDIDATE_MARGIN: f64 = 0.5;

/// One fix a group's deferral makes, where the finding is in the project.
#[derive(Debug, Clone)]
pub struct FixRow {
    /// Relative to the project.
    pub file: PathBuf,
    pub line: usize,
    pub code: &'static str,
    pub message: String,
}

pub struct Fixer<'r> {
    project: PathBuf,
    jobs: Vec<FileJob<'r>>,
    costs: BTreeMap<String, ModuleCost>,
    /// The top-level names of the project's own modules.
    own: BTreeSet<String>,
    /// Each file's bytes as first read, for the files some variant fixed.
    originals: BTreeMap<PathBuf, Vec<u8>>,
    /// The configured `threshold-ms` (of the first file: a project has one), in microseconds.
    threshold_us: u64,
}

impl<'r> Fixer<'r> {
    /// The project's files with their configuration, judged by `costs` (the command's profile).
    pub fn new(
        project: &Path,
        rules: &[&'r dyn Rule],
        costs: BTreeMap<String, ModuleCost>,
    ) -> Result<Fixer<'r>, CliError> {
        let resolver = Resolver::new(None)?;
        let discovered = discover(&[project.to_path_buf()], &resolver);
        let selectors = Selectors {
            select: Some(CODES.iter().map(|c| c.to_string()).collect()),
            ..Selectors::default()
        };
        let (jobs, errors) =
            crate::check::jobs_for(&discovered.files, &resolver, &selectors, rules);
        if let Some(err) = errors.into_iter().next() {
            return Err(CliError::Config(err));
        }
        let own = (jobs.iter())
            .filter_map(|job| job.module.name.as_deref())
            .filter_map(|name| name.split('.').next())
            .map(str::to_owned)
            .collect();
        let threshold_us = jobs
            .first()
            .map_or(10_000, |job| job.settings.lazy.threshold_us);
        Ok(Fixer {
            threshold_us,
            project: project.to_path_buf(),
            jobs,
            costs,
            own,
            originals: BTreeMap::new(),
        })
    }

    /// Whether `path` sits in a folder named after one of the project's top-level packages.
    pub fn is_own_module_path(&self, path: &Path) -> bool {
        path.extension() == Some("py".as_ref())
            && (path.parent().into_iter())
                .flat_map(Path::components)
                .any(|c| c.as_os_str().to_str().is_some_and(|c| self.own.contains(c)))
    }

    /// The configured `threshold-ms`.
    pub fn threshold_ms(&self) -> f64 {
        self.threshold_us as f64 / 1000.0
    }

    /// What a module must cost to be deferred at all: the threshold less the margin.
    pub fn candidate_us(&self) -> u64 {
        (self.threshold_us as f64 * CANDIDATE_MARGIN) as u64
    }

    /// The group of a measured module: its top-level package, or itself when it is the project's.
    pub fn group_of(&self, module: &str) -> String {
        let top = module.split('.').next().unwrap_or(module);
        if self.own.contains(top) {
            module.to_owned()
        } else {
            top.to_owned()
        }
    }

    /// The groups with a module at or above half the threshold, heaviest first. The margin keeps
    /// a module whose measured time wavers around the threshold among the candidates on every run,
    /// so that its measured saving, not one profile, decides about it.
    pub fn candidate_groups(&self) -> Vec<String> {
        let threshold_us = self.candidate_us();
        let mut heaviest: BTreeMap<String, u64> = BTreeMap::new();
        for (module, cost) in &self.costs {
            if cost.cumulative_us >= threshold_us {
                let entry = heaviest.entry(self.group_of(module)).or_default();
                *entry = (*entry).max(cost.cumulative_us);
            }
        }
        let mut groups: Vec<(String, u64)> = heaviest.into_iter().collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        groups.into_iter().map(|(group, _)| group).collect()
    }

    /// The fixable findings of deferring `group` alone.
    pub fn fixes_of(&mut self, group: &str) -> Vec<FixRow> {
        let reports = self.lint(&BTreeSet::from([group.to_owned()]), FixMode::Off);
        let mut rows = Vec::new();
        for report in &reports {
            let Some(text) = report.source.as_ref().and_then(|s| s.unpack().ok()) else {
                continue;
            };
            let lines = LineIndex::new(&text);
            for diagnostic in report
                .outcome
                .diagnostics
                .iter()
                .filter(|d| d.fix.is_some())
            {
                rows.push(FixRow {
                    file: self.relative(&report.path),
                    line: lines.line_of(diagnostic.range.start) + 1,
                    code: diagnostic.code,
                    message: diagnostic.message.clone(),
                });
            }
        }
        rows
    }

    /// The files the fixes of `groups` change (relative path -> fixed bytes).
    pub fn fixed(
        &mut self,
        groups: &BTreeSet<String>,
    ) -> Result<BTreeMap<PathBuf, Vec<u8>>, CliError> {
        let reports = self.lint(groups, FixMode::Unsafe);
        let mut files = BTreeMap::new();
        for report in reports.iter().filter(|r| r.error.is_none()) {
            let Some(fixed) = &report.fixed else {
                continue;
            };
            let fixed = fixed
                .unpack()
                .map_err(|e| CliError::Path(report.path.clone(), format!("cannot unpack: {e}")))?;
            let rel = self.relative(&report.path);
            let original = match self.originals.get(&rel) {
                Some(bytes) => bytes.clone(),
                None => std::fs::read(&report.path)
                    .map_err(|e| CliError::Path(report.path.clone(), e.to_string()))?,
            };
            let (_, encoding) = source::decode(&original)
                .map_err(|e| CliError::Path(report.path.clone(), e.to_string()))?;
            self.originals.entry(rel.clone()).or_insert(original);
            files.insert(rel, source::encode(&fixed, encoding));
        }
        Ok(files)
    }

    /// A fixed file's bytes as they were when the fixes were made.
    pub fn original(&self, rel: &Path) -> Option<&[u8]> {
        self.originals.get(rel).map(Vec::as_slice)
    }

    fn lint(&mut self, groups: &BTreeSet<String>, fix: FixMode) -> Vec<FileReport> {
        let costs: BTreeMap<String, ModuleCost> = (self.costs.iter())
            .map(|(module, cost)| {
                let kept = groups.contains(&self.group_of(module));
                (
                    module.clone(),
                    if kept { *cost } else { ModuleCost::default() },
                )
            })
            .collect();
        let costs = Arc::new(costs);
        let candidate_us = self.candidate_us();
        for job in &mut self.jobs {
            job.settings.lazy.costs = Arc::clone(&costs);
            job.settings.lazy.measured_only = true;
            job.settings.lazy.threshold_us = candidate_us;
        }
        let options = RunOptions {
            fix,
            dry_run: true,
            places_only: false,
        };
        run::run(&self.jobs, options, None)
    }

    fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.project)
            .unwrap_or(path)
            .to_path_buf()
    }
}
