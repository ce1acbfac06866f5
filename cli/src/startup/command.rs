//! Running the user's command against a copy of the project: in a fresh process, with the copy
//! first on the module search path, its wall time, peak RSS, exit status and output recorded.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::CliError;

/// Runs the measured command in a child process and reports on it as one JSON line. It runs in
/// isolated mode (`-I`), so that the copy on the command's module search path cannot shadow the
/// modules it needs itself; the command gets the environment given as JSON.
const WRAPPER: &str = r#"import json, os, resource, subprocess, sys, threading, time
env = dict(os.environ, **json.loads(sys.argv[3]))
timed_out = []
with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
    start = time.perf_counter()
    try:
        child = subprocess.Popen(sys.argv[4:], stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
    except OSError as error:
        print(json.dumps({"error": str(error)}))
        sys.exit(0)
    # A timer kills a command that hangs: `wait(timeout=...)` would poll, and its sleeps (up to
    # 50 ms) would be measured as the command's time.
    timer = threading.Timer(float(os.environ.get("TAUTEN_STARTUP_TIMEOUT", "300")), lambda: (timed_out.append(1), child.kill()))
    timer.start()
    status = child.wait()
    ms = (time.perf_counter() - start) * 1000
    timer.cancel()
print(json.dumps({"ms": ms, "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "status": None if timed_out else status}))
"#;

/// What one run of the command gave, with the copy's path in its output replaced by the
/// project's (so that runs in different copies compare).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub wall_ms: f64,
    pub rss_kb: u64,
    /// The exit status; `None` when killed by a signal or timed out.
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Standard error as printed, with the copy's paths.
    pub raw_stderr: String,
}

impl Outcome {
    /// The same exit status, and (when `compare_stdout`) the same standard output.
    pub fn agrees_with(&self, other: &Outcome, compare_stdout: bool) -> bool {
        self.status == other.status && (!compare_stdout || self.stdout == other.stdout)
    }
}

/// How the commands run: which interpreter runs the wrapper, where the project is, where in it
/// the user runs the command from, and which of its folders hold its top-level packages.
pub struct Runner {
    pub python: String,
    pub project: PathBuf,
    /// The working directory: relative to the project when it is inside it (the command then runs
    /// from the same place in the copy), else as it is.
    pub cwd: Cwd,
    /// The folders, relative to the project, whose packages the command imports (`src` or `.`).
    pub import_dirs: Vec<PathBuf>,
}

pub enum Cwd {
    InProject(PathBuf),
    Outside(PathBuf),
}

impl Runner {
    pub fn new(python: &str, project: &Path) -> Result<Runner, CliError> {
        let here = std::env::current_dir().map_err(|e| CliError::Io(e.to_string()))?;
        let here = here.canonicalize().unwrap_or(here);
        let cwd = match here.strip_prefix(project) {
            Ok(rel) => Cwd::InProject(rel.to_path_buf()),
            Err(_) => Cwd::Outside(here),
        };
        Ok(Runner {
            python: python.to_owned(),
            project: project.to_path_buf(),
            cwd,
            import_dirs: import_dirs(project),
        })
    }

    /// Run `argv` once against the copy at `copy`, with `env` added to its environment.
    pub fn run(
        &self,
        copy: &Path,
        argv: &[String],
        env: &[(&str, &str)],
    ) -> Result<Outcome, CliError> {
        let (program, args) = argv
            .split_first()
            .ok_or_else(|| CliError::Io("give the command to measure after `--`".into()))?;
        let cwd = match &self.cwd {
            Cwd::InProject(rel) => copy.join(rel),
            Cwd::Outside(dir) => dir.clone(),
        };
        let mut child_env = serde_json::Map::new();
        child_env.insert(
            "PYTHONPATH".into(),
            self.pythonpath(copy).to_string_lossy().into_owned().into(),
        );
        for (key, value) in env {
            child_env.insert((*key).into(), (*value).into());
        }
        let files = tempfile::tempdir().map_err(|e| CliError::Io(e.to_string()))?;
        let (out, err) = (files.path().join("stdout"), files.path().join("stderr"));
        let output = Command::new(&self.python)
            .args(["-I", "-c", WRAPPER])
            .arg(&out)
            .arg(&err)
            .arg(serde_json::Value::Object(child_env).to_string())
            .arg(self.program(program))
            .args(args)
            .current_dir(&cwd)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| CliError::Io(format!("cannot run `{}`: {e}", self.python)))?;
        let report: serde_json::Value = String::from_utf8_lossy(&output.stdout)
            .lines()
            .last()
            .and_then(|line| serde_json::from_str(line).ok())
            .ok_or_else(|| {
                CliError::Io(format!(
                    "`{}` could not run the command:\n{}",
                    self.python,
                    String::from_utf8_lossy(&output.stderr)
                ))
            })?;
        if let Some(error) = report["error"].as_str() {
            return Err(CliError::Io(format!("cannot run `{program}`: {error}")));
        }
        let read = |path: &Path| {
            String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned()
        };
        let in_project =
            |text: &str| text.replace(&*copy.to_string_lossy(), &self.project.to_string_lossy());
        let raw_stderr = read(&err);
        Ok(Outcome {
            wall_ms: report["ms"].as_f64().unwrap_or_default(),
            rss_kb: report["rss_kb"].as_u64().unwrap_or_default(),
            status: report["status"].as_i64().map(|s| s as i32),
            stdout: in_project(&read(&out)),
            stderr: in_project(&raw_stderr),
            raw_stderr,
        })
    }

    /// The copy's import folders first, then the user's own `PYTHONPATH` with entries inside the
    /// project moved into the copy.
    fn pythonpath(&self, copy: &Path) -> OsString {
        let mut entries: Vec<PathBuf> = self.import_dirs.iter().map(|d| copy.join(d)).collect();
        if let Some(existing) = std::env::var_os("PYTHONPATH") {
            for entry in std::env::split_paths(&existing) {
                let absolute = entry.canonicalize().unwrap_or(entry);
                entries.push(match absolute.strip_prefix(&self.project) {
                    Ok(rel) => copy.join(rel),
                    Err(_) => absolute,
                });
            }
        }
        std::env::join_paths(entries).unwrap_or_default()
    }

    /// A program given by a relative path (`./venv/bin/python`) still names the same file when the
    /// command runs from the copy.
    fn program(&self, program: &str) -> OsString {
        if program.contains('/') && Path::new(program).is_relative() {
            if let Ok(absolute) = std::path::absolute(program) {
                return absolute.into_os_string();
            }
        }
        program.into()
    }
}

/// Where the project's top-level packages are: `src` in a src layout, else the project itself.
fn import_dirs(project: &Path) -> Vec<PathBuf> {
    let src = project.join("src");
    let has_package = std::fs::read_dir(&src).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.path().join("__init__.py").is_file() || e.path().extension() == Some("py".as_ref())
        })
    });
    vec![if has_package {
        "src".into()
    } else {
        ".".into()
    }]
}

/// The Python source files the interpreter loaded, from the standard error of a run with
/// `PYTHONVERBOSE=1` (`# code object from X.py`, or `# X.pyc matches X.py`), and how many of them
/// it compiled instead of reading their bytecode.
pub fn loaded_sources(stderr: &str) -> (Vec<PathBuf>, usize) {
    let mut loaded = Vec::new();
    let mut compiled = 0;
    for line in stderr.lines() {
        let Some(rest) = line.strip_prefix("# ") else {
            continue;
        };
        if let Some((_, source)) = rest.split_once(" matches ") {
            loaded.push(PathBuf::from(source.trim()));
        } else if let Some(source) = rest.strip_prefix("code object from ") {
            let source = source.trim().trim_matches('\'');
            if source.ends_with(".py") {
                compiled += 1;
                loaded.push(PathBuf::from(source));
            }
        }
    }
    (loaded, compiled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sources_a_verbose_run_loaded() {
        let stderr = "\
# /tmp/c/pkg/__pycache__/__init__.cpython-311.pyc matches /tmp/c/pkg/__init__.py
# code object from '/tmp/c/pkg/__pycache__/__init__.cpython-311.pyc'
import 'pkg' # <SourceFileLoader>
# code object from /tmp/c/pkg/mod.py
# cleanup[2] removing pkg
";
        let (loaded, compiled) = loaded_sources(stderr);
        assert_eq!(
            loaded,
            [
                PathBuf::from("/tmp/c/pkg/__init__.py"),
                PathBuf::from("/tmp/c/pkg/mod.py")
            ]
        );
        assert_eq!(compiled, 1);
    }
}
