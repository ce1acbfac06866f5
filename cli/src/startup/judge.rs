//! Judging the deferred modules' fixes on the user's commands: those that change what a command
//! does, those it imports later anyway, and what each other one saves.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::command::{Outcome, Runner};
use super::copies::ProjectCopy;
use super::measure::{profile, side_by_side, Stats};
use super::report::Verdict;
use super::variants::{FixRow, Fixer};
use crate::error::CliError;
use crate::verify::{RunResult, Search};

/// Rounds of leave-one-out measurements at most (each over the groups the last one kept).
const MAX_ROUNDS: usize = 3;

/// One measured command and what it printed before any fix.
pub struct Measured {
    pub argv: Vec<String>,
    pub baseline: Outcome,
    /// Two runs before any fix printed the same standard output: compare it, not only the status.
    pub stable: bool,
}

/// A deferred module's fixes and what became of them.
pub struct Group {
    pub name: String,
    pub fixes: Vec<FixRow>,
    pub verdict: Verdict,
    /// Its saving and the noise on each command (leave-one-out), when measured.
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

    /// `argv` timed in the reference copy and in the trial copy, alternating.
    pub fn time(&self, argv: &[String]) -> Result<(Stats, Stats, Vec<Outcome>), CliError> {
        let (reference, trial) = side_by_side(
            &self.runner,
            self.reference.root(),
            self.trial.root(),
            argv,
            self.runs,
        )?;
        Ok((Stats::of(&reference), Stats::of(&trial), trial))
    }
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

/// Mark the groups of `accepted` whose modules a command still imports with all their fixes
/// applied (deferring them only moves their cost), and return the others.
pub fn drop_imported_anyway(
    bench: &mut Bench,
    fixer: &mut Fixer<'_>,
    groups: &mut [Group],
    measured: &[Measured],
    accepted: &[usize],
) -> Result<Vec<usize>, CliError> {
    if accepted.is_empty() {
        return Ok(Vec::new());
    }
    bench.place(Side::Reference, fixer, &names(accepted, groups))?;
    let mut still = BTreeSet::new();
    for command in measured {
        for entry in profile(&bench.runner, bench.reference.root(), &command.argv, 1)? {
            if entry.cumulative_us >= fixer.candidate_us() {
                still.insert(fixer.group_of(&entry.module));
            }
        }
    }
    let mut left = Vec::new();
    for &index in accepted {
        if still.contains(&groups[index].name) {
            groups[index].verdict = Verdict::ImportedAnyway;
        } else {
            left.push(index);
        }
    }
    Ok(left)
}

/// The groups of `judged` that save time: each one's saving is the others' fixes without it
/// against the others' with it, in rounds until every group left saves with the others left (a
/// saving that was noise, or that needed a group dropped since, has to show again). A group saves
/// when it saves at least `min_saving_ms` and more than the noise on one command and costs no
/// more than the noise on any.
pub fn keep_saving(
    bench: &mut Bench,
    fixer: &mut Fixer<'_>,
    groups: &mut [Group],
    measured: &[Measured],
    judged: Vec<usize>,
    min_saving_ms: f64,
) -> Result<Vec<usize>, CliError> {
    let mut kept = judged;
    for round in 1..=MAX_ROUNDS {
        bench.place(Side::Reference, fixer, &names(&kept, groups))?;
        for &index in &kept {
            let without: Vec<usize> = kept.iter().copied().filter(|&i| i != index).collect();
            eprintln!(
                "tauten: measuring what deferring `{}` saves (round {round})",
                groups[index].name
            );
            bench.place(Side::Trial, fixer, &names(&without, groups))?;
            let (mut saves, mut costs) = (false, false);
            for (slot, command) in measured.iter().enumerate() {
                let (with_it, without_it, _) = bench.time(&command.argv)?;
                let saving = without_it.wall_ms - with_it.wall_ms;
                let noise = with_it.spread_ms + without_it.spread_ms;
                saves |= saving >= min_saving_ms && saving > noise;
                costs |= saving < -noise;
                groups[index].savings[slot] = Some((saving, noise));
            }
            groups[index].verdict = if costs {
                Verdict::CostsTime
            } else if saves {
                Verdict::Kept
            } else {
                Verdict::TooSmall { min_saving_ms }
            };
        }
        let before = kept.len();
        kept.retain(|&i| matches!(groups[i].verdict, Verdict::Kept));
        if kept.len() == before || kept.is_empty() {
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
