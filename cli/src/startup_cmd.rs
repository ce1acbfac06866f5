//! `tauten startup MODULE`: what importing a module costs, and what deferring its heavy imports
//! (TAU301/TAU302 fixes, applied to a temporary copy) saves.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;
use tauten_engine::import_profile::ImportProfile;

use crate::args::StartupArgs;
use crate::error::CliError;
use crate::import_tree::{self, ImportNode};
use crate::{python, EXIT_CLEAN};

#[derive(Serialize)]
struct Measurement {
    median_ms: f64,
    runs_ms: Vec<f64>,
    peak_rss_mb: f64,
}

#[derive(Serialize)]
struct Report {
    module: String,
    package: PathBuf,
    before: Measurement,
    after: Option<Measurement>,
    fixes_applied: usize,
    tree: Vec<ImportNode>,
}

pub fn run(args: &StartupArgs) -> Result<u8, CliError> {
    let python = args.python.as_str();
    let module = args.module.as_str();
    eprintln!("tauten: importing `{module}` with `{python}` (this runs your code)");
    let package = python::package_location(python, module)?;
    let entries = python::import_report(python, module, None)?;
    let before = measure(python, module, None, args.runs)?;
    let tree = import_tree::build(&entries);
    let copy = tempfile::tempdir().map_err(|e| CliError::Io(e.to_string()))?;
    let fixes_applied = if args.no_fix {
        0
    } else {
        defer_in_copy(&package, copy.path(), &entries)?
    };
    let after = if fixes_applied > 0 {
        Some(measure(python, module, Some(copy.path()), args.runs)?)
    } else {
        None
    };
    let report = Report {
        module: module.to_owned(),
        package,
        before,
        after,
        fixes_applied,
        tree,
    };
    match args.output_format {
        crate::args::StartupFormat::Json => python::print_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&report).map_err(|e| CliError::Io(e.to_string()))?
        ))?,
        crate::args::StartupFormat::Text => python::print_stdout(&text_report(&report))?,
    }
    Ok(EXIT_CLEAN)
}

/// Import `module` `runs` times, each in a fresh interpreter.
fn measure(
    python: &str,
    module: &str,
    pythonpath: Option<&Path>,
    runs: usize,
) -> Result<Measurement, CliError> {
    let mut times = Vec::new();
    let mut peak = Vec::new();
    for _ in 0..runs.max(1) {
        let (ms, rss_kb) = python::measure_import(python, module, pythonpath)?;
        times.push(ms);
        peak.push(rss_kb as f64 / 1024.0);
    }
    Ok(Measurement {
        median_ms: median(&times),
        peak_rss_mb: median(&peak),
        runs_ms: times,
    })
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// Copy the package into `dir`, with the measured profile as its import profile, and apply the
/// lazy-import fixes there with this binary. Returns how many fixes were applied.
fn defer_in_copy(
    package: &Path,
    dir: &Path,
    entries: &[tauten_engine::import_profile::ImportEntry],
) -> Result<usize, CliError> {
    let name = package
        .file_name()
        .ok_or_else(|| CliError::Path(package.to_path_buf(), "not a package".into()))?;
    let target = dir.join(name);
    if package.is_dir() {
        copy_tree(package, &target)?;
    } else {
        std::fs::copy(package, &target)
            .map_err(|e| CliError::Path(target.clone(), e.to_string()))?;
    }
    let profile = ImportProfile {
        command: vec![],
        entries: entries.to_vec(),
    };
    let profile_path = dir.join(tauten_engine::config::DEFAULT_PROFILE);
    std::fs::create_dir_all(profile_path.parent().unwrap_or(dir))
        .map_err(|e| CliError::Io(e.to_string()))?;
    std::fs::write(
        &profile_path,
        serde_json::to_string(&profile).map_err(|e| CliError::Io(e.to_string()))?,
    )
    .map_err(|e| CliError::Path(profile_path.clone(), e.to_string()))?;
    let me = std::env::current_exe().map_err(|e| CliError::Io(e.to_string()))?;
    let output = Command::new(me)
        .args([
            "check",
            "--select",
            "TAU3",
            "--fix",
            "--unsafe-fixes",
            "--no-cache",
            "--exit-zero",
            "--output-format",
            "concise",
        ])
        .arg(&target)
        .current_dir(dir)
        .output()
        .map_err(|e| CliError::Io(e.to_string()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let fixed = stderr
        .lines()
        .chain(String::from_utf8_lossy(&output.stdout).lines())
        .find_map(|l| {
            l.strip_prefix("Fixed ")
                .and_then(|r| r.split_whitespace().next())
                .and_then(|n| n.parse::<usize>().ok())
        })
        .unwrap_or(0);
    Ok(fixed)
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), CliError> {
    let mut stack = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((source, target)) = stack.pop() {
        std::fs::create_dir_all(&target)
            .map_err(|e| CliError::Path(target.clone(), e.to_string()))?;
        let entries = std::fs::read_dir(&source)
            .map_err(|e| CliError::Path(source.clone(), e.to_string()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let dest = target.join(entry.file_name());
            if path.is_dir() {
                if entry.file_name() != "__pycache__" {
                    stack.push((path, dest));
                }
            } else {
                std::fs::copy(&path, &dest).map_err(|e| CliError::Path(dest, e.to_string()))?;
            }
        }
    }
    Ok(())
}

fn text_report(report: &Report) -> String {
    let mut out = format!(
        "import {} (from {})\ncumulative      self  module (heaviest first, >= 1 ms)\n{}",
        report.module,
        report.package.display(),
        import_tree::render(&report.tree, 2, 1.0)
    );
    let before = &report.before;
    let summary = match &report.after {
        Some(after) => format!(
            "import {}: {:.0} ms -> {:.0} ms ({:+.0} ms), peak RSS {:.0} MB -> {:.0} MB ({} fixes, median of {} runs)",
            report.module,
            before.median_ms,
            after.median_ms,
            after.median_ms - before.median_ms,
            before.peak_rss_mb,
            after.peak_rss_mb,
            report.fixes_applied,
            before.runs_ms.len(),
        ),
        None => format!(
            "import {}: {:.0} ms, peak RSS {:.0} MB (median of {} runs); no import to defer",
            report.module,
            before.median_ms,
            before.peak_rss_mb,
            before.runs_ms.len()
        ),
    };
    out.push_str(&summary);
    out.push('\n');
    out
}
