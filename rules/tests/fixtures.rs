//! Runs every fixture in `testdata/rules/<CODE>/` through its rule and snapshots the findings and
//! the fixed file. Also checks what every fix must satisfy: fixes converge, and a fixed file parses.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tauten_engine::config::LintSettings;
use tauten_engine::driver::{check_text, MAX_FIX_PASSES};
use tauten_engine::fix::FixMode;
use tauten_engine::project::{FileFacts, ModuleInfo};
use tauten_engine::{parse, LineIndex};
use tauten_rules::registry::{rule_by_code, with_calls};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/rules")
        .canonicalize()
        .expect("testdata/rules exists")
}

/// Settings from `<fixture>.toml` beside the fixture (tauten.toml keys), or the defaults.
fn fixture_settings(path: &Path) -> LintSettings {
    fixture_toml(path)
}

/// A fixture inside a package directory (one with `__init__.py`) gets its module name, as in a
/// run; any other is a module without a name.
fn fixture_facts(path: &Path) -> FileFacts {
    if path
        .parent()
        .is_some_and(|dir| dir.join("__init__.py").is_file())
    {
        return tauten_workspace::modules::file_facts(path);
    }
    FileFacts {
        module: ModuleInfo::new(None, path),
        ..FileFacts::default()
    }
}

fn fixture_toml(path: &Path) -> LintSettings {
    let toml = path.with_extension("toml");
    match std::fs::read_to_string(&toml) {
        Ok(text) => {
            tauten_engine::config::Config::parse(Path::new("tauten.toml"), &text)
                .unwrap_or_else(|err| panic!("{}: {err}", toml.display()))
                .expect("a tauten.toml is always a configuration")
                .lint
        }
        Err(_) => LintSettings::default(),
    }
}

/// The findings of `code` on `path`, and the unsafe-fixed text, rendered for a snapshot.
fn render(code: &str, path: &Path) -> String {
    let rule = rule_by_code(code).unwrap_or_else(|| panic!("no rule {code}"));
    let source = std::fs::read_to_string(path).unwrap();
    let settings = fixture_settings(path);
    let facts = fixture_facts(path);
    let rules = [rule];
    let report = check_text(
        path,
        &source,
        with_calls(&rules),
        &settings,
        &facts,
        FixMode::Off,
    );
    assert!(
        report.syntax_errors.is_empty(),
        "fixture {} does not parse",
        path.display()
    );
    let lines = LineIndex::new(&source);
    let mut out = String::new();
    for d in &report.diagnostics {
        let at = lines.line_column(d.range.start, &source);
        writeln!(out, "{}:{} {} {}", at.row, at.column, d.code, d.message).unwrap();
        match &d.fix {
            Some(fix) => writeln!(out, "    fix ({:?}): {}", fix.applicability, fix.title).unwrap(),
            None => writeln!(out, "    no fix").unwrap(),
        }
    }
    let fixed = check_text(
        path,
        &source,
        with_calls(&rules),
        &settings,
        &facts,
        FixMode::Unsafe,
    );
    assert!(
        fixed.dropped.is_empty(),
        "fixes dropped in {}: {:?}",
        path.display(),
        fixed.dropped
    );
    if let Some(text) = &fixed.fixed_text {
        assert!(
            !parse::parse(text, None).has_errors(),
            "fixed {} does not parse:\n{text}",
            path.display()
        );
        assert_compiles(path, text);
        // Converged: fixing the fixed text changes nothing more.
        let again = check_text(
            path,
            text,
            with_calls(&rules),
            &settings,
            &facts,
            FixMode::Unsafe,
        );
        assert!(
            again.fixed_text.is_none(),
            "fixes of {} did not converge in {MAX_FIX_PASSES} passes",
            path.display()
        );
        out.push_str("--- fixed (unsafe fixes included)\n");
        let diff = similar::TextDiff::from_lines(&source, text);
        write!(out, "{}", diff.unified_diff().context_radius(1)).unwrap();
    }
    out
}

/// CPython must accept the fixed text too: tree-sitter recovers from some errors silently. PEP 810
/// `lazy` imports (Python 3.15) are compiled as plain imports by the CPython at hand.
fn assert_compiles(path: &Path, text: &str) {
    let view = tauten_engine::parse::pep810_view(text);
    let text = view.as_deref().unwrap_or(text);
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import sys; compile(sys.stdin.read(), sys.argv[1], 'exec')",
            "fixture",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is needed to check fixed fixtures");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "CPython rejects the fixed {}:\n{}\n{text}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn rule_fixtures() {
    let root = testdata();
    let mut seen = 0;
    insta::glob!(&root, "*/**/*.{py,pyi}", |path| {
        let code = path
            .strip_prefix(&root)
            .unwrap()
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        seen += 1;
        insta::assert_snapshot!(render(&code, path));
    });
    assert!(seen > 0, "no fixtures found under {}", root.display());
}

#[test]
fn every_rule_has_fixtures() {
    for rule in tauten_rules::registry::all_rules() {
        let dir = testdata().join(rule.meta().code);
        let count = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(Result::ok).count())
            .unwrap_or(0);
        assert!(
            count > 0,
            "{} has no fixtures in {}",
            rule.meta().code,
            dir.display()
        );
    }
}
