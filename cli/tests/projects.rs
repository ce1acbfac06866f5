//! Whole projects from `testdata/projects/`, checked by the `tauten` binary as a user would (from
//! the project's directory), compared with snapshots: the project-wide passes need more than one file.

use std::path::Path;
use std::process::Command;

fn check(project: &str, args: &[&str]) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/projects")
        .join(project);
    let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
        .args(["check", "--no-cache", "--output-format", "concise"])
        .args(args)
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn async_helpers_are_followed_across_modules() {
    insta::assert_snapshot!(check("async-helpers", &["--select", "TAU5"]));
}

#[test]
fn guarded_chains_and_loop_readers_across_modules() {
    insta::assert_snapshot!(check("async-helpers", &["--select", "TAU510,TAU511"]));
}

#[test]
fn helpers_with_many_callers_are_reported_once_where_defined() {
    insta::assert_snapshot!(check("async-grouped", &["--select", "TAU5"]));
    let statistics = check("async-grouped", &["--select", "TAU5", "--statistics"]);
    assert!(statistics.contains("2\tTAU510"), "{statistics}");
    // Above the setting's limit, every call site is reported again.
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/projects/async-grouped");
    copy_tree(&source, dir.path());
    std::fs::write(
        dir.path().join("tauten.toml"),
        "[async]\ngroup-callers-above = 7\n",
    )
    .unwrap();
    let run = |dir: &Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
            .args([
                "check",
                "--no-cache",
                "--output-format",
                "concise",
                "--select",
                "TAU5",
            ])
            .current_dir(dir)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let ungrouped = run(dir.path());
    assert_eq!(
        ungrouped.matches("fetch_rates()` blocks").count(),
        7,
        "{ungrouped}"
    );
    // The grouped finding's `# noqa` is on the helper's line.
    std::fs::write(dir.path().join("tauten.toml"), "").unwrap();
    let io = dir.path().join("rates/io.py");
    let text = std::fs::read_to_string(&io).unwrap();
    std::fs::write(
        &io,
        text.replace("time.sleep(1)  # reported", "time.sleep(1)  # noqa: TAU510"),
    )
    .unwrap();
    let suppressed = run(dir.path());
    assert!(!suppressed.contains("fetch_rates"), "{suppressed}");
    assert!(suppressed.contains("refresh"), "{suppressed}");
}

#[test]
fn warm_runs_keep_the_related_places() {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/projects/async-grouped");
    copy_tree(&source, dir.path());
    let run = || {
        let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
            .args(["check", "--select", "TAU5"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let cold = run();
    assert!(cold.contains("called from `local_caller`"), "{cold}");
    assert_eq!(run(), cold);
    assert_eq!(run(), cold, "read from the cache");
}

#[test]
fn async_helpers_without_the_project_view() {
    // One file alone sees only its own helpers: no finding through `shop.config`.
    insta::assert_snapshot!(check(
        "async-helpers",
        &["--select", "TAU5", "shop/service.py"]
    ));
}

#[test]
fn allowed_blocking_functions_end_the_chains() {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/projects/async-helpers");
    copy_tree(&source, dir.path());
    std::fs::write(
        dir.path().join("tauten.toml"),
        "[async]\nallowed-blocking-functions = [\"builtins.open\", \"sqlite3.*\"]\nextra-blocking-functions = [\"shop.db.store.quick_sum\"]\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
        .args([
            "check",
            "--no-cache",
            "--output-format",
            "concise",
            "--select",
            "TAU5",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn warm_runs_find_what_cold_runs_find_across_modules() {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/projects/async-helpers");
    copy_tree(&source, dir.path());
    let run = |extra: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
            .args(["check", "--output-format", "concise", "--select", "TAU5"])
            .args(extra)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let cold = run(&["--no-cache"]);
    assert!(cold.contains("TAU510"), "{cold}");
    let filling = run(&[]);
    let warm = run(&[]);
    assert_eq!(filling, cold);
    assert_eq!(
        warm, cold,
        "the cached outcomes (with project facts too) are the same"
    );
    assert!(dir.path().join(".tauten_cache").exists());
    // A helper stops blocking: the files that call it are checked again, warm or cold.
    let config = dir.path().join("shop/config.py");
    let original = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        original.replace("    time.sleep(n)", "    return n"),
    )
    .unwrap();
    let cold_changed = run(&["--no-cache"]);
    assert_ne!(cold_changed, cold);
    assert_eq!(run(&[]), cold_changed);
    assert_eq!(run(&[]), cold_changed, "and again from the cache");
    // Back as it was: no outcome left over from the run in between.
    std::fs::write(&config, original).unwrap();
    assert_eq!(run(&[]), cold);
    assert_eq!(run(&[]), cold);
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn names_other_modules_import_are_reported_and_kept() {
    insta::assert_snapshot!(check("exports", &["--select", "TAU1,TAU2,TAU3"]));
}

#[test]
fn fixes_keep_what_other_modules_import() {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/projects/exports");
    copy_tree(&source, dir.path());
    let fix = || {
        Command::new(env!("CARGO_BIN_EXE_tauten"))
            .args([
                "check",
                "--no-cache",
                "--fix",
                "--unsafe-fixes",
                "--exit-zero",
            ])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert!(fix().status.success());
    let helpers = std::fs::read_to_string(dir.path().join("pkg/cli/helpers.py")).unwrap();
    assert!(helpers.contains("import os as os\n"), "{helpers}");
    assert!(
        helpers.contains("\nfrom pkg.text import clean_name\n"),
        "{helpers}"
    );
    assert!(
        helpers.contains("\nfrom pathlib import Path\n"),
        "{helpers}"
    );
    assert!(helpers.contains("\nimport json\n"), "{helpers}");
    // The module with no importers is fixed as usual.
    let lonely = std::fs::read_to_string(dir.path().join("pkg/cli/lonely.py")).unwrap();
    assert!(!lonely.contains("import os"), "{lonely}");
    // The importers still import, and a second run changes nothing.
    let imported = Command::new("python3")
        .args([
            "-c",
            "import pkg.store.cache, pkg.cli.lonely, lazypkg; assert lazypkg.__version__ == '1.0'",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let before = std::fs::read_to_string(dir.path().join("pkg/cli/helpers.py")).unwrap();
    fix();
    let after = std::fs::read_to_string(dir.path().join("pkg/cli/helpers.py")).unwrap();
    assert_eq!(before, after);
}

#[test]
fn the_project_tells_which_event_loop_library_a_module_runs_on() {
    // `app/worker.py` imports no event loop library; its project runs on anyio (asyncio or trio)
    // or trio: `asyncio.to_thread` would fail under trio.
    let worker = "import subprocess\n\n\nasync def build():\n    subprocess.run([\"make\"])\n";
    let fixed = |main: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("app")).unwrap();
        std::fs::write(dir.path().join("app/__init__.py"), "").unwrap();
        std::fs::write(dir.path().join("app/main.py"), main).unwrap();
        std::fs::write(dir.path().join("app/worker.py"), worker).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_tauten"))
            .args([
                "check",
                "--no-cache",
                "--fix",
                "--unsafe-fixes",
                "--exit-zero",
            ])
            .args(["--select", "TAU503", "."])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(output.status.success());
        std::fs::read_to_string(dir.path().join("app/worker.py")).unwrap()
    };
    let alone = fixed("VALUE = 1\n");
    assert!(alone.contains("await asyncio.to_thread("), "{alone}");
    let anyio = fixed("import anyio\n\n\nasync def main():\n    pass\n\nanyio.run(main)\n");
    assert!(anyio.contains("anyio.to_thread.run_sync"), "{anyio}");
    let trio = fixed("from trio import run\n\n\nasync def main():\n    pass\n\nrun(main)\n");
    assert!(trio.contains("trio.to_thread.run_sync"), "{trio}");
    // A library's name is no import of it.
    let websocket = fixed("import trio_websocket\n");
    assert!(websocket.contains("asyncio.to_thread"), "{websocket}");
}
