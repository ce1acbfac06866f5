//! Judging the deferred modules' fixes on the user's commands: those that change what a command
//! does, those it imports later anyway, and what each other one saves.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use super::command::{Outcome, Runner};
use super::copies::ProjectCopy;
use super::measure::{median, median_profile, profile_runs, side_by_side, Stats};
use super::report::Verdict;
use super::savings::savings;
use super::variants::{FixRow, Fixer};
use crate::error::CliError;
use crate::verify::{RunResult, Search};
use tauten_engine::import_profile::ImportEntry;

/// Rounds of profiles at most (each with the fixes of the groups the last one kept).
const MAX_ROUNDS: usize = 3;

/// One measured command and what it printed before any fix.
pub struct Measured {
    pub argv: Vec<String>,
    pub baseline: Outcome,
    /// Two runs before any fix printed the same standard output: compare it, not only the status.
    pub stable: bool,
    /// Its import profiles before any fix, one per run.
    pub profiles: Vec<Vec<ImportEntry>>,
}

/// A deferred module's fixes and what became of them.
pub struct Group {
    pub name: String,
    pub fixes: Vec<FixRow>,
    pub verdict: Verdict,
    /// Its saving and that saving's spread on each command (from the profiles), when measured.
    pub savings: Vec<Option<(f64, f64)>>,
}

/// Which of the two copies.
#[derive(Clone, Copy)]
pub enum Side {
    /// What a trial is compared with (the project as it is, or the other modules' fixes).
    Reference,
    Trial,
}

/// The two byte-compiled copies of the project and how commands run in them.
pub struct Bench {
    pub runner: Runner,
    /// The interpreter that byte-compiles the copies.
    pub compiler: String,
    pub reference: ProjectCopy,
    pub trial: ProjectCopy,
    /// Runs per copy of each timing.
    pub runs: usize,
}

impl Bench {
    pub fn copy(&self, side: Side) -> &ProjectCopy {
        match side {
            Side::Reference => &self.reference,
            Side::Trial => &self.trial,
        }
    }

    /// Give the copy on `side` the fixes of `groups` (none: the project as it is), byte-compiled.
    pub fn place(
        &mut self,
        side: Side,
        fixer: &mut Fixer<'_>,
        groups: &BTreeSet<String>,
    ) -> Result<BTreeMap<PathBuf, Vec<u8>>, CliError> {
        let files = if groups.is_empty() {
            BTreeMap::new()
        } else {
            fixer.fixed(groups)?
        };
        let copy = match side {
            Side::Reference => &mut self.reference,
            Side::Trial => &mut self.trial,
        };
        let touched = copy.set(&files)?;
        copy.compile(&self.compiler, Some(&touched))?;
        Ok(files)
    }

    /// `argv` timed in the reference copy and in the trial copy, alternating, `runs` times each.
    /// With `min_saving_ms`, until the trial saves that much and more than the noise it is timed
    /// again, up to [`EXTRA_TIMINGS`] times, the runs pooled: a busy spell of the machine then
    /// decides less often.
    pub fn time(
        &self,
        argv: &[String],
        min_saving_ms: Option<f64>,
    ) -> Result<(Stats, Stats, Vec<Outcome>), CliError> {
        let (reference, trial) = (self.reference.root(), self.trial.root());
        let (mut before, mut after) =
            side_by_side(&self.runner, reference, trial, argv, self.runs)?;
        for _ in 0..EXTRA_TIMINGS {
            let Some(min_saving_ms) = min_saving_ms else {
                break;
            };
            if saves(&Stats::of(&before), &Stats::of(&after), min_saving_ms) {
                break;
            }
            eprintln!("tauten: within the noise, timing again");
            let (more_before, more_after) =
                side_by_side(&self.runner, reference, trial, argv, self.runs)?;
            before.extend(more_before);
            after.extend(more_after);
        }
        Ok((Stats::of(&before), Stats::of(&after), after))
    }
}

/// More timings at most of a saving not shown.
const EXTRA_TIMINGS: usize = 2;

/// Whether `after` saves at least `min_saving_ms` on `before`, and more than the noise. The runs
/// alternate, so each run before and the run after it saw the machine alike: the saving is the
/// median of these pairs' differences, the noise their median absolute deviation.
pub fn saves(before: &Stats, after: &Stats, min_saving_ms: f64) -> bool {
    let differences: Vec<f64> = (before.runs_ms.iter().zip(&after.runs_ms))
        .map(|(b, a)| b - a)
        .collect();
    let saving = median(&differences);
    let deviations: Vec<f64> = differences.iter().map(|d| (d - saving).abs()).collect();
    saving >= min_saving_ms && saving > median(&deviations)
}

/// The names of the groups at `indices`.
pub fn names(indices: &[usize], groups: &[Group]) -> BTreeSet<String> {
    indices.iter().map(|&i| groups[i].name.clone()).collect()
}

/// The groups whose fixes leave every command's exit status and output as they were, found by
/// bisection; the others are marked as breaking it.
pub fn keep_equivalent(
    bench: &mut Bench,
    fixer: &mut Fixer<'_>,
    groups: &mut [Group],
    measured: &[Measured],
) -> Result<Vec<usize>, CliError> {
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let all: Vec<usize> = (0..groups.len()).collect();
    let (mut accepted, rejected) = {
        let groups = &*groups;
        let mut search = Search::new(|applied: &[usize], _| -> Result<RunResult, CliError> {
            bench.place(Side::Trial, fixer, &names(applied, groups))?;
            for command in measured {
                let outcome = bench.runner.run(bench.trial.root(), &command.argv, &[])?;
                if !outcome.agrees_with(&command.baseline, command.stable) {
                    return Ok(RunResult::Failed(difference(&command.baseline, &outcome)));
                }
            }
            Ok(RunResult::Passed)
        });
        search.find(&all)?;
        (search.accepted, search.rejected)
    };
    for (index, why) in rejected {
        groups[index].verdict = Verdict::Breaks(why);
    }
    accepted.sort_unstable();
    Ok(accepted)
}

/// The groups of `accepted` that save time, read from the commands' import profiles with the
/// fixes of the groups left applied ([`savings`]), in rounds until every group left saves with
/// the others left (a module that vanished only because a group dropped since deferred it too
/// shows again). A group saves when it saves at least `min_saving_ms` and more than its spread on
/// one command; one that does not and whose module a command still imports at the candidate
/// cost is marked as imported anyway.
pub fn keep_saving(
    bench: &mut Bench,
    fixer: &mut Fixer<'_>,
    groups: &mut [Group],
    measured: &[Measured],
    accepted: Vec<usize>,
    min_saving_ms: f64,
) -> Result<Vec<usize>, CliError> {
    let mut kept = accepted;
    for round in 1..=MAX_ROUNDS {
        if kept.is_empty() {
            break;
        }
        eprintln!(
            "tauten: profiling with {} deferred module{} (round {round})",
            kept.len(),
            crate::render::plural(kept.len())
        );
        bench.place(Side::Trial, fixer, &names(&kept, groups))?;
        let index: HashMap<String, usize> = (kept.iter())
            .map(|&i| (groups[i].name.clone(), i))
            .collect();
        let mut anyway = HashSet::new();
        for (slot, command) in measured.iter().enumerate() {
            let after = profile_runs(
                &bench.runner,
                bench.trial.root(),
                &command.argv,
                command.profiles.len(),
            )?;
            for entry in median_profile(&after) {
                if entry.cumulative_us >= fixer.candidate_us() {
                    anyway.insert(fixer.group_of(&entry.module));
                }
            }
            let saved = savings(&command.profiles, &after, groups.len(), |module| {
                index.get(&fixer.group_of(module)).copied()
            });
            for &i in &kept {
                groups[i].savings[slot] = Some((saved[i].ms, saved[i].spread_ms));
            }
        }
        for &i in &kept {
            let group = &mut groups[i];
            let saves = (group.savings.iter().flatten())
                .any(|&(saving, spread)| saving >= min_saving_ms && saving > spread);
            group.verdict = if saves {
                Verdict::Kept
            } else if anyway.contains(&group.name) {
                Verdict::ImportedAnyway
            } else {
                Verdict::TooSmall { min_saving_ms }
            };
        }
        let before = kept.len();
        kept.retain(|&i| matches!(groups[i].verdict, Verdict::Kept));
        if kept.len() == before {
            break;
        }
    }
    Ok(kept)
}

/// What changed between the run before any fix and `outcome`, with the end of its output.
fn difference(baseline: &Outcome, outcome: &Outcome) -> String {
    if baseline.status != outcome.status {
        format!(
            "exit status {} instead of {}:\n{}",
            status(outcome.status),
            status(baseline.status),
            tail(&outcome.stderr, 8)
        )
    } else if outcome.stdout.is_empty() {
        format!(
            "standard output now empty (it was {} lines)",
            baseline.stdout.lines().count()
        )
    } else {
        format!("different standard output:\n{}", tail(&outcome.stdout, 8))
    }
}

fn status(status: Option<i32>) -> String {
    status.map_or_else(|| "none (killed or timed out)".into(), |s| s.to_string())
}

/// The last `lines` lines of `text`.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(runs_ms: &[f64]) -> Stats {
        Stats {
            wall_ms: median(runs_ms),
            spread_ms: 0.0,
            rss_mb: 0.0,
            runs_ms: runs_ms.to_vec(),
        }
    }

    #[test]
    fn a_saving_is_judged_on_the_pairs_of_alternating_runs() {
        // The machine slows down and speeds up; each run after saves 50 ms on the run before it.
        let before = stats(&[100.0, 200.0, 300.0, 110.0, 210.0]);
        let after = stats(&[50.0, 150.0, 250.0, 60.0, 160.0]);
        assert!(saves(&before, &after, 10.0));
        assert!(!saves(&before, &after, 60.0));
        assert!(!saves(&after, &before, 0.0));
        // Differences of 50, -40, 60, -30 and 20 ms: a median of 20 ms, within its spread of 40 ms.
        let mixed = stats(&[50.0, 240.0, 240.0, 140.0, 190.0]);
        assert!(!saves(&before, &mixed, 10.0));
    }
}
