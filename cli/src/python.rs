//! Running a Python interpreter to measure imports: the only place tauten runs the user's code
//! (`tauten profile-imports` and `tauten startup`).

use std::path::Path;
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

/// The import report of `python -X importtime -c "import <module>"`, without the modules the
/// interpreter imports on its own at start-up.
pub fn import_report(
    python: &str,
    module: &str,
    pythonpath: Option<&Path>,
) -> Result<Vec<ImportEntry>, CliError> {
    let baseline = run_importtime(python, "pass", pythonpath)?;
    let startup: std::collections::HashSet<String> =
        baseline.into_iter().map(|e| e.module).collect();
    let entries = run_importtime(python, &format!("import {module}"), pythonpath)?;
    Ok(entries
        .into_iter()
        .filter(|e| !startup.contains(&e.module))
        .collect())
}

fn run_importtime(
    python: &str,
    code: &str,
    pythonpath: Option<&Path>,
) -> Result<Vec<ImportEntry>, CliError> {
    let output = python_command(python, pythonpath)
        .args(["-X", "importtime", "-c", code])
        .output()
        .map_err(|e| CliError::Io(format!("cannot run `{python}`: {e}")))?;
    if !output.status.success() {
        return Err(CliError::Io(format!(
            "`{python} -c \"{code}\"` failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .filter(|l| !l.starts_with("import time:"))
                .collect::<Vec<_>>()
                .join("\n")
        )));
    }
    Ok(parse_importtime(&String::from_utf8_lossy(&output.stderr)))
}

/// One fresh interpreter's import of `module`: wall milliseconds and the process's peak RSS (KiB).
pub fn measure_import(
    python: &str,
    module: &str,
    pythonpath: Option<&Path>,
) -> Result<(f64, u64), CliError> {
    const SCRIPT: &str = "import importlib, resource, sys, time\n\
        t = time.perf_counter()\n\
        importlib.import_module(sys.argv[1])\n\
        ms = (time.perf_counter() - t) * 1000\n\
        print(ms, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n";
    let output = python_command(python, pythonpath)
        .args(["-c", SCRIPT, module])
        .output()
        .map_err(|e| CliError::Io(format!("cannot run `{python}`: {e}")))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let mut fields = last.split_whitespace();
    match (
        output.status.success(),
        fields.next().and_then(|f| f.parse::<f64>().ok()),
        fields.next().and_then(|f| f.parse::<u64>().ok()),
    ) {
        (true, Some(ms), Some(rss)) => Ok((ms, rss)),
        _ => Err(CliError::Io(format!(
            "importing `{module}` failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ))),
    }
}

/// Where `module`'s top-level package (or module file) lives, as the interpreter finds it.
pub fn package_location(python: &str, module: &str) -> Result<std::path::PathBuf, CliError> {
    const SCRIPT: &str = "import importlib.util, sys\n\
        spec = importlib.util.find_spec(sys.argv[1])\n\
        print(spec.submodule_search_locations[0] if spec.submodule_search_locations else spec.origin)\n";
    let top = module.split('.').next().unwrap_or(module);
    let output = Command::new(python)
        .args(["-c", SCRIPT, top])
        .output()
        .map_err(|e| CliError::Io(format!("cannot run `{python}`: {e}")))?;
    let location = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if !output.status.success() || location.is_empty() {
        return Err(CliError::Io(format!(
            "`{python}` cannot find the module `{top}`"
        )));
    }
    Ok(location.into())
}

fn python_command(python: &str, pythonpath: Option<&Path>) -> Command {
    let mut command = Command::new(python);
    command.stdin(Stdio::null());
    if let Some(path) = pythonpath {
        let mut value = path.as_os_str().to_owned();
        if let Some(existing) = std::env::var_os("PYTHONPATH") {
            value.push(":");
            value.push(existing);
        }
        command.env("PYTHONPATH", value);
    }
    command
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
