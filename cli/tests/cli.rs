//! The `tauten` binary end to end, on temporary directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Project { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Give the file `name` this modification time.
    fn set_modified(&self, name: &str, time: std::time::SystemTime) {
        let file = std::fs::File::options()
            .write(true)
            .open(self.path(name))
            .unwrap();
        file.set_modified(time).unwrap();
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).unwrap();
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tauten"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let mut input = child.stdin.take().unwrap();
            input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
        }
        child.wait_with_output().unwrap()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const UNUSED: &str = "import os\nimport sys\n\nprint(sys.argv)\n";

#[test]
fn exit_status_follows_findings_and_errors() {
    let clean = Project::new(&[("a.py", "import sys\nprint(sys)\n")]);
    assert_eq!(clean.run(&["check", "--no-cache"]).status.code(), Some(0));
    let findings = Project::new(&[("a.py", UNUSED)]);
    assert_eq!(
        findings.run(&["check", "--no-cache"]).status.code(),
        Some(1)
    );
    assert_eq!(
        findings
            .run(&["check", "--no-cache", "--exit-zero"])
            .status
            .code(),
        Some(0)
    );
    let broken = Project::new(&[("a.py", UNUSED), ("b.py", "def f(:\n")]);
    let output = broken.run(&["check", "--no-cache", "--output-format", "concise"]);
    // A syntax error is a finding, whatever the selection, as in ruff: exit 1, not 2.
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("b.py:1:7: E999 SyntaxError: Expected `)`"),
        "{}",
        stdout(&output)
    );
    assert!(
        stdout(&output).contains("a.py:1:8: TAU101"),
        "the other file is still checked"
    );
    let json = broken.run(&[
        "check",
        "--no-cache",
        "--select",
        "TAU2",
        "--output-format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows:#}");
    assert_eq!(rows[0]["code"], "E999");
    assert_eq!(
        rows[0]["location"],
        serde_json::json!({"row": 1, "column": 7})
    );
    let sarif = broken.run(&["check", "--no-cache", "--output-format", "sarif"]);
    assert!(
        stdout(&sarif).contains("\"ruleId\": \"E999\""),
        "{}",
        stdout(&sarif)
    );
    assert_eq!(broken.read("b.py"), "def f(:\n");
}

#[test]
fn concise_output_is_sorted_and_marks_fixes() {
    let project = Project::new(&[("b.py", UNUSED), ("a.py", "from typing import Any\n")]);
    let output = project.run(&["check", "--no-cache", "--output-format", "concise"]);
    assert_eq!(
        stdout(&output),
        "a.py:1:20: TAU101 [*] `typing.Any` imported but unused\n\
         b.py:1:8: TAU101 [*] `os` imported but unused\n\
         Found 2 errors.\n[*] 2 fixable with the `--fix` option.\n"
    );
}

#[test]
fn text_output_shows_the_snippet_and_the_fix() {
    let project = Project::new(&[("a.py", UNUSED)]);
    let text = stdout(&project.run(&["check", "--no-cache"]));
    assert!(
        text.contains("TAU101 [*] `os` imported but unused"),
        "{text}"
    );
    assert!(text.contains("[a.py:1:8]"), "{text}");
    assert!(text.contains("1 │ import os"), "{text}");
    assert!(
        text.contains("help: Remove unused import: `os` (safe fix)"),
        "{text}"
    );
}

#[test]
fn json_output_has_ruffs_shape() {
    let project = Project::new(&[("a.py", UNUSED)]);
    let output = project.run(&["check", "--no-cache", "--output-format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let row = &rows[0];
    assert_eq!(row["code"], "TAU101");
    assert_eq!(row["message"], "`os` imported but unused");
    assert_eq!(row["location"], serde_json::json!({"row": 1, "column": 8}));
    assert_eq!(
        row["end_location"],
        serde_json::json!({"row": 1, "column": 10})
    );
    assert_eq!(row["noqa_row"], 1);
    assert!(row["filename"].as_str().unwrap().ends_with("a.py"));
    assert!(Path::new(row["filename"].as_str().unwrap()).is_absolute());
    assert_eq!(row["fix"]["applicability"], "safe");
    assert_eq!(
        row["fix"]["edits"][0],
        serde_json::json!({"content": "", "location": {"row": 1, "column": 1}, "end_location": {"row": 2, "column": 1}})
    );
}

#[test]
fn github_and_sarif_outputs() {
    let project = Project::new(&[("a.py", UNUSED)]);
    let github = stdout(&project.run(&["check", "--no-cache", "--output-format", "github"]));
    assert_eq!(
        github,
        "::error title=tauten (TAU101),file=a.py,line=1,col=8,endLine=1,endColumn=10::a.py:1:8: TAU101 `os` imported but unused\n"
    );
    let sarif: serde_json::Value = serde_json::from_slice(
        &project
            .run(&["check", "--no-cache", "--output-format", "sarif"])
            .stdout,
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "TAU101");
    assert!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len()
            >= 4
    );
}

#[test]
fn diff_writes_nothing() {
    let project = Project::new(&[("a.py", UNUSED)]);
    let output = project.run(&["check", "--no-cache", "--diff"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "--- a/a.py\n+++ b/a.py\n@@ -1,4 +1,3 @@\n-import os\n import sys\n \n print(sys.argv)\n"
    );
    assert_eq!(project.read("a.py"), UNUSED);
}

#[test]
fn fix_writes_and_keeps_line_endings_and_bom() {
    let project = Project::new(&[("a.py", UNUSED)]);
    std::fs::write(
        project.path("crlf.py"),
        b"\xEF\xBB\xBFimport os\r\nimport sys\r\nprint(sys)\r\n",
    )
    .unwrap();
    let output = project.run(&["check", "--no-cache", "--fix"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("Fixed 2 errors."));
    assert_eq!(project.read("a.py"), "import sys\n\nprint(sys.argv)\n");
    assert_eq!(
        std::fs::read(project.path("crlf.py")).unwrap(),
        b"\xEF\xBB\xBFimport sys\r\nprint(sys)\r\n"
    );
}

#[test]
fn fix_refuses_a_read_only_file_and_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new(&[("locked.py", UNUSED), ("open.py", UNUSED)]);
    std::fs::set_permissions(
        project.path("locked.py"),
        std::fs::Permissions::from_mode(0o444),
    )
    .unwrap();
    let output = project.run(&["check", "--no-cache", "--fix"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("locked.py") && err.contains("read-only (mode 444)"),
        "{err}"
    );
    assert_eq!(project.read("locked.py"), UNUSED, "nothing lost");
    let mode = std::fs::metadata(project.path("locked.py"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o444);
    // The other file is fixed all the same.
    assert_eq!(project.read("open.py"), "import sys\n\nprint(sys.argv)\n");
}

#[test]
fn fix_writes_through_links_and_keeps_owner_group_and_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let project = Project::new(&[("real/a.py", UNUSED), ("hard.py", UNUSED)]);
    std::os::unix::fs::symlink("real/a.py", project.path("link.py")).unwrap();
    std::fs::hard_link(project.path("hard.py"), project.path("real/other_name.txt")).unwrap();
    std::fs::set_permissions(
        project.path("hard.py"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let owned = std::os::unix::fs::chown(project.path("real/a.py"), Some(4321), Some(8765)).is_ok();
    let output = project.run(&["check", "--no-cache", "--fix", "link.py", "hard.py"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let fixed = "import sys\n\nprint(sys.argv)\n";
    assert!(std::fs::symlink_metadata(project.path("link.py"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(project.read("real/a.py"), fixed);
    if owned {
        let meta = std::fs::metadata(project.path("real/a.py")).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (4321, 8765));
    }
    assert_eq!(
        project.read("real/other_name.txt"),
        fixed,
        "every hard link sees the fix"
    );
    let mode = std::fs::metadata(project.path("hard.py"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn unsafe_fixes_need_the_flag() {
    let project = Project::new(&[("pkg/__init__.py", "import os\n")]);
    let output = project.run(&["check", "--no-cache", "--fix"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("1 more fix available with `--fix --unsafe-fixes`"),
        "{}",
        stdout(&output)
    );
    assert_eq!(project.read("pkg/__init__.py"), "import os\n");
    let output = project.run(&["check", "--no-cache", "--fix", "--unsafe-fixes"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(project.read("pkg/__init__.py"), "");
}

#[test]
fn stdin_is_checked_as_the_named_file() {
    let project = Project::new(&[]);
    let output = project.run_with_stdin(
        &[
            "check",
            "--no-cache",
            "--stdin-filename",
            "x.py",
            "--output-format",
            "concise",
        ],
        Some(UNUSED),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("x.py:1:8: TAU101"),
        "{}",
        stdout(&output)
    );
    let output = project.run_with_stdin(
        &["check", "--no-cache", "--stdin-filename", "x.py", "--fix"],
        Some(UNUSED),
    );
    assert_eq!(stdout(&output), "import sys\n\nprint(sys.argv)\n");
    assert_eq!(output.status.code(), Some(0));
    // `-` reads standard input too, as in ruff.
    let dash = project.run_with_stdin(&["check", "--output-format", "concise", "-"], Some(UNUSED));
    assert!(
        stdout(&dash).starts_with("-:1:8: TAU101"),
        "{}",
        stdout(&dash)
    );
}

#[test]
fn selection_by_prefix_and_unknown_selectors() {
    let project = Project::new(&[("a.py", UNUSED)]);
    assert_eq!(
        project
            .run(&["check", "--no-cache", "--select", "TAU2"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        project
            .run(&["check", "--no-cache", "--select", "TAU1"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        project
            .run(&["check", "--no-cache", "--ignore", "TAU101"])
            .status
            .code(),
        Some(0)
    );
    let output = project.run(&["check", "--no-cache", "--select", "XYZ"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown rule selector `XYZ`"));
}

#[test]
fn configuration_applies_and_bad_configuration_points_at_the_key() {
    let project = Project::new(&[
        ("pyproject.toml", "[tool.tauten]\nignore = [\"TAU101\"]\n[tool.tauten.per-file-ignores]\n\"sub/*\" = [\"TAU2\"]\n"),
        ("a.py", UNUSED),
        ("sub/tauten.toml", "select = [\"TAU1\"]\n"),
        ("sub/b.py", UNUSED),
    ]);
    let output = project.run(&["check", "--no-cache", "--output-format", "concise"]);
    assert_eq!(
        stdout(&output).lines().next(),
        Some("sub/b.py:1:8: TAU101 [*] `os` imported but unused")
    );
    std::fs::write(
        project.path("pyproject.toml"),
        "[tool.tauten]\nselekt = []\n",
    )
    .unwrap();
    let output = project.run(&["check", "--no-cache", "a.py"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("unknown key `selekt`") && err.contains("did you mean `select`"),
        "{err}"
    );
    assert!(err.contains("2 │ selekt = []"), "{err}");
}

#[test]
fn non_utf8_files_are_reported_and_left_alone() {
    let project = Project::new(&[("a.py", UNUSED)]);
    std::fs::write(project.path("latin.py"), b"# coding: latin-1\nx = '\xe9'\n").unwrap();
    let output = project.run(&["check", "--no-cache", "--fix"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("latin.py: error: file is not UTF-8 (declares `coding: latin-1`")
    );
    assert_eq!(
        std::fs::read(project.path("latin.py")).unwrap(),
        b"# coding: latin-1\nx = '\xe9'\n"
    );
    assert_eq!(project.read("a.py"), "import sys\n\nprint(sys.argv)\n");
}

#[test]
fn statistics_count_per_rule() {
    let project = Project::new(&[("a.py", UNUSED), ("b.py", UNUSED)]);
    let output = project.run(&["check", "--no-cache", "--statistics"]);
    assert_eq!(stdout(&output), "    2\tTAU101\t[*] unused-import\n");
}

#[test]
fn the_cache_lives_in_the_project_root_wherever_the_check_runs() {
    let project = Project::new(&[
        ("pyproject.toml", "[project]\nname = \"p\"\n"),
        ("sub/a.py", UNUSED),
    ]);
    let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
        .args(["check", "."])
        .current_dir(project.path("sub"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(project.path(".tauten_cache").is_dir());
    assert!(!project.path("sub/.tauten_cache").exists());
}

#[test]
fn the_cache_serves_unchanged_files_and_notices_changes() {
    let project = Project::new(&[("a.py", UNUSED)]);
    let first = stdout(&project.run(&["check", "--output-format", "concise"]));
    assert!(project.path(".tauten_cache/results-00.bin").is_file());
    let second = stdout(&project.run(&["check", "--output-format", "concise"]));
    assert_eq!(first, second);
    std::fs::write(project.path("a.py"), "import sys\nprint(sys)\n").unwrap();
    let third = project.run(&["check", "--output-format", "concise"]);
    assert_eq!(third.status.code(), Some(0));
}

#[test]
fn the_cache_trusts_an_unchanged_size_and_time_and_hashes_the_rest() {
    let project = Project::new(&[("a.py", "import os\n")]);
    let set_modified = |time| project.set_modified("a.py", time);
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    set_modified(an_hour_ago);
    let args = ["check", "--output-format", "concise"];
    let first = stdout(&project.run(&args));
    assert!(first.contains("TAU101"), "{first}");
    // Same size, same time: taken for unchanged without reading it (as make and ruff do).
    std::fs::write(project.path("a.py"), "x = 1234\n\n").unwrap();
    set_modified(an_hour_ago);
    assert_eq!(stdout(&project.run(&args)), first);
    // Touched: its content decides.
    set_modified(std::time::SystemTime::now());
    assert_eq!(project.run(&args).status.code(), Some(0));
}

#[test]
fn a_warm_run_shows_places_from_the_cache_without_reading_the_files() {
    let project = Project::new(&[("a.py", "import os\nimport re\n")]);
    let set_modified = |time| project.set_modified("a.py", time);
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    set_modified(an_hour_ago);
    let concise = ["check", "--output-format", "concise"];
    let first = stdout(&project.run(&concise));
    assert!(first.contains("a.py:2:8: TAU101"), "{first}");
    let full = stdout(&project.run(&["check"]));
    // The same size and time stand for the same content; the places shown are the stored ones,
    // not ones computed from a text that was never read (here the lines moved).
    std::fs::write(project.path("a.py"), "import os import re\n").unwrap();
    set_modified(an_hour_ago);
    assert_eq!(stdout(&project.run(&concise)), first);
    for format in ["github", "sarif"] {
        let output = stdout(&project.run(&["check", "--output-format", format]));
        assert!(!output.is_empty(), "{format}: findings shown");
    }
    // Snippets need the text: a full report reads it, so the trusted stamp shows the new text.
    assert_ne!(stdout(&project.run(&["check"])), full);
}

#[test]
fn an_edit_that_changes_no_summary_keeps_the_project_facts() {
    let project = Project::new(&[
        (
            "helpers.py",
            "import time\n\n\ndef pause():\n    time.sleep(1)\n",
        ),
        (
            "app.py",
            "from helpers import pause\n\n\nasync def main():\n    pause()\n",
        ),
        ("reexport.py", "import os\n"),
        ("user.py", "from reexport import os\n\nprint(os.sep)\n"),
    ]);
    let concise = ["check", "--output-format", "concise"];
    let lines_of = |file: &str| -> Vec<String> {
        let output = stdout(&project.run(&concise));
        (output.lines())
            .filter(|l| l.starts_with(file))
            .map(str::to_owned)
            .collect()
    };
    let blocking = lines_of("app.py");
    assert!(
        blocking.iter().any(|l| l.contains("TAU510")),
        "{blocking:?}"
    );
    let held_back = lines_of("reexport.py");
    assert_eq!(held_back.len(), 1, "{held_back:?}");
    // A comment changes no module's summary: the edited file is checked again with the view
    // of the project the last run stored, and still reaches the other module's blocking helper.
    std::fs::write(
        project.path("app.py"),
        "from helpers import pause\n\n\nasync def main():\n    # why\n    pause()\n",
    )
    .unwrap();
    let after_comment = lines_of("app.py");
    assert!(
        after_comment.iter().any(|l| l.contains("TAU510")),
        "{after_comment:?}"
    );
    // A `# noqa` removes the file's only finding, and with it its need for the project's facts:
    // the outcome stored with them must not come back on the next run.
    std::fs::write(project.path("reexport.py"), "import os  # noqa\n").unwrap();
    assert_eq!(lines_of("reexport.py"), Vec::<String>::new());
    assert_eq!(lines_of("reexport.py"), Vec::<String>::new(), "a run later");
}

#[test]
fn rules_and_explain() {
    let project = Project::new(&[]);
    let rules: serde_json::Value =
        serde_json::from_slice(&project.run(&["rules", "--output-format", "json"]).stdout).unwrap();
    let first = &rules[0];
    assert_eq!(first["code"], "TAU101");
    assert_eq!(
        first["equivalents"][0],
        serde_json::json!({"tool": "ruff", "code": "F401"})
    );
    let output = project.run(&["explain", "TAU101"]);
    assert!(stdout(&output).starts_with("# TAU101 unused-import"));
    assert_eq!(project.run(&["explain", "TAU999"]).status.code(), Some(2));
}

/// An unused import (TAU101, ruff's F401) and an import used only in annotations (TAU201, TC003).
fn two_kinds_of_findings(config: &str) -> Project {
    Project::new(&[
        (
            "a.py",
            "from __future__ import annotations\nimport os\nfrom decimal import Decimal\n\n\ndef f(x: Decimal) -> None:\n    pass\n",
        ),
        ("pyproject.toml", config),
    ])
}

fn codes_reported(project: &Project, args: &[&str]) -> Vec<String> {
    let mut command = vec!["check", "--no-cache", "--output-format", "json"];
    command.extend(args);
    let rows: serde_json::Value = serde_json::from_slice(&project.run(&command).stdout).unwrap();
    let codes = rows.as_array().unwrap().iter();
    codes
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn other_tools_codes_select_ignore_and_explain_their_equivalents() {
    let project = two_kinds_of_findings("");
    assert_eq!(codes_reported(&project, &["--select", "F401"]), ["TAU101"]);
    assert_eq!(codes_reported(&project, &["--select", "TC"]), ["TAU201"]);
    assert_eq!(codes_reported(&project, &["--ignore", "W0611"]), ["TAU201"]);
    assert_eq!(
        codes_reported(&project, &["--select", "TAU", "--ignore", "F401"]),
        ["TAU201"]
    );
    let configured = two_kinds_of_findings(
        "[tool.tauten]\nselect = [\"TC\", \"F401\"]\nignore = [\"TAU201\"]\n",
    );
    assert_eq!(codes_reported(&configured, &[]), ["TAU101"]);
    let explained = project.run(&["explain", "F401"]);
    assert!(
        stdout(&explained).starts_with(
            "F401 (ruff, pyflakes) is tauten's TAU101 (unused-import):\n\n# TAU101 unused-import"
        ),
        "{}",
        stdout(&explained)
    );
    assert_eq!(project.run(&["explain", "E501"]).status.code(), Some(2));
}

/// What TAU201 reports with `args`: the imports it would move, in order.
fn typing_only_imports(project: &Project, args: &[&str]) -> Vec<String> {
    let mut command = vec!["check", "--no-cache", "--output-format", "json", "--select"];
    command.extend(args);
    let rows: serde_json::Value = serde_json::from_slice(&project.run(&command).stdout).unwrap();
    let rows = rows.as_array().unwrap().iter();
    rows.map(|r| {
        r["message"]
            .as_str()
            .unwrap()
            .split('`')
            .nth(1)
            .unwrap()
            .to_owned()
    })
    .collect()
}

#[test]
fn ruffs_tc001_to_tc003_select_first_party_third_party_and_standard_library_imports() {
    let project = Project::new(&[
        ("pkg/__init__.py", ""),
        ("pkg/models.py", "class Model:\n    pass\n"),
        (
            "pkg/views.py",
            "from __future__ import annotations\n\nfrom decimal import Decimal\n\nfrom attr import Attribute\n\nfrom pkg.models import Model\n\nfrom .models import Model as Other\n\n\ndef f(a: Decimal, b: Attribute, c: Model, d: Other) -> None:\n    pass\n",
        ),
    ]);
    let all = [
        "decimal.Decimal",
        "attr.Attribute",
        "pkg.models.Model",
        ".models.Model",
    ];
    assert_eq!(typing_only_imports(&project, &["TAU201"]), all);
    assert_eq!(typing_only_imports(&project, &["TC"]), all);
    assert_eq!(
        typing_only_imports(&project, &["TC003"]),
        ["decimal.Decimal"]
    );
    assert_eq!(
        typing_only_imports(&project, &["TC002"]),
        ["attr.Attribute"]
    );
    assert_eq!(
        typing_only_imports(&project, &["TC001"]),
        ["pkg.models.Model", ".models.Model"]
    );
    assert_eq!(
        typing_only_imports(&project, &["TAU", "--ignore", "TC003"]),
        ["attr.Attribute", "pkg.models.Model", ".models.Model"]
    );
    // The fix moves only what is selected.
    let fixed = project.run(&[
        "check",
        "--no-cache",
        "--select",
        "TC002",
        "--fix",
        "--unsafe-fixes",
    ]);
    assert!(fixed.status.success(), "{}", stderr(&fixed));
    let text = project.read("pkg/views.py");
    assert!(
        text.contains("\nfrom decimal import Decimal\n")
            && text.contains("if TYPE_CHECKING:\n    from attr import Attribute"),
        "{text}"
    );
}

#[test]
fn ruffs_async_codes_select_their_kind_of_blocking_call() {
    // Each line's kind is the one ruff 0.17.6 gives it (ASYNC210, ASYNC212, ASYNC220-ASYNC222).
    let project = Project::new(&[(
        "s.py",
        "import os\nimport subprocess\n\nimport httpx\nimport requests\n\n\nasync def f(client: httpx.Client):\n    subprocess.Popen([\"ls\"])\n    subprocess.run([\"ls\"])\n    os.system(\"ls\")\n    os.popen(\"ls\")\n    os.spawnl(os.P_NOWAIT, \"/bin/ls\", \"ls\")\n    os.spawnl(os.P_WAIT, \"/bin/ls\", \"ls\")\n    os.waitpid(1, 0)\n    requests.get(\"x\")\n    httpx.get(\"x\")\n    client.get(\"x\")\n",
    )]);
    let lines = |selector: &str| -> Vec<u64> {
        let output = project.run(&[
            "check",
            "--no-cache",
            "--output-format",
            "json",
            "--select",
            selector,
        ]);
        let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let rows = rows.as_array().unwrap().iter();
        rows.map(|r| r["location"]["row"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(lines("ASYNC220"), [9, 12, 13]);
    assert_eq!(lines("ASYNC221"), [10, 11, 14]);
    assert_eq!(lines("ASYNC222"), [15]);
    assert_eq!(lines("ASYNC210"), [16, 17]);
    assert_eq!(lines("ASYNC212"), [18]);
    assert_eq!(lines("ASYNC2").len(), 10);
}

#[test]
fn fix_only_and_show_fixes_report_what_was_fixed() {
    let files = [
        ("a.py", "import os\nimport sys\n"),
        ("b.py", "import re\n"),
        (
            "c.py",
            "import numpy as np\n\n\ndef f():\n    return np.zeros(1)\n",
        ),
    ];
    let project = Project::new(&files);
    let fixed = project.run(&["check", "--no-cache", "--fix-only", "--show-fixes"]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
    assert_eq!(
        stdout(&fixed),
        "Fixed 3 errors:\n- a.py:\n    2 × TAU101 (unused-import)\n- b.py:\n    1 × TAU101 (unused-import)\n"
    );
    assert_eq!(project.read("a.py"), "");
    let again = Project::new(&files);
    let shown = again.run(&[
        "check",
        "--no-cache",
        "--fix",
        "--show-fixes",
        "--output-format",
        "concise",
    ]);
    // The finding left (an unsafe fix) still makes it exit 1; the fixes are listed after it.
    assert_eq!(shown.status.code(), Some(1));
    assert!(
        stdout(&shown).ends_with("- b.py:\n    1 × TAU101 (unused-import)\n"),
        "{}",
        stdout(&shown)
    );
}

#[test]
fn ruffs_quiet_no_fix_output_file_and_show_files_options() {
    let project = Project::new(&[("sub/a.py", "import os\n"), ("empty/README", "")]);
    let check = |args: &[&str]| {
        let mut command = vec!["check", "--no-cache", "--output-format", "concise"];
        command.extend(args);
        project.run(&command)
    };
    let quiet = check(&["-q"]);
    assert_eq!(
        stdout(&quiet),
        "sub/a.py:1:8: TAU101 [*] `os` imported but unused\n"
    );
    let no_fix = check(&["--fix", "--no-fix"]);
    assert_eq!(no_fix.status.code(), Some(1));
    assert_eq!(project.read("sub/a.py"), "import os\n");
    let to_file = check(&["--output-file", "out.txt"]);
    assert_eq!(
        (to_file.status.code(), stdout(&to_file)),
        (Some(1), String::new())
    );
    assert!(project.read("out.txt").starts_with("sub/a.py:1:8: TAU101"));
    let files = project.run(&["check", "--show-files", "sub"]);
    assert_eq!(stdout(&files), "sub/a.py\n");
    let empty = project.run(&["check", "empty"]);
    assert_eq!(
        (empty.status.code(), stdout(&empty)),
        (Some(0), String::new())
    );
    assert!(
        stderr(&empty).contains("No Python files found"),
        "{}",
        stderr(&empty)
    );
    // --target-version decides the lazy-import style as the configured one would.
    project.write(
        "sub/lazy.py",
        "import numpy as np\n\n\ndef f():\n    return np.zeros(3)\n",
    );
    let diff = |version: &str| {
        let args = [
            "--select",
            "TAU301",
            "--diff",
            "--unsafe-fixes",
            "--target-version",
            version,
        ];
        stdout(&check(&args))
    };
    assert!(
        diff("py315").contains("+lazy import numpy as np"),
        "{}",
        diff("py315")
    );
    assert!(
        diff("py312").contains("+    import numpy as np"),
        "{}",
        diff("py312")
    );
}

#[test]
fn noqa_comments_suppress() {
    let project = Project::new(&[(
        "a.py",
        "import os  # noqa: F401\nimport re  # noqa\nimport sys  # noqa: E501\n",
    )]);
    let output = project.run(&["check", "--no-cache", "--output-format", "concise"]);
    assert_eq!(
        stdout(&output).lines().next(),
        Some("a.py:3:8: TAU101 [*] `sys` imported but unused")
    );
}

#[test]
fn base_classes_are_followed_across_modules() {
    // `User` derives from `Base`, a pydantic model defined in another module; `Request` derives from
    // `User` in a third. Their field types are needed at run time, so nothing may move (ruff, which
    // sees one module at a time, reports all three imports even with pydantic configured).
    let project = Project::new(&[
        ("app/__init__.py", ""),
        ("app/models/__init__.py", ""),
        ("app/models/base.py", "from pydantic import BaseModel\n\n\nclass Base(BaseModel):\n    pass\n"),
        (
            "app/models/user.py",
            "from __future__ import annotations\n\nfrom datetime import datetime\nfrom decimal import Decimal\n\n\
             from .base import Base\n\n\nclass User(Base):\n    created: datetime\n\n\ndef audit(x: Decimal) -> None: ...\n",
        ),
        (
            "app/service.py",
            "from __future__ import annotations\n\nfrom uuid import UUID\n\nfrom app.models.user import User\n\n\n\
             class Request(User):\n    id: UUID\n",
        ),
    ]);
    let output = project.run(&[
        "check",
        "--no-cache",
        "--select",
        "TAU2",
        "--output-format",
        "concise",
    ]);
    assert_eq!(
        stdout(&output),
        "app/models/user.py:4:21: TAU201 [*] Move import `decimal.Decimal` into a type-checking block: it is used only in annotations\n\
         Found 1 error.\n[*] 1 fixable with the `--fix` option.\n"
    );
    let before = project.read("app/service.py");
    project.run(&[
        "check",
        "--no-cache",
        "--select",
        "TAU2",
        "--fix",
        "--unsafe-fixes",
    ]);
    assert_eq!(
        project.read("app/service.py"),
        before,
        "the project view prevents the move"
    );
    assert!(!project
        .read("app/models/user.py")
        .contains("if TYPE_CHECKING:\n    from datetime"));
}

#[test]
fn typing_fixes_are_safe_only_when_nothing_in_the_run_reads_annotations() {
    let module = "from __future__ import annotations\n\nfrom decimal import Decimal\n\n\ndef f(x: Decimal) -> None: ...\n";
    let project = Project::new(&[("a.py", module)]);
    let output = project.run(&[
        "check",
        "--no-cache",
        "--select",
        "TAU201",
        "--output-format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows[0]["fix"]["applicability"], "safe");
    let project = Project::new(&[
        ("a.py", module),
        (
            "b.py",
            "import typing\n\nprint(typing.get_type_hints(int))\n",
        ),
    ]);
    let output = project.run(&[
        "check",
        "--no-cache",
        "--select",
        "TAU201",
        "--output-format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows[0]["fix"]["applicability"], "unsafe");
}

/// A package whose CLI module imports a slow module (50 ms) at module level for one function.
fn slow_cli_package() -> Project {
    Project::new(&[
        ("src/slowpkg/__init__.py", ""),
        (
            "src/slowpkg/slow.py",
            "import time\n\ntime.sleep(0.05)\n\n\ndef work():\n    return 42\n",
        ),
        (
            "src/slowpkg/cli.py",
            "from . import slow\n\n\ndef main():\n    \"\"\"Run.\"\"\"\n    return slow.work()\n",
        ),
    ])
}

#[test]
fn profile_imports_writes_a_profile_the_lazy_rules_read() {
    let project = slow_cli_package();
    let src = project.path("src");
    let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
        .args([
            "profile-imports",
            "--",
            "python3",
            "-c",
            "import slowpkg.cli",
        ])
        .current_dir(project.path(""))
        .env("PYTHONPATH", &src)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("slowpkg.slow"),
        "{}",
        stdout(&output)
    );
    assert!(stderr(&output).contains("this runs your code"));
    // The measured profile makes `slowpkg.slow` heavy (over 10 ms): TAU301 reports its import.
    let check = project.run(&[
        "check",
        "--no-cache",
        "--select",
        "TAU3",
        "--output-format",
        "concise",
    ]);
    let findings = stdout(&check);
    assert!(
        findings.contains("src/slowpkg/cli.py:1:15: TAU301 `.slow` (")
            && findings.contains(
                "ms to import, measured) is imported at module level but used only inside `main()`"
            ),
        "{findings}"
    );
}

/// `slowpkg` with a second module that prints when imported: deferring it changes the output.
fn noisy_cli_package() -> Project {
    let project = slow_cli_package();
    project.write(
        "src/slowpkg/noisy.py",
        "import time\n\ntime.sleep(0.03)\nprint(\"noisy loaded\")\n\n\ndef work():\n    return 1\n",
    );
    project.write(
        "src/slowpkg/cli.py",
        "from . import slow\nfrom . import noisy\n\n\ndef main():\n    \"\"\"Run.\"\"\"\n    return slow.work() + noisy.work()\n",
    );
    project
}

/// One `tauten startup` test at a time: they time commands, and each other's runs would be their
/// noise.
static TIMING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `tauten startup ARGS` from the project's folder, its JSON report parsed.
fn startup(project: &Project, args: &[&str]) -> serde_json::Value {
    let _alone = TIMING.lock().unwrap_or_else(|e| e.into_inner());
    let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
        .arg("startup")
        .args(["--runs", "5", "--output-format", "json"])
        .args(args)
        .current_dir(project.path(""))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn startup_keeps_the_fixes_that_save_and_drops_those_that_change_the_output() {
    if !has_python() {
        return;
    }
    let project = noisy_cli_package();
    let report = startup(&project, &["slowpkg.cli"]);
    let fixes = report["fixes"].as_array().unwrap();
    assert_eq!(fixes.len(), 2, "{report:#}");
    let slow = fixes
        .iter()
        .find(|f| f["module"] == "slowpkg.slow")
        .unwrap();
    assert_eq!(slow["kept"], true, "{report:#}");
    assert_eq!(
        (slow["file"].as_str(), slow["line"].as_u64()),
        (Some("src/slowpkg/cli.py"), Some(1))
    );
    assert!(slow["saving_ms"].as_f64().unwrap() > 30.0, "{report:#}");
    let noisy = fixes
        .iter()
        .find(|f| f["module"] == "slowpkg.noisy")
        .unwrap();
    assert_eq!(noisy["kept"], false);
    assert!(
        noisy["why"]
            .as_str()
            .unwrap()
            .starts_with("breaks the command"),
        "{report:#}"
    );
    // The kept fixes were timed together (how much they saved is noise-dependent: not asserted).
    assert!(report["after"]["wall_ms"].as_f64().is_some(), "{report:#}");
    assert_eq!(report["output_equal"], true);
    // Without --write the project is untouched.
    assert!(project
        .read("src/slowpkg/cli.py")
        .starts_with("from . import slow"));
    assert_eq!(report["files_written"], 0);
}

#[test]
fn startup_writes_only_the_kept_fixes() {
    if !has_python() {
        return;
    }
    let project = noisy_cli_package();
    let report = startup(
        &project,
        &["--write", "--", "python3", "-c", "import slowpkg.cli"],
    );
    assert_eq!(report["files_written"], 1, "{report:#}");
    assert_eq!(
        project.read("src/slowpkg/cli.py"),
        "from . import noisy\n\n\ndef main():\n    \"\"\"Run.\"\"\"\n    from . import slow\n    return slow.work() + noisy.work()\n"
    );
}

#[test]
fn startup_says_when_the_command_imports_the_module_anyway() {
    if !has_python() {
        return;
    }
    let project = slow_cli_package();
    let run_main = "import slowpkg.cli; slowpkg.cli.main()";
    let report = startup(&project, &["--write", "--", "python3", "-c", run_main]);
    let fixes = report["fixes"].as_array().unwrap();
    assert_eq!(fixes.len(), 1, "{report:#}");
    assert_eq!(fixes[0]["kept"], false);
    assert_eq!(
        fixes[0]["why"],
        "imported later by this command anyway: no saving"
    );
    assert_eq!(report["files_written"], 0);
    assert!(project
        .read("src/slowpkg/cli.py")
        .starts_with("from . import slow"));
}

/// Headless Chromium, when installed (scripts/setup-chromium.sh; CI installs it).
fn chromium() -> Option<&'static str> {
    let found = ["chromium-headless-shell", "chromium"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    assert!(
        found.is_some() || std::env::var_os("CI").is_none(),
        "CI runs scripts/setup-chromium.sh first"
    );
    found
}

#[test]
fn startup_draws_the_import_tree_before_and_after_in_a_browser() {
    if !has_python() {
        return;
    }
    let Some(chromium) = chromium() else {
        return;
    };
    let project = noisy_cli_package();
    let page = project.path("startup.html");
    let report = startup(&project, &["--html", page.to_str().unwrap(), "slowpkg.cli"]);
    assert_eq!(report["output_equal"], true);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<h2>Before</h2>") && html.contains("<h2>After the kept fixes</h2>"));
    // The deferred module is outlined in the chart before, and gone from the one after.
    let (before, after) = html.split_once("<h2>After the kept fixes</h2>").unwrap();
    assert!(
        before.contains("<g class=\"box deferred\"><title>slowpkg.slow "),
        "{before}"
    );
    assert!(!after.contains("<title>slowpkg.slow "), "{after}");
    let dom = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    let drawn: usize = dom
        .split_once("data-boxes-drawn=\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the page's script did not run: {dom}"));
    assert!(drawn >= 4, "{drawn} boxes drawn");
}

#[test]
fn startup_refuses_a_command_that_does_not_import_the_project() {
    if !has_python() {
        return;
    }
    let project = slow_cli_package();
    let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
        .args([
            "startup",
            "--runs",
            "1",
            "--",
            "python3",
            "-c",
            "import json",
        ])
        .current_dir(project.path(""))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the command imports none of the modules of"),
        "{}",
        stderr(&output)
    );
}

const OVERSIZED: &str = include_str!("../../testdata/rules/TAU401/oversized.py");

fn has_python() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `pkg/mod.py` over a 20-line limit, and a test that patches one of its functions.
fn oversized_project() -> Project {
    Project::new(&[
        (
            "pyproject.toml",
            "[tool.tauten.module-size]\nmax-lines = 20\n",
        ),
        ("pkg/__init__.py", ""),
        ("pkg/mod.py", OVERSIZED),
        (
            "tests/test_mod.py",
            "from unittest import mock\n\nmock.patch(\"pkg.mod.split_words\")\n",
        ),
    ])
}

#[test]
fn split_update_importers_moves_patch_strings_to_the_readers_module() {
    let project = oversized_project();
    let write = project.run(&["split", "pkg/mod.py", "--write", "--update-importers"]);
    assert!(write.status.success(), "{}", stderr(&write));
    assert_eq!(
        project.read("tests/test_mod.py"),
        "from unittest import mock\n\nmock.patch(\"pkg.mod_words.split_words\")\n"
    );
    assert!(
        stdout(&write).contains("updated 0 import statements and 1 patch target in 1 file"),
        "{}",
        stdout(&write)
    );
    assert!(
        !stderr(&write).contains("patches the old location"),
        "{}",
        stderr(&write)
    );
}

#[test]
fn split_plans_then_writes_modules_that_import() {
    let project = oversized_project();
    let plan = project.run(&["split", "pkg/mod.py", "--plan"]);
    assert!(plan.status.success(), "{}", stderr(&plan));
    let text = stdout(&plan);
    assert!(text.contains("split into 2 new modules"), "{text}");
    assert!(text.contains("mod_words.py"), "{text}");
    let json = project.run(&["split", "pkg/mod.py", "--output-format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["parts"].as_array().unwrap().len(), 2);
    assert_eq!(
        project.read("pkg/mod.py"),
        OVERSIZED,
        "--plan writes nothing"
    );
    let diff = project.run(&["split", "pkg/mod.py", "--diff"]);
    assert!(
        stdout(&diff).contains("+++ b/pkg/mod_words.py"),
        "{}",
        stdout(&diff)
    );
    assert_eq!(
        project.read("pkg/mod.py"),
        OVERSIZED,
        "--diff writes nothing"
    );

    let write = project.run(&["split", "pkg/mod.py", "--write"]);
    assert!(write.status.success(), "{}", stderr(&write));
    assert!(
        stderr(&write).contains("`pkg.mod.split_words` patches the old location; the code that reads it is in pkg.mod_words: patch `pkg.mod_words.split_words`"),
        "{}",
        stderr(&write)
    );
    let original = project.read("pkg/mod.py");
    assert!(original.contains("    slugify as slugify,"), "{original}");
    assert!(original.contains("if __name__ == \"__main__\":"));
    assert!(project.read("pkg/mod_config.py").contains("import os\n"));
    // Writing again refuses to overwrite the new files.
    let again = project.run(&["split", "pkg/mod.py", "--write", "--max-lines", "10"]);
    assert!(!again.status.success() || stdout(&again).contains("no split"));
    if has_python() {
        let output = Command::new("python3")
            .args([
                "-c",
                "import pkg.mod as m; assert m.slugify('A b') == 'a-b'; assert m.parse_line('a = 1') == ('a', '1'); print('ok')",
            ])
            .current_dir(project.dir.path())
            .output()
            .unwrap();
        assert_eq!(stdout(&output).trim(), "ok", "{}", stderr(&output));
    }
    // The project's check is clean of unused-import findings in the rewritten module.
    let check = project.run(&["check", "--select", "TAU101", "pkg"]);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn split_applies_an_edited_plan_and_rejects_a_bad_one() {
    let project = Project::new(&[
        ("pkg/__init__.py", ""),
        ("pkg/mod.py", OVERSIZED),
        (
            "plan.json",
            r#"{"module": "mod", "parts": [{"name": "mod_text", "statements": ["slugify", "split_words", "_WORD"]}]}"#,
        ),
        (
            "bad.json",
            r#"{"module": "mod", "parts": [{"name": "mod_text", "statements": ["slugify"]}]}"#,
        ),
    ]);
    let bad = project.run(&["split", "pkg/mod.py", "--plan-file", "bad.json", "--write"]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("needs `split_words` at run time"),
        "{}",
        stderr(&bad)
    );
    assert_eq!(project.read("pkg/mod.py"), OVERSIZED);
    let good = project.run(&["split", "pkg/mod.py", "--plan-file", "plan.json", "--write"]);
    assert!(good.status.success(), "{}", stderr(&good));
    let part = project.read("pkg/mod_text.py");
    assert!(
        part.contains("def slugify") && part.contains("import re\n"),
        "{part}"
    );
    assert!(!part.contains("import os"), "{part}");
}

/// A copy of `testdata/projects/<name>` in a temporary directory.
fn testdata_project(name: &str) -> Project {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let project = Project::new(&[]);
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/projects")
        .join(name);
    copy(&source, project.dir.path());
    project
}

/// Run `code` with python3 in the project; `None` without python3.
fn python(project: &Project, code: &str) -> Option<String> {
    if !has_python() {
        return None;
    }
    let output = Command::new("python3")
        .args(["-B", "-c", code])
        .current_dir(project.dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    Some(stdout(&output))
}

const USE_IMPORTERS: &str = "import pkg.importer as i, pkg.sub.user as u; print(i.use(), u.run())";

#[test]
fn split_update_importers_rewrites_the_project_imports() {
    let project = testdata_project("split-importers");
    let before = python(&project, USE_IMPORTERS);
    let importer = project.read("pkg/importer.py");
    let diff = project.run(&[
        "split",
        "pkg/mod.py",
        "--into",
        "2",
        "--diff",
        "--update-importers",
    ]);
    assert!(diff.status.success(), "{}", stderr(&diff));
    assert!(
        stdout(&diff).contains("+from ..mod_parse import parse_scaled\n"),
        "{}",
        stdout(&diff)
    );
    assert_eq!(
        project.read("pkg/importer.py"),
        importer,
        "--diff writes nothing"
    );

    let write = project.run(&[
        "split",
        "pkg/mod.py",
        "--into",
        "2",
        "--write",
        "--update-importers",
    ]);
    assert!(write.status.success(), "{}", stderr(&write));
    assert!(
        stdout(&write).contains("updated 5 import statements in 2 files"),
        "{}",
        stdout(&write)
    );
    let importer = project.read("pkg/importer.py");
    for expected in [
        "\nimport pkg.mod\n",
        "\nfrom pkg.mod_words import slugify, VERSION\n",
        "\nfrom .mod_parse import (\n    parse_line as parse,\n)\nfrom .mod_words import (\n    title_words,\n)\n",
        "\nfrom .mod import *\n",
        "\nif TYPE_CHECKING:\n    from .mod_words import split_words\n",
        "\n    from pkg.mod import LOADED_AS\n    from pkg.mod_parse import parse_lines\n",
    ] {
        assert!(importer.contains(expected), "{expected:?} in\n{importer}");
    }
    assert_eq!(
        project.read("pkg/sub/user.py"),
        "from ..mod_parse import parse_scaled\nfrom ..mod_words import VERSION\n\n\ndef run():\n    return parse_scaled(\"k=v\"), VERSION\n"
    );
    // The split module and the new ones are not importers.
    assert!(project
        .read("pkg/mod.py")
        .contains("from .mod_words import (  # moved"));
    assert_eq!(python(&project, USE_IMPORTERS), before);
    assert!(python(&project, "import pkg.importer").is_none_or(|o| o.is_empty()));
}

#[test]
fn split_package_turns_the_module_into_a_package() {
    let project = testdata_project("split-importers");
    let before = python(&project, USE_IMPORTERS);
    let diff = project.run(&[
        "split",
        "pkg/mod.py",
        "--into",
        "2",
        "--diff",
        "--package",
        "--update-importers",
    ]);
    let shown = stdout(&diff);
    for expected in [
        "+++ b/pkg/mod/__init__.py",
        "+++ b/pkg/mod/parse.py",
        "--- a/pkg/mod.py\n+++ /dev/null",
        "+from ..mod.parse import parse_scaled",
    ] {
        assert!(shown.contains(expected), "{expected:?} in\n{shown}");
    }
    assert!(project.path("pkg/mod.py").exists() && !project.path("pkg/mod").exists());
    let write = project.run(&[
        "split",
        "pkg/mod.py",
        "--into",
        "2",
        "--write",
        "--package",
        "--update-importers",
    ]);
    assert!(write.status.success(), "{}", stderr(&write));
    assert!(
        stderr(&write).contains("pkg/mod.py:43: `python -m` no longer runs this block"),
        "{}",
        stderr(&write)
    );
    assert!(!project.path("pkg/mod.py").exists());
    let init = project.read("pkg/mod/__init__.py");
    assert!(init.contains("from .words import (  # moved"), "{init}");
    assert!(init.contains("LOADED_AS = __name__"), "{init}");
    let parse = project.read("pkg/mod/parse.py");
    assert!(
        parse.contains("from .. import other\nfrom ..other import BASE\n"),
        "{parse}"
    );
    assert!(project
        .read("pkg/sub/user.py")
        .starts_with("from ..mod.parse import parse_scaled\nfrom ..mod.words import VERSION\n"));
    assert!(project
        .read("pkg/importer.py")
        .contains("\nfrom pkg.mod.words import slugify, VERSION\n"));
    assert_eq!(python(&project, USE_IMPORTERS), before);
    if let Some(out) = python(
        &project,
        "import pkg.mod; from pkg.mod import slugify, parse_scaled; print(slugify('A b'), parse_scaled('k=v'), pkg.mod.LOADED_AS)",
    ) {
        assert_eq!(out.trim(), "a-b ('k', 'v!v!') pkg.mod");
    }
}

#[test]
fn split_package_refuses_an_existing_directory_and_writes_nothing() {
    let project = testdata_project("split-importers");
    std::fs::create_dir(project.path("pkg/mod")).unwrap();
    let original = project.read("pkg/mod.py");
    let importer = project.read("pkg/importer.py");
    let write = project.run(&[
        "split",
        "pkg/mod.py",
        "--into",
        "2",
        "--write",
        "--package",
        "--update-importers",
    ]);
    assert!(!write.status.success());
    assert!(
        stderr(&write).contains("already exists"),
        "{}",
        stderr(&write)
    );
    assert_eq!(project.read("pkg/mod.py"), original);
    assert_eq!(project.read("pkg/importer.py"), importer);
    assert_eq!(
        std::fs::read_dir(project.path("pkg/mod")).unwrap().count(),
        0
    );
}

#[test]
fn split_package_and_update_importers_need_write_or_diff() {
    let project = testdata_project("split-importers");
    for flag in ["--package", "--update-importers"] {
        let out = project.run(&["split", "pkg/mod.py", "--into", "2", flag]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("--write|--diff"), "{}", stderr(&out));
    }
}

#[test]
fn verify_keeps_the_fixes_the_command_accepts() {
    // `app/plugins.py` imports `builtin_handlers` for its side effect (it registers the csv
    // handler): removing the "unused" import breaks the program, which only running it shows.
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    for (file, text) in [
        ("__init__.py", ""),
        ("registry.py", "HANDLERS = {}\n"),
        (
            "builtin_handlers.py",
            "from app.registry import HANDLERS\n\nHANDLERS[\"csv\"] = str\n",
        ),
        (
            "plugins.py",
            "import os\n\nfrom app import builtin_handlers\n",
        ),
        ("other.py", "import sys\n\nVALUE = 1\n"),
    ] {
        std::fs::write(app.join(file), text).unwrap();
    }
    let command =
        "python3 -c 'import app.plugins, app.registry; assert \"csv\" in app.registry.HANDLERS'";
    let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
        .args(["check", "--no-cache", "--fix", "--output-format", "concise"])
        .args(["--verify", command, "app"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        std::fs::read_to_string(app.join("plugins.py")).unwrap(),
        "import os\n\nfrom app import builtin_handlers\n",
        "{stderr}"
    );
    let other = std::fs::read_to_string(app.join("other.py")).unwrap();
    assert!(!other.contains("import sys"), "{other}");
    assert!(
        stderr.contains("app/plugins.py: fixes not applied"),
        "{stderr}"
    );
    assert!(stderr.contains("AssertionError"), "{stderr}");
    // The rejected file's findings are shown as they are, unfixed.
    assert!(stdout.contains("app/plugins.py:3:17: TAU101"), "{stdout}");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn verify_writes_nothing_when_the_command_fails_before_any_fix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), "import os\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
        .args(["check", "--no-cache", "--fix", "--verify", "false", "a.py"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("fails before any fix"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.py")).unwrap(),
        "import os\n"
    );
    assert_eq!(output.status.code(), Some(2));
}
