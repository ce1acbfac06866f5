//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Find and fix what makes Python programs slow to start and stall their event loops.
#[derive(Debug, Parser)]
#[command(name = "tauten", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Python files (and fix them with --fix).
    Check(CheckArgs),
    /// List every rule with its code, family, fix availability and equivalents in other tools.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        output_format: ListFormat,
    },
    /// Print the documentation of a rule.
    Explain {
        /// A rule code, e.g. TAU101.
        code: String,
    },
    /// Run the language server on standard input and output.
    Server,
    /// Run a Python command with import profiling and store what each module costs to import
    /// (default .tauten/importtime.json), for the lazy-import rules. This runs your code.
    ProfileImports {
        /// Where to write the profile.
        #[arg(long)]
        output: Option<PathBuf>,
        /// The command, after `--`: `tauten profile-imports -- python -m mytool --help`.
        #[arg(last = true, required = true)]
        command: Vec<String>,
    },
    /// Import a module in fresh interpreters, show its import tree by cost, then apply the
    /// lazy-import fixes to a temporary copy of its package and measure again. This runs your code.
    Startup(StartupArgs),
    /// Propose how to split an oversized module, and apply the plan with --write (new sibling
    /// modules, or a package with --package; --update-importers also rewrites the project's
    /// imports of moved names).
    Split(SplitArgs),
    /// Parse the files (with the same discovery, reading and threads as `check`) and nothing else:
    /// the baseline of the benchmarks.
    #[command(hide = true)]
    DebugParse { paths: Vec<PathBuf> },
}

#[derive(Debug, clap::Args)]
pub struct StartupArgs {
    /// A module to import, e.g. `mypkg.cli`: shorthand for `-- PYTHON -c "import MODULE"`.
    pub module: Option<String>,
    /// The command to measure, after `--` (e.g. `-- python -m mytool --help`).
    #[arg(last = true)]
    pub command: Vec<String>,
    /// The project whose files the fixes change (the command must import it from there).
    #[arg(long, default_value = ".")]
    pub project: PathBuf,
    /// Another command to measure, split as a shell would (repeatable): a fix is kept only if it
    /// saves time on one command and costs none on the others.
    #[arg(long = "also", value_name = "COMMAND")]
    pub also: Vec<String>,
    /// The Python interpreter for the module shorthand and for byte-compiling.
    #[arg(long, default_value = "python3")]
    pub python: String,
    /// Fresh processes per measurement and copy (the median is shown).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Keep only fixes that save at least this many milliseconds (default: `threshold-ms`).
    #[arg(long)]
    pub min_saving_ms: Option<f64>,
    /// Write the kept fixes to the project's files (nothing is written without it).
    #[arg(long)]
    pub write: bool,
    /// Measure only; try no fix.
    #[arg(long)]
    pub no_fix: bool,
    /// Also write a self-contained page with the import tree before and after as charts.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = StartupFormat::Text)]
    pub output_format: StartupFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StartupFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check (default: the current directory; `-`: standard input).
    pub paths: Vec<PathBuf>,
    /// Rule code prefixes to enable, comma-separated (replaces the configured selection).
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Rule code prefixes to add to the selection.
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Rule code prefixes to disable.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Apply safe fixes.
    #[arg(long, overrides_with = "no_fix")]
    pub fix: bool,
    /// Apply safe fixes and report only what was fixed, not the findings left (exit 0 unless an
    /// error).
    #[arg(long)]
    pub fix_only: bool,
    /// After fixing, list the fixes applied, by file and rule.
    #[arg(long)]
    pub show_fixes: bool,
    /// Apply no fix (overrides --fix and --fix-only, as in ruff).
    #[arg(long, overrides_with = "fix")]
    pub no_fix: bool,
    /// Apply unsafe fixes too (with --fix or --diff), or show them as available.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the changes fixes would make as a unified diff; write nothing.
    #[arg(long)]
    pub diff: bool,
    /// With --fix: run COMMAND (through `sh -c`) twice before fixing and again with the fixes,
    /// and keep only the files' fixes it passes with (the others are found by bisecting).
    #[arg(
        long,
        value_name = "COMMAND",
        requires = "fix",
        conflicts_with = "diff"
    )]
    pub verify: Option<String>,
    /// With --verify: the longest one run of the command may take, in seconds.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 600,
        requires = "verify"
    )]
    pub verify_timeout: u64,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,
    /// Print how many findings each rule has, instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Neither read nor write the result cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Exit with 0 even when findings remain (errors still exit with 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Read the source from standard input and check it as if it were this file.
    #[arg(long)]
    pub stdin_filename: Option<PathBuf>,
    /// Use this configuration file for every file, instead of the nearest one.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Print the findings only, without the summary ("Found 3 errors.").
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the findings to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub output_file: Option<PathBuf>,
    /// Print the files that would be checked, one per line, and check none.
    #[arg(long)]
    pub show_files: bool,
    /// The Python version to check for (`py38` ... `py315`), instead of the configured one.
    #[arg(long, value_name = "VERSION", value_parser = parse_target_version)]
    pub target_version: Option<tauten_engine::settings::PythonVersion>,
}

fn parse_target_version(text: &str) -> Result<tauten_engine::settings::PythonVersion, String> {
    tauten_engine::settings::PythonVersion::parse(text)
        .ok_or_else(|| format!("`{text}` is not a version tauten knows: use py37 ... py315"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Reports with source snippets.
    Text,
    /// One line per finding.
    Concise,
    /// A JSON array in ruff's `--output-format json` shape.
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// SARIF 2.1.0.
    Sarif,
}

impl OutputFormat {
    /// Whether findings are shown with their source text (snippets, or fix edits located in it),
    /// not by their places alone.
    pub fn shows_source(self) -> bool {
        matches!(self, OutputFormat::Text | OutputFormat::Json)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("apply").args(["write", "diff"]).multiple(true)))]
pub struct SplitArgs {
    /// The module to split.
    pub path: PathBuf,
    /// Print the plan and write nothing (the default without --diff or --write).
    #[arg(long)]
    pub plan: bool,
    /// How to print the plan (json is the format --plan-file reads).
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub output_format: ListFormat,
    /// Keep every module under this many lines (default: `[tool.tauten.module-size] max-lines`).
    #[arg(long)]
    pub max_lines: Option<usize>,
    /// Split into this many new modules, whatever the size.
    #[arg(long)]
    pub into: Option<usize>,
    /// Keep these top-level names in the original module (a coordinator), with whatever reads
    /// them at run time; repeat the option or separate names with commas.
    #[arg(
        long,
        value_name = "NAME",
        value_delimiter = ',',
        conflicts_with = "plan_file"
    )]
    pub keep: Vec<String>,
    /// Apply this (edited) JSON plan instead of planning.
    #[arg(long)]
    pub plan_file: Option<PathBuf>,
    /// Print the changes as unified diffs; write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Write the new modules and the rewritten original.
    #[arg(long)]
    pub write: bool,
    /// With --write or --diff: rewrite the project's `from <module> import name` statements
    /// (absolute or relative, anywhere in a file) to import moved names from their new modules.
    /// `import <module>`, attribute uses and star imports are left alone: the original module
    /// re-exports every moved name, so they keep working.
    #[arg(long, requires = "apply")]
    pub update_importers: bool,
    /// With --write or --diff: turn `pkg/mod.py` into a package `pkg/mod/`: the parts become
    /// `pkg/mod/<word>.py`, what stays becomes `pkg/mod/__init__.py` (re-exporting the moved
    /// names), and `pkg/mod.py` is removed. Refused if `pkg/mod/` exists.
    #[arg(long, requires = "apply")]
    pub package: bool,
    /// Use this configuration file instead of the nearest one.
    #[arg(long)]
    pub config: Option<PathBuf>,
}
