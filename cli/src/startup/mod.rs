//! `tauten startup -- COMMAND`: what the lazy-import fixes save on the command the user runs.
//!
//! The command runs in fresh processes against two byte-compiled copies of the project, side by
//! side. The fixes come from the command's own import profile and are judged by deferred module
//! ([`variants`]): those that change the command's exit status or output are found by bisection
//! and left out; what each other one saves is read from the command's import profiles with the
//! fixes applied ([`savings`]: a module imported later anyway saves nothing). Only the fixes that
//! save more than their spread and `--min-saving-ms` are kept, timed together at the end (they
//! must save beyond the noise there too), and written with `--write`.

mod command;
mod copies;
mod html;
mod judge;
mod measure;
mod report;
mod savings;
mod variants;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tauten_rules::registry::all_rules;
use tauten_workspace::write::write_file;

use crate::args::StartupArgs;
use crate::error::CliError;
use crate::{EXIT_CLEAN, EXIT_ERROR};
use command::{loaded_sources, Runner};
use copies::ProjectCopy;
use judge::{names, tail, Bench, Group, Measured, Side};
use measure::{median_profile, profile, profile_runs};
use report::{shown, CommandReport, FixReport, Report, Verdict};
use variants::Fixer;

/// Runs at least of the command whose import profiles are combined (the median of each module's
/// time); `--runs` when more.
const PROFILE_RUNS: usize = 3;

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
    let mut bench = Bench {
        runner: Runner::new(&args.python, &project)?,
        compiler: compiler(&commands[0], &args.python),
        reference: ProjectCopy::new(&project)?,
        trial: ProjectCopy::new(&project)?,
        runs: args.runs,
    };
    for side in [Side::Reference, Side::Trial] {
        bench.copy(side).compile(&bench.compiler, None)?;
    }
    let mut measured = Vec::new();
    for argv in commands {
        let baseline = bench.runner.run(bench.reference.root(), &argv, &[])?;
        let again = bench.runner.run(bench.trial.root(), &argv, &[])?;
        let stable = again.agrees_with(&baseline, true);
        let profiles = profile_runs(
            &bench.runner,
            bench.reference.root(),
            &argv,
            PROFILE_RUNS.max(args.runs),
        )?;
        measured.push(Measured {
            argv,
            baseline,
            stable,
            profiles,
        });
    }
    // Every command's profile decides what is heavy; the first command's is the tree shown.
    let mut entries = Vec::new();
    let mut shown_tree = Vec::new();
    for command in &measured {
        let profiled = median_profile(&command.profiles);
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
    let mut notes = Vec::new();
    check_loaded(&bench, &measured[0].argv, &fixer, &mut notes)?;
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
        "tauten: {} deferred module{} to judge",
        groups.len(),
        crate::render::plural(groups.len())
    );
    let accepted = judge::keep_equivalent(&mut bench, &mut fixer, &mut groups, &measured)?;
    let mut kept = judge::keep_saving(
        &mut bench,
        &mut fixer,
        &mut groups,
        &measured,
        accepted,
        min_saving_ms,
    )?;

    // The kept fixes together, against the project as it is.
    let kept_files = bench.place(Side::Trial, &mut fixer, &names(&kept, &groups))?;
    bench.place(Side::Reference, &mut fixer, &BTreeSet::new())?;
    let mut reports = Vec::new();
    for command in &measured {
        eprintln!("tauten: timing `{}` before and after", shown(&command.argv));
        let (before, after, outcomes) =
            bench.time(&command.argv, (!kept.is_empty()).then_some(min_saving_ms))?;
        let output_equal =
            (outcomes.iter()).all(|o| o.agrees_with(&command.baseline, command.stable));
        reports.push(CommandReport {
            command: command.argv.clone(),
            before,
            after: (!kept.is_empty()).then_some(after),
            output_equal,
            stdout_compared: command.stable,
            stderr_after: (outcomes.first())
                .filter(|o| !kept.is_empty() && o.stderr != command.baseline.stderr)
                .map(|o| tail(&o.stderr, 8)),
        });
    }
    let output_equal = reports.iter().all(|r| r.output_equal);
    // The kept fixes must save together, timed, on some command beyond the noise, and make none
    // slower beyond it.
    let together = (reports.iter()).any(|r| {
        (r.after.as_ref()).is_some_and(|after| judge::saves(&r.before, after, min_saving_ms))
    });
    let slower = (reports.iter())
        .any(|r| (r.after.as_ref()).is_some_and(|after| judge::saves(after, &r.before, 0.0)));
    if !kept.is_empty() && (!together || slower) {
        for &index in &kept {
            groups[index].verdict = Verdict::NoSavingTogether;
        }
        kept.clear();
        for report in &mut reports {
            if let Some(after) = report.after.take() {
                notes.push(format!(
                    "with the fixes whose modules' import times saved, `{}` took {:.0} ms against {:.0} ms (spread {:.1} and {:.1} ms): not kept",
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
            let entries = profile(
                &bench.runner,
                bench.trial.root(),
                &measured[0].argv,
                PROFILE_RUNS,
            )?;
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
    bench: &Bench,
    argv: &[String],
    fixer: &Fixer<'_>,
    notes: &mut Vec<String>,
) -> Result<(), CliError> {
    let (runner, copy) = (&bench.runner, &bench.reference);
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
