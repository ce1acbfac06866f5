//! `tauten check --fix --verify "COMMAND"`: keep only the fixes the user's own command accepts.
//!
//! The command runs twice before any fix (a command that fails, or passes only once, concludes
//! nothing and nothing is written). Then every file's fixes are written in place and the command
//! runs again; when it fails, the files are bisected (a file's fixes are applied or withheld
//! together: later passes build on earlier ones) until each file whose fixes break it is found,
//! in O(k log n) runs for k such files among n. Files end either fixed (in the last passing run)
//! or as they were.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tauten_engine::source;
use tauten_workspace::run::FileReport;
use tauten_workspace::write::write_file;

use crate::error::CliError;

/// What one run of the command gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunResult {
    Passed,
    /// Failed (or timed out), with the end of its output.
    Failed(String),
}

/// A file whose fixes the command rejected, with the command's output when they were applied.
#[derive(Debug)]
pub struct Rejected {
    pub path: PathBuf,
    pub output: String,
}

/// How verification ended.
#[derive(Debug)]
pub enum Verdict {
    /// Every fix kept, or the rejected files (each left as it was).
    Checked {
        runs: usize,
        rejected: Vec<Rejected>,
    },
    /// The command failed before any fix: nothing written.
    FailsBefore(String),
    /// The command passed once and failed once before any fix: nothing concluded, nothing written.
    Flaky(String),
}

/// A file with fixes: its original bytes and its fixed bytes.
struct Candidate {
    path: PathBuf,
    original: Vec<u8>,
    fixed: Vec<u8>,
}

/// Run `command` against the fixed files of `reports` (nothing written yet), writing in place the
/// files whose fixes it accepts. Progress goes to standard error.
pub fn verify(
    command: &str,
    timeout: Duration,
    reports: &[FileReport],
) -> Result<Verdict, CliError> {
    let candidates = candidates(reports)?;
    let runner = |label: &str| {
        eprintln!("tauten verify: {label}");
        run(command, timeout)
    };
    let first = runner("baseline run 1 of 2 (no fix applied)")?;
    let second = runner("baseline run 2 of 2 (no fix applied)")?;
    match (&first, &second) {
        (RunResult::Failed(output), RunResult::Failed(_)) => {
            return Ok(Verdict::FailsBefore(output.clone()))
        }
        (RunResult::Failed(output), RunResult::Passed)
        | (RunResult::Passed, RunResult::Failed(output)) => {
            return Ok(Verdict::Flaky(output.clone()))
        }
        _ => {}
    }
    let mut search = Search {
        accepted: Vec::new(),
        rejected: Vec::new(),
        runs: 2,
        test: |applied: &[usize], runs: usize| -> Result<RunResult, CliError> {
            write_state(&candidates, applied)?;
            runner(&format!(
                "run {runs}: fixes of {} of {} files applied",
                applied.len(),
                candidates.len()
            ))
        },
    };
    let all: Vec<usize> = (0..candidates.len()).collect();
    let outcome = search.find(&all);
    // Whatever happened, the files end in the last state that passed (or as they were).
    let restored = write_state(&candidates, &search.accepted);
    outcome?;
    restored?;
    let rejected = std::mem::take(&mut search.rejected)
        .into_iter()
        .map(|(index, output)| Rejected {
            path: candidates[index].path.clone(),
            output,
        })
        .collect();
    Ok(Verdict::Checked {
        runs: search.runs,
        rejected,
    })
}

/// The files with fixes, in the reports' order.
fn candidates(reports: &[FileReport]) -> Result<Vec<Candidate>, CliError> {
    let mut out = Vec::new();
    for report in reports.iter().filter(|r| r.error.is_none()) {
        let Some(fixed) = &report.fixed else {
            continue;
        };
        let fixed = (fixed.unpack())
            .map_err(|e| CliError::Path(report.path.clone(), format!("cannot unpack: {e}")))?;
        let original = std::fs::read(&report.path)
            .map_err(|e| CliError::Path(report.path.clone(), format!("cannot read: {e}")))?;
        let (_, encoding) = source::decode(&original)
            .map_err(|e| CliError::Path(report.path.clone(), format!("cannot decode: {e}")))?;
        out.push(Candidate {
            path: report.path.clone(),
            fixed: source::encode(&fixed, encoding),
            original,
        });
    }
    Ok(out)
}

/// Put every candidate on disk fixed (the `applied` ones) or as it was (the rest), writing only
/// files whose content differs.
fn write_state(candidates: &[Candidate], applied: &[usize]) -> Result<(), CliError> {
    for (index, candidate) in candidates.iter().enumerate() {
        let wanted = if applied.contains(&index) {
            &candidate.fixed
        } else {
            &candidate.original
        };
        if std::fs::read(&candidate.path).ok().as_ref() == Some(wanted) {
            continue;
        }
        write_file(&candidate.path, wanted)
            .map_err(|e| CliError::Path(candidate.path.clone(), format!("cannot write: {e}")))?;
    }
    Ok(())
}

/// The bisection over candidates (files here, deferred modules for `tauten startup`): `test` puts
/// the given candidates' fixes in place and runs the command.
pub struct Search<T> {
    /// Candidates whose fixes passed together with every other accepted one's.
    pub accepted: Vec<usize>,
    pub rejected: Vec<(usize, String)>,
    pub runs: usize,
    test: T,
}

impl<T> Search<T>
where
    T: FnMut(&[usize], usize) -> Result<RunResult, CliError>,
{
    pub fn new(test: T) -> Self {
        Search {
            accepted: Vec::new(),
            rejected: Vec::new(),
            runs: 0,
            test,
        }
    }

    /// Accept the candidates of `group` whose fixes pass with those accepted so far; reject the
    /// rest. Iterative (a stack of groups), so no recursion per halving.
    pub fn find(&mut self, group: &[usize]) -> Result<(), CliError> {
        let mut pending: Vec<Vec<usize>> = vec![group.to_vec()];
        while let Some(group) = pending.pop() {
            if group.is_empty() {
                continue;
            }
            let mut applied = self.accepted.clone();
            applied.extend(&group);
            self.runs += 1;
            match (self.test)(&applied, self.runs)? {
                RunResult::Passed => self.accepted.extend(group),
                RunResult::Failed(output) if group.len() == 1 => {
                    self.rejected.push((group[0], output));
                }
                RunResult::Failed(_) => {
                    let (first, second) = group.split_at(group.len() / 2);
                    // The first half is tried first: push it last.
                    pending.push(second.to_vec());
                    pending.push(first.to_vec());
                }
            }
        }
        Ok(())
    }
}

/// Run `command` with `sh -c` from the working directory, its output kept in a temporary file
/// (no pipe to fill up), killed after `timeout`.
pub fn run(command: &str, timeout: Duration) -> Result<RunResult, CliError> {
    let log = tempfile::NamedTempFile::new()
        .map_err(|e| CliError::Io(format!("cannot create a temporary file: {e}")))?;
    let out = log.reopen().map_err(|e| CliError::Io(e.to_string()))?;
    let err = log.reopen().map_err(|e| CliError::Io(e.to_string()))?;
    let mut child = Command::new("sh")
        .args(["-c", command])
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| CliError::Io(format!("cannot run `{command}`: {e}")))?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| CliError::Io(e.to_string()))? {
            break Some(status);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = tail(log.path(), 20);
    Ok(match status {
        Some(status) if status.success() => RunResult::Passed,
        Some(status) => RunResult::Failed(format!(
            "exit {}:\n{output}",
            status
                .code()
                .map_or_else(|| "by a signal".into(), |c| c.to_string())
        )),
        None => RunResult::Failed(format!(
            "timed out after {} s:\n{output}",
            timeout.as_secs()
        )),
    })
}

/// The last `lines` lines of a file.
fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read(path).unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bisection with `bad` files whose fixes fail the command: how many runs it takes and
    /// which it rejects.
    fn bisect(files: usize, bad: &[usize]) -> (Vec<usize>, Vec<usize>, usize) {
        let mut search = Search {
            accepted: Vec::new(),
            rejected: Vec::new(),
            runs: 0,
            test: |applied: &[usize], _| {
                Ok(if applied.iter().any(|i| bad.contains(i)) {
                    RunResult::Failed("broken".into())
                } else {
                    RunResult::Passed
                })
            },
        };
        let all: Vec<usize> = (0..files).collect();
        search.find(&all).unwrap();
        let mut accepted = search.accepted.clone();
        accepted.sort_unstable();
        let rejected = search.rejected.iter().map(|(i, _)| *i).collect();
        (accepted, rejected, search.runs)
    }

    #[test]
    fn every_good_fix_is_kept_and_each_bad_one_found() {
        let (accepted, rejected, runs) = bisect(64, &[5, 40]);
        assert_eq!(rejected, [5, 40]);
        assert_eq!(accepted.len(), 62);
        assert!(!accepted.contains(&5) && !accepted.contains(&40));
        // k log2 n runs, give or take the halves that pass.
        assert!(runs <= 2 * 2 * 6 + 1, "{runs} runs");
    }

    #[test]
    fn one_run_when_every_fix_passes() {
        let (accepted, rejected, runs) = bisect(10, &[]);
        assert_eq!((accepted.len(), rejected.len(), runs), (10, 0, 1));
    }

    #[test]
    fn a_command_that_times_out_fails() {
        let result = run("sleep 5", Duration::from_millis(100)).unwrap();
        assert!(matches!(result, RunResult::Failed(ref why) if why.starts_with("timed out")));
        assert_eq!(
            run("true", Duration::from_secs(5)).unwrap(),
            RunResult::Passed
        );
        let failed = run("echo oops; exit 3", Duration::from_secs(5)).unwrap();
        assert_eq!(failed, RunResult::Failed("exit 3:\noops".into()));
    }
}
