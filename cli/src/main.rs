//! `tauten`: the command-line front end over the engine.

mod args;
mod check;
mod diff;
mod error;
mod import_tree;
mod profile_cmd;
mod python;
mod render;
mod rules_cmd;
mod split_cmd;
mod startup;
mod verify;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// Exit statuses: nothing left to report, findings remain, or an error stopped some of the work.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            });
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Rules { output_format } => rules_cmd::list(output_format),
        Command::Explain { code } => rules_cmd::explain(&code),
        Command::Split(args) => split_cmd::run(&args),
        Command::DebugParse { paths } => check::parse_only(&paths),
        Command::Server => Ok(tauten_lsp::run_stdio()),
        Command::ProfileImports { output, command } => profile_cmd::run(output, &command),
        Command::Startup(args) => startup::run(&args),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(err) => {
            render::error(&err);
            ExitCode::from(EXIT_ERROR)
        }
    }
}
