//! `tauten startup -- COMMAND`: what the lazy-import fixes save on the command the user runs.
//!
//! The command runs in fresh processes against two byte-compiled copies of the project, side by
//! side. The fixes come from the command's own import profile and are judged by deferred module
//! ([`variants`]): those that change the command's exit status or output are found by bisection
//! and left out; those whose module the command imports later anyway save nothing; each other's
//! saving is measured by leaving it out of the rest. Only the fixes that save more than the noise
//! and `--min-saving-ms` are kept, measured together at the end, and written with `--write`.

mod command;
mod copies;
mod html;
mod measure;
mod report;
mod variants;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tauten_rules::registry::all_rules;
use tauten_workspace::write::write_file;

use crate::args::StartupArgs;
use crate::error::CliError;
use crate::verify::{RunResult, Search};
use crate::{EXIT_CLEAN, EXIT_ERROR};
use command::{loaded_sources, Outcome, Runner};
use copies::ProjectCopy;
use measure::{profile, side_by_side, Stats};
use report::{shown, CommandReport, FixReport, Report, Verdict};
use variants::{FixRow, Fixer};

/// Runs of the command whose import profiles are combined (the median of each module's time).
const PROFILE_RUNS: usize = 3;

/// Rounds of leave-one-out measurements at most (each over the groups the last one kept).
const MAX_ROUNDS: usize = 3;

/// One measured command and what it printed before any fix.
struct Measured {
    argv: Vec<String>,
    baseline: Outcome,
    /// Two runs before any fix printed the same standard output: compare it, not only the status.
    stable: bool,
}

/// A deferred module's fixes and what became of them.
struct Group {
    name: String,
    fixes: Vec<FixRow>,
    verdict: Verdict,
    /// Its saving on each command (leave-one-out), when measured.
    savings: Vec<Option<(f64, f64)>>,
}

pub fn run(args: &StartupArgs) -> Result<u8, CliError> {
    let commands = commands(args)?;
    let project = args
        .project
        .canonicalize()
        .map_err(|e| CliError::Path(args.project.clone(), e.to_string()))?;
    eprintln!(
        "tauten: running `{}` (this runs your code)",
        shown(&commands[0])
    );
    let runner = Runner::new(&args.python, &project)?;
    let compiler = compiler(&commands[0], &args.python);
    let mut reference = ProjectCopy::new(&project)?;
    let mut trial = ProjectCopy::new(&project)?;
    reference.compile(&compiler, None)?;
    trial.compile(&compiler, None)?;

    let mut measured = Vec::new();
    for argv in commands {
        let baseline = runner.run(reference.root(), &argv, &[])?;
        let again = runner.run(trial.root(), &argv, &[])?;
        let stable = again.agrees_with(&baseline, true);
        measured.push(Measured {
            argv,
            baseline,
            stable,
        });
    }
    let mut notes = Vec::new();
    // Every command's profile decides what is heavy; the first command's is the tree shown.
    let mut entries = Vec::new();
    let mut shown_tree = Vec::new();
    for command in &measured {
        let profiled = profile(&runner, reference.root(), &command.argv, PROFILE_RUNS)?;
        if shown_tree.is_empty() {
            shown_tree = crate::import_tree::build(&profiled);
        }
        entries.extend(profiled);
    }
    let costs = tauten_engine::import_profile::ImportProfile {
        command: measured[0].argv.clone(),
        entries,
    }
    .costs();
    let rules = all_rules();
    let mut fixer = Fixer::new(&project, &rules, costs)?;
    check_loaded(&runner, &reference, &measured[0].argv, &fixer, &mut notes)?;
    let threshold_ms = fixer.threshold_ms();
    let min_saving_ms = args.min_saving_ms.unwrap_or(threshold_ms);

    let mut groups: Vec<Group> = Vec::new();
    if !args.no_fix {
        for name in fixer.candidate_groups() {
            let fixes = fixer.fixes_of(&name);
            if !fixes.is_empty() {
                groups.push(Group {
                    name,
                    fixes,
                    verdict: Verdict::Kept,
                    savings: vec![None; measured.len()],
                });
            }
        }
    }
    eprintln!(
        "tauten: {} deferred {} to judge",
        groups.len(),
        if groups.len() == 1 {
            "module"
        } else {
            "modules"
        }
    );
    let names = |indices: &[usize], groups: &[Group]| -> BTreeSet<String> {
        indices.iter().map(|&i| groups[i].name.clone()).collect()
    };

    // Fixes that change what the command does are found by bisection and left out.
    let accepted = if groups.is_empty() {
        Vec::new()
    } else {
        let all: Vec<usize> = (0..groups.len()).collect();
        let mut search = Search::new(|applied: &[usize], _runs| -> Result<RunResult, CliError> {
            let files = fixer.fixed(&names(applied, &groups))?;
            let touched = trial.set(&files)?;
            trial.compile(&compiler, Some(&touched))?;
            for command in &measured {
                let outcome = runner.run(trial.root(), &command.argv, &[])?;
                if !outcome.agrees_with(&command.baseline, command.stable) {
                    return Ok(RunResult::Failed(difference(&command.baseline, &outcome)));
                }
            }
            Ok(RunResult::Passed)
        });
        search.find(&all)?;
        let (mut accepted, rejected) = (search.accepted, search.rejected);
        for (index, why) in rejected {
            groups[index].verdict = Verdict::Breaks(why);
        }
        accepted.sort_unstable();
        accepted
    };

    // What the command imports anyway with every accepted fix: deferring it only moves its cost.
    if !accepted.is_empty() {
        let files = fixer.fixed(&names(&accepted, &groups))?;
        let touched = reference.set(&files)?;
        reference.compile(&compiler, Some(&touched))?;
        let mut still = BTreeSet::new();
        for command in &measured {
            for entry in profile(&runner, reference.root(), &command.argv, 1)? {
                if entry.cumulative_us as f64 >= threshold_ms * 1000.0 {
                    still.insert(fixer.group_of(&entry.module));
                }
            }
        }
        for &index in &accepted {
            if still.contains(&groups[index].name) {
                groups[index].verdict = Verdict::ImportedAnyway;
            }
        }
    }

    // Each remaining group's saving: the others without it against the others with it, in
    // rounds until every group left saves with the others left (a saving that was noise, or that
    // needed a group dropped since, has to show again).
    let mut kept: Vec<usize> = (accepted.iter().copied())
        .filter(|&i| matches!(groups[i].verdict, Verdict::Kept))
        .collect();
    for round in 1..=MAX_ROUNDS {
        let files = fixer.fixed(&names(&kept, &groups))?;
        let touched = reference.set(&files)?;
        reference.compile(&compiler, Some(&touched))?;
        for &index in &kept {
            let without: Vec<usize> = kept.iter().copied().filter(|&i| i != index).collect();
            eprintln!(
                "tauten: measuring what deferring `{}` saves (round {round})",
                groups[index].name
            );
            let files = fixer.fixed(&names(&without, &groups))?;
            let touched = trial.set(&files)?;
            trial.compile(&compiler, Some(&touched))?;
            let (mut saves, mut costs) = (false, false);
            for (slot, command) in measured.iter().enumerate() {
                let (with_it, without_it) = side_by_side(
                    &runner,
                    reference.root(),
                    trial.root(),
                    &command.argv,
                    args.runs,
                )?;
                let (with_it, without_it) = (Stats::of(&with_it), Stats::of(&without_it));
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
    // The kept fixes together, against the project as it is.
    let kept_files = fixer.fixed(&names(&kept, &groups))?;
    let touched = trial.set(&kept_files)?;
    trial.compile(&compiler, Some(&touched))?;
    reference.set(&Default::default())?;
    reference.compile(&compiler, None)?;
    let mut reports = Vec::new();
    for command in &measured {
        eprintln!("tauten: timing `{}` before and after", shown(&command.argv));
        let (before, after) = side_by_side(
            &runner,
            reference.root(),
            trial.root(),
            &command.argv,
            args.runs,
        )?;
        let output_equal = after
            .iter()
            .all(|o| o.agrees_with(&command.baseline, command.stable));
        reports.push(CommandReport {
            command: command.argv.clone(),
            before: Stats::of(&before),
            after: (!kept.is_empty()).then(|| Stats::of(&after)),
            output_equal,
            stdout_compared: command.stable,
            stderr_after: (after.first())
                .filter(|o| !kept.is_empty() && o.stderr != command.baseline.stderr)
                .map(|o| tail(&o.stderr, 8)),
        });
    }
    let output_equal = reports.iter().all(|r| r.output_equal);
    // The fixes kept one by one must save together too, on some command, beyond the noise.
    let together = reports.iter().any(|r| {
        r.after.as_ref().is_some_and(|after| {
            let saving = r.before.wall_ms - after.wall_ms;
            saving >= min_saving_ms && saving > r.before.spread_ms + after.spread_ms
        })
    });
    if !kept.is_empty() && !together {
        for &index in &kept {
            groups[index].verdict = Verdict::NoSavingTogether;
        }
        kept.clear();
        for report in &mut reports {
            if let Some(after) = report.after.take() {
                notes.push(format!(
                    "with the fixes that saved one by one, `{}` took {:.0} ms against {:.0} ms (spread {:.1} and {:.1} ms): not kept",
                    shown(&report.command),
                    after.wall_ms,
                    report.before.wall_ms,
                    after.spread_ms,
                    report.before.spread_ms
                ));
            }
        }
    }
    let written = if args.write && output_equal && !kept.is_empty() {
        write_kept(&project, &fixer, &kept_files)?
    } else {
        0
    };
    if args.write && !output_equal {
        notes.push(
            "the kept fixes changed the command's output when timed together: nothing written"
                .into(),
        );
    }

    let fixes = groups
        .iter()
        .flat_map(|group| {
            group.fixes.iter().map(|fix| FixReport {
                file: fix.file.clone(),
                line: fix.line,
                code: fix.code,
                module: group.name.clone(),
                message: fix.message.clone(),
                saving_ms: group.savings[0].map(|(saving, _)| saving),
                noise_ms: group.savings[0].map(|(_, noise)| noise),
                kept: matches!(group.verdict, Verdict::Kept),
                why: group.verdict.describe(),
            })
        })
        .collect();
    let report = Report {
        project,
        runs: args.runs,
        threshold_ms,
        commands: reports,
        fixes,
        written,
        write: args.write,
        notes,
        tree: shown_tree,
    };
    if let Some(path) = &args.html {
        let after = if kept.is_empty() {
            None
        } else {
            let entries = profile(&runner, trial.root(), &measured[0].argv, PROFILE_RUNS)?;
            Some(crate::import_tree::build(&entries))
        };
        html::write(path, &report, &report.tree, after.as_deref())?;
    }
    report::print(&report, args.output_format)?;
    Ok(if output_equal { EXIT_CLEAN } else { EXIT_ERROR })
}

/// The commands to measure: the one after `--` (or `import MODULE` with `--python`), then each
/// `--also`, split as a shell would.
fn commands(args: &StartupArgs) -> Result<Vec<Vec<String>>, CliError> {
    let main = match (&args.module, args.command.is_empty()) {
        (Some(module), true) => vec![
            args.python.clone(),
            "-c".into(),
            format!("import {module}"),
        ],
        (None, false) => args.command.clone(),
        (Some(_), false) => {
            return Err(CliError::Io(
                "give either a module or a command after `--`, not both".into(),
            ))
        }
        (None, true) => {
            return Err(CliError::Io(
                "give the command to measure after `--` (e.g. `tauten startup -- python -m mytool --help`) or a module".into(),
            ))
        }
    };
    let mut commands = vec![main];
    for also in &args.also {
        let argv = shlex::split(also)
            .filter(|argv| !argv.is_empty())
            .ok_or_else(|| CliError::Io(format!("cannot split `--also {also}` into a command")))?;
        commands.push(argv);
    }
    Ok(commands)
}

/// The interpreter that byte-compiles the copies: the command's own when it is a Python, so that
/// the bytecode is the one it reads.
fn compiler(argv: &[String], python: &str) -> String {
    match argv.first() {
        Some(program)
            if Path::new(program)
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("python")) =>
        {
            std::path::absolute(program)
                .ok()
                .filter(|_| program.contains('/'))
                .map_or_else(|| program.clone(), |p| p.to_string_lossy().into_owned())
        }
        _ => python.to_owned(),
    }
}

/// Make sure the command imports the project from the copy: say where it imports the project's
/// packages from otherwise, and whether it had to compile the copy's modules.
fn check_loaded(
    runner: &Runner,
    copy: &ProjectCopy,
    argv: &[String],
    fixer: &Fixer<'_>,
    notes: &mut Vec<String>,
) -> Result<(), CliError> {
    let verbose = runner.run(copy.root(), argv, &[("PYTHONVERBOSE", "1")])?;
    let (loaded, compiled) = loaded_sources(&verbose.raw_stderr);
    let from_copy = loaded.iter().filter(|p| p.starts_with(copy.root())).count();
    let elsewhere: Vec<&PathBuf> = (loaded.iter())
        .filter(|p| !p.starts_with(copy.root()))
        .filter(|p| fixer.is_own_module_path(p))
        .collect();
    if from_copy == 0 {
        return Err(CliError::Io(match elsewhere.first() {
            Some(path) => format!(
                "the command imports the project from {}, not from {}: run it from the project, or install the project in editable mode",
                path.display(),
                runner.project.display()
            ),
            None => format!(
                "the command imports none of the modules of {}: give its folder with --project",
                runner.project.display()
            ),
        }));
    }
    if let Some(path) = elsewhere.first() {
        notes.push(format!(
            "the command also imports {} modules of the project's packages from elsewhere (such as {}): fixes there are not measured",
            elsewhere.len(),
            path.display()
        ));
    }
    if compiled > 0 {
        notes.push(format!(
            "{compiled} of the copy's modules were compiled at import (bytecode for another interpreter?): their times include compiling"
        ));
    }
    Ok(())
}

/// The end of what differs between the baseline run and `outcome`.
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

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn status(status: Option<i32>) -> String {
    status.map_or_else(|| "none (killed or timed out)".into(), |s| s.to_string())
}

/// Write the kept fixes to the project's own files, each only if it is still as it was read.
fn write_kept(
    project: &Path,
    fixer: &Fixer<'_>,
    files: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
) -> Result<usize, CliError> {
    for rel in files.keys() {
        let path = project.join(rel);
        let now = std::fs::read(&path).map_err(|e| CliError::Path(path.clone(), e.to_string()))?;
        if Some(now.as_slice()) != fixer.original(rel) {
            return Err(CliError::Path(
                path,
                "changed while tauten startup ran: nothing written".into(),
            ));
        }
    }
    for (rel, bytes) in files {
        let path = project.join(rel);
        write_file(&path, bytes).map_err(|e| CliError::Path(path, format!("cannot write: {e}")))?;
    }
    Ok(files.len())
}
