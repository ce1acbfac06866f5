//! What `tauten startup` found, as text or JSON.

use std::path::PathBuf;

use serde::Serialize;

use super::measure::Stats;
use crate::args::StartupFormat;
use crate::error::CliError;
use crate::import_tree::{self, ImportNode};
use crate::python::print_stdout;
use crate::render::plural;

/// What became of a deferred module's fixes.
#[derive(Debug, Clone)]
pub enum Verdict {
    Kept,
    /// They changed the command's exit status or output (how).
    Breaks(String),
    /// The command imports the module later anyway: deferring it only moves its cost.
    ImportedAnyway,
    /// They saved less than the minimum or their spread, on every command.
    TooSmall {
        min_saving_ms: f64,
    },
    /// Their modules' import times saved, but all the kept fixes together, timed, did not save
    /// beyond the noise on any command, or made one slower beyond it.
    NoSavingTogether,
}

impl Verdict {
    pub fn describe(&self) -> String {
        match self {
            Verdict::Kept => "saves time".into(),
            Verdict::Breaks(why) => format!("breaks the command: {why}"),
            Verdict::ImportedAnyway => "imported later by this command anyway: no saving".into(),
            Verdict::TooSmall { min_saving_ms } => {
                format!("saves less than {min_saving_ms:.0} ms, or less than its spread")
            }
            Verdict::NoSavingTogether => {
                "its modules' import times saved, but the kept fixes together, timed, did not save more than the noise (or made a command slower)"
                    .into()
            }
        }
    }
}

#[derive(Serialize)]
pub struct CommandReport {
    pub command: Vec<String>,
    pub before: Stats,
    /// With the kept fixes; `None` when none is kept.
    pub after: Option<Stats>,
    pub output_equal: bool,
    /// False when the command's standard output varied between two runs before any fix: then
    /// only the exit status is compared.
    pub stdout_compared: bool,
    /// The end of the standard error of a run with the kept fixes, when it differs from the run
    /// before any fix (shown, not compared: warnings and timings go there).
    pub stderr_after: Option<String>,
}

#[derive(Serialize)]
pub struct FixReport {
    pub file: PathBuf,
    pub line: usize,
    pub code: &'static str,
    pub module: String,
    pub message: String,
    /// What the modules this module's fixes no longer import took in the (first) command's
    /// import profiles, and that saving's spread.
    pub saving_ms: Option<f64>,
    pub noise_ms: Option<f64>,
    pub kept: bool,
    pub why: String,
}

pub struct Report {
    pub project: PathBuf,
    pub runs: usize,
    pub threshold_ms: f64,
    pub commands: Vec<CommandReport>,
    pub fixes: Vec<FixReport>,
    /// Files written (with `--write`).
    pub written: usize,
    pub write: bool,
    pub notes: Vec<String>,
    pub tree: Vec<ImportNode>,
}

#[derive(Serialize)]
struct Json<'a> {
    command: &'a [String],
    project: &'a PathBuf,
    runs: usize,
    before: &'a Stats,
    after: Option<&'a Stats>,
    output_equal: bool,
    stdout_compared: bool,
    also: &'a [CommandReport],
    fixes: &'a [FixReport],
    files_written: usize,
    notes: &'a [String],
}

pub fn print(report: &Report, format: StartupFormat) -> Result<(), CliError> {
    let text = match format {
        StartupFormat::Json => {
            let main = &report.commands[0];
            let json = Json {
                command: &main.command,
                project: &report.project,
                runs: report.runs,
                before: &main.before,
                after: main.after.as_ref(),
                output_equal: report.commands.iter().all(|c| c.output_equal),
                stdout_compared: main.stdout_compared,
                also: &report.commands[1..],
                fixes: &report.fixes,
                files_written: report.written,
                notes: &report.notes,
            };
            let mut text =
                serde_json::to_string_pretty(&json).map_err(|e| CliError::Io(e.to_string()))?;
            text.push('\n');
            text
        }
        StartupFormat::Text => text(report),
    };
    print_stdout(&text)
}

fn text(report: &Report) -> String {
    let mut out = format!(
        "heaviest import chains of `{}` (>= {:.0} ms):\ncumulative      self  module\n",
        shown(&report.commands[0].command),
        report.threshold_ms
    );
    let tree = import_tree::render(&report.tree, 6, report.threshold_ms);
    let lines: Vec<&str> = tree.lines().collect();
    for line in lines.iter().take(30) {
        out.push_str(line);
        out.push('\n');
    }
    if lines.len() > 30 {
        out.push_str(&format!("  ... {} more\n", lines.len() - 30));
    }
    let kept = report.fixes.iter().filter(|f| f.kept).count();
    if !report.fixes.is_empty() {
        out.push_str(&format!(
            "\nfixes, by deferred module: {kept} kept, {} dropped\n",
            report.fixes.len() - kept
        ));
        for group in report.fixes.chunk_by(|a, b| a.module == b.module) {
            let first = &group[0];
            let saving = match (first.saving_ms, first.noise_ms) {
                (Some(saving), Some(noise)) => {
                    format!(" ({saving:+.1} ms, spread {noise:.1} ms)")
                }
                _ => String::new(),
            };
            let (why, details) = first.why.split_once('\n').unwrap_or((&first.why, ""));
            out.push_str(&format!(
                "  {:<7} `{}` ({} {}): {why}{saving}\n",
                if first.kept { "kept" } else { "dropped" },
                first.module,
                group.len(),
                fixes(group.len()),
            ));
            for line in details.lines() {
                out.push_str(&format!("          | {line}\n"));
            }
            for fix in group {
                out.push_str(&format!(
                    "          {}:{} {}\n",
                    fix.file.display(),
                    fix.line,
                    fix.code
                ));
            }
        }
    }
    out.push('\n');
    for command in &report.commands {
        out.push_str(&summary(command));
    }
    for note in &report.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out.push_str(&if report.fixes.is_empty() {
        "no import to defer: nothing written\n".to_owned()
    } else if kept == 0 {
        "no fix saves time on this command: nothing written\n".to_owned()
    } else if report.write {
        format!(
            "wrote the {kept} kept {} to {} file{}\n",
            fixes(kept),
            report.written,
            plural(report.written)
        )
    } else {
        format!(
            "nothing written: run again with --write to apply the {kept} kept {}\n",
            fixes(kept)
        )
    });
    out
}

fn summary(command: &CommandReport) -> String {
    let before = &command.before;
    let runs = before.runs_ms.len();
    let mut out = match &command.after {
        Some(after) => format!(
            "`{}`: {:.0} ms -> {:.0} ms ({:+.0} ms; spread {:.1} and {:.1} ms), peak RSS {:.0} MB -> {:.0} MB (median of {runs} alternating runs)\n",
            shown(&command.command),
            before.wall_ms,
            after.wall_ms,
            after.wall_ms - before.wall_ms,
            before.spread_ms,
            after.spread_ms,
            before.rss_mb,
            after.rss_mb,
        ),
        None => format!(
            "`{}`: {:.0} ms (spread {:.1} ms), peak RSS {:.0} MB (median of {runs} runs)\n",
            shown(&command.command),
            before.wall_ms,
            before.spread_ms,
            before.rss_mb,
        ),
    };
    if command.after.is_some() {
        out.push_str(&format!(
            "  output: {}{}\n",
            match (command.output_equal, command.stdout_compared) {
                (true, true) => "same exit status and standard output",
                (true, false) => "same exit status (its standard output varies from run to run, so only the status is compared)",
                (false, _) => "DIFFERENT with the kept fixes",
            },
            if command.stderr_after.is_some() { "; standard error differs:" } else { "" }
        ));
        for line in command.stderr_after.iter().flat_map(|s| s.lines()) {
            out.push_str(&format!("          | {line}\n"));
        }
    }
    out
}

pub fn shown(argv: &[String]) -> String {
    shlex::try_join(argv.iter().map(String::as_str)).unwrap_or_else(|_| argv.join(" "))
}

fn fixes(n: usize) -> &'static str {
    if n == 1 {
        "fix"
    } else {
        "fixes"
    }
}
