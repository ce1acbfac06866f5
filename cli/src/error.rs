//! Errors that end a command, each with what to tell the user.

use std::path::PathBuf;

use tauten_engine::config::ConfigError;

#[derive(Debug)]
pub enum CliError {
    /// A configuration file that cannot be used.
    Config(ConfigError),
    /// A `--select`/`--ignore` prefix that names no rule.
    UnknownSelector(String),
    /// `tauten explain` with a code no rule has.
    UnknownRule(String),
    /// Reading standard input or writing output failed.
    Io(String),
    /// A path given on the command line does not exist or cannot be read.
    Path(PathBuf, String),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Config(err) => write!(f, "{err}"),
            CliError::UnknownSelector(s) => write!(
                f,
                "unknown rule selector `{s}`: use a code or code prefix listed by `tauten rules` (tauten's or another tool's), or `ALL`"
            ),
            CliError::UnknownRule(code) => write!(f, "no rule has the code `{code}` (see `tauten rules`)"),
            CliError::Io(msg) => write!(f, "{msg}"),
            CliError::Path(path, msg) => write!(f, "{}: {msg}", path.display()),
        }
    }
}

impl From<ConfigError> for CliError {
    fn from(err: ConfigError) -> Self {
        CliError::Config(err)
    }
}
