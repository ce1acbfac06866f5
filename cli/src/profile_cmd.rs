//! `tauten profile-imports`: measure what a Python command's imports cost and store it for the
//! lazy-import rules.

use std::path::PathBuf;

use tauten_engine::config::DEFAULT_PROFILE;
use tauten_engine::import_profile::ImportProfile;

use crate::error::CliError;
use crate::{import_tree, python, EXIT_CLEAN, EXIT_ERROR};

/// Run `command` with import profiling, write the profile, and print its heaviest imports.
pub fn run(output: Option<PathBuf>, command: &[String]) -> Result<u8, CliError> {
    eprintln!(
        "tauten: running `{}` with import profiling (this runs your code)",
        command.join(" ")
    );
    let (entries, status) = python::profile_command(command)?;
    if entries.is_empty() {
        return Err(CliError::Io(format!(
            "`{}` printed no import report: is it a Python program? (exit status {status})",
            command.join(" ")
        )));
    }
    let path = output.unwrap_or_else(|| PathBuf::from(DEFAULT_PROFILE));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::Path(dir.to_path_buf(), e.to_string()))?;
    }
    let roots = import_tree::build(&entries);
    let profile = ImportProfile {
        command: command.to_vec(),
        entries,
    };
    let json = serde_json::to_string_pretty(&profile).map_err(|e| CliError::Io(e.to_string()))?;
    std::fs::write(&path, json.as_bytes())
        .map_err(|e| CliError::Path(path.clone(), e.to_string()))?;
    let total: f64 = roots.iter().map(|r| r.cumulative_ms).sum();
    crate::python::print_stdout(&format!(
        "{} modules, {total:.0} ms of imports; profile written to {}\n\
         cumulative      self  module (heaviest first, 2 levels, >= 1 ms)\n{}",
        profile.entries.len(),
        path.display(),
        import_tree::render(&roots, 1, 1.0)
    ))?;
    Ok(if status == 0 { EXIT_CLEAN } else { EXIT_ERROR })
}
