//! Running the user's command to record its imports (`tauten profile-imports`; `tauten startup`
//! runs its commands through `startup::command`).

use std::process::{Command, Stdio};

use tauten_engine::import_profile::{parse_importtime, ImportEntry};

use crate::error::CliError;

/// Run `command` (a program and its arguments) with `PYTHONPROFILEIMPORTTIME=1`, passing its
/// standard output through, and return the import report it printed on standard error (other
/// lines of standard error are passed through too).
pub fn profile_command(command: &[String]) -> Result<(Vec<ImportEntry>, i32), CliError> {
    let (program, args) = command
        .split_first()
        .ok_or_else(|| CliError::Io("give the command to profile after `--`".into()))?;
    let output = Command::new(program)
        .args(args)
        .env("PYTHONPROFILEIMPORTTIME", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| CliError::Io(format!("cannot run `{program}`: {e}")))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    for line in stderr.lines().filter(|l| !l.starts_with("import time:")) {
        eprintln!("{line}");
    }
    Ok((
        parse_importtime(&stderr),
        output.status.code().unwrap_or(-1),
    ))
}

/// Print `text` on standard output; a reader that closed the pipe (`| head`) is not an error.
pub fn print_stdout(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Io(err.to_string()))
        }
        _ => Ok(()),
    }
}
