//! Timing the command side by side in two copies, and the import profile it records.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use tauten_engine::import_profile::{parse_importtime, ImportEntry};

use super::command::{Outcome, Runner};
use crate::error::CliError;

/// The runs of one command in one copy: median wall time, its spread (the median absolute
/// deviation), median peak RSS.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub wall_ms: f64,
    pub spread_ms: f64,
    pub rss_mb: f64,
    pub runs_ms: Vec<f64>,
}

impl Stats {
    pub fn of(outcomes: &[Outcome]) -> Stats {
        let times: Vec<f64> = outcomes.iter().map(|o| o.wall_ms).collect();
        let wall_ms = median(&times);
        let deviations: Vec<f64> = times.iter().map(|t| (t - wall_ms).abs()).collect();
        let rss: Vec<f64> = outcomes.iter().map(|o| o.rss_kb as f64 / 1024.0).collect();
        Stats {
            wall_ms,
            spread_ms: median(&deviations),
            rss_mb: median(&rss),
            runs_ms: times,
        }
    }
}

pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// Run `argv` `runs` times against each copy, alternating (after one warm-up run each), so that
/// whatever else the machine does falls on both alike.
pub fn side_by_side(
    runner: &Runner,
    first: &Path,
    second: &Path,
    argv: &[String],
    runs: usize,
) -> Result<(Vec<Outcome>, Vec<Outcome>), CliError> {
    runner.run(first, argv, &[])?;
    runner.run(second, argv, &[])?;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        a.push(runner.run(first, argv, &[])?);
        b.push(runner.run(second, argv, &[])?);
    }
    Ok((a, b))
}

/// The import profiles of `runs` runs of `argv` against `copy` (`PYTHONPROFILEIMPORTTIME`).
pub fn profile_runs(
    runner: &Runner,
    copy: &Path,
    argv: &[String],
    runs: usize,
) -> Result<Vec<Vec<ImportEntry>>, CliError> {
    let mut reports = Vec::new();
    for _ in 0..runs.max(1) {
        let outcome = runner.run(copy, argv, &[("PYTHONPROFILEIMPORTTIME", "1")])?;
        reports.push(parse_importtime(&outcome.stderr));
    }
    Ok(reports)
}

/// The modules of several profiles in the order of the first, each with the median of its times.
pub fn median_profile(reports: &[Vec<ImportEntry>]) -> Vec<ImportEntry> {
    let mut times: HashMap<&str, (Vec<f64>, Vec<f64>)> = HashMap::new();
    for entry in reports.iter().flatten() {
        let (own, cumulative) = times.entry(entry.module.as_str()).or_default();
        own.push(entry.self_us as f64);
        cumulative.push(entry.cumulative_us as f64);
    }
    let first = reports.first().cloned().unwrap_or_default();
    first
        .into_iter()
        .map(|entry| {
            let (own, cumulative) = &times[entry.module.as_str()];
            ImportEntry {
                self_us: median(own) as u64,
                cumulative_us: median(cumulative) as u64,
                ..entry
            }
        })
        .collect()
}

/// The median import profile of `runs` runs of `argv` against `copy`.
pub fn profile(
    runner: &Runner,
    copy: &Path,
    argv: &[String],
    runs: usize,
) -> Result<Vec<ImportEntry>, CliError> {
    Ok(median_profile(&profile_runs(runner, copy, argv, runs)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(wall_ms: f64) -> Outcome {
        Outcome {
            wall_ms,
            rss_kb: 20_480,
            status: Some(0),
            stdout: String::new(),
            stderr: String::new(),
            raw_stderr: String::new(),
        }
    }

    #[test]
    fn the_spread_is_the_median_deviation() {
        let stats = Stats::of(&[
            outcome(100.0),
            outcome(104.0),
            outcome(99.0),
            outcome(300.0),
            outcome(101.0),
        ]);
        assert_eq!(stats.wall_ms, 101.0);
        // Deviations 1, 3, 2, 199, 0: one slow run does not widen the spread.
        assert_eq!(stats.spread_ms, 2.0);
        assert_eq!(stats.rss_mb, 20.0);
    }
}
