//! TAU101 fixes on texts a fixture file cannot hold well: line endings, file ends, BOMs.

use std::path::Path;

use tauten_engine::config::LintSettings;
use tauten_engine::driver::check_text;
use tauten_engine::fix::FixMode;
use tauten_engine::project::FileFacts;
use tauten_rules::imports::unused_import::UnusedImport;

fn fixed(source: &str) -> String {
    let outcome = check_text(
        Path::new("t.py"),
        source,
        tauten_rules::registry::with_calls(&[&UnusedImport]),
        &LintSettings::default(),
        &FileFacts::of_file_name(Path::new("t.py")),
        FixMode::Safe,
    );
    assert!(outcome.dropped.is_empty());
    outcome.fixed_text.unwrap_or_else(|| source.to_owned())
}

#[test]
fn crlf_lines_are_removed_whole() {
    assert_eq!(
        fixed("import os\r\nimport sys\r\nprint(sys)\r\n"),
        "import sys\r\nprint(sys)\r\n"
    );
}

#[test]
fn last_line_without_newline() {
    assert_eq!(
        fixed("import sys\nprint(sys)\nimport os"),
        "import sys\nprint(sys)\n"
    );
}

#[test]
fn emptied_blocks_get_pass_even_when_two_imports_go() {
    let source = "try:\n    import a\n    import b\nexcept Exception:\n    pass\n";
    let out = fixed(source);
    assert_eq!(out, "try:\n    pass\nexcept Exception:\n    pass\n");
}

#[test]
fn names_in_one_statement_go_together() {
    assert_eq!(
        fixed("from m import a, b, c\nprint(b)\n"),
        "from m import b\nprint(b)\n"
    );
    assert_eq!(fixed("import a, b\nprint(b)\n"), "import b\nprint(b)\n");
    assert_eq!(fixed("import a, b\nprint(a)\n"), "import a\nprint(a)\n");
}

#[test]
fn semicolon_neighbours_stay() {
    assert_eq!(fixed("import a; x = 1\n"), "x = 1\n");
    assert_eq!(fixed("x = 1; import a\n"), "x = 1\n");
    assert_eq!(fixed("x = 1; import a; y = 2\n"), "x = 1; y = 2\n");
}

#[test]
fn trailing_comment_goes_with_the_line() {
    assert_eq!(fixed("import os  # for paths\nx = 1\n"), "x = 1\n");
}

#[test]
fn package_init_fixes_are_unsafe() {
    let outcome = check_text(
        Path::new("pkg/__init__.py"),
        "import os\n",
        tauten_rules::registry::with_calls(&[&UnusedImport]),
        &LintSettings::default(),
        &FileFacts::of_file_name(Path::new("pkg/__init__.py")),
        FixMode::Safe,
    );
    assert_eq!(outcome.fixed_text, None);
    assert_eq!(outcome.diagnostics.len(), 1);
    let outcome = check_text(
        Path::new("pkg/__init__.py"),
        "import os\n",
        tauten_rules::registry::with_calls(&[&UnusedImport]),
        &LintSettings::default(),
        &FileFacts::of_file_name(Path::new("pkg/__init__.py")),
        FixMode::Unsafe,
    );
    assert_eq!(outcome.fixed_text.as_deref(), Some(""));
}

#[test]
fn allowed_unused_imports_option() {
    let settings = LintSettings {
        allowed_unused_imports: vec!["hvplot".into()],
        ..LintSettings::default()
    };
    let outcome = check_text(
        Path::new("t.py"),
        "import hvplot.pandas\nimport hvplotx\n",
        tauten_rules::registry::with_calls(&[&UnusedImport]),
        &settings,
        &FileFacts::default(),
        FixMode::Off,
    );
    let messages: Vec<&str> = outcome
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages, ["`hvplotx` imported but unused"]);
}

#[test]
fn noqa_forms() {
    let outcome = check_text(
        Path::new("t.py"),
        "import a  # noqa\nimport b  # noqa: F401\nimport c  # noqa: TAU101\nimport d  # noqa: E501\n",
        tauten_rules::registry::with_calls(&[&UnusedImport]),
        &LintSettings::default(),
        &FileFacts::of_file_name(Path::new("t.py")),
        FixMode::Off,
    );
    assert_eq!(outcome.diagnostics.len(), 1);
    assert!(outcome.diagnostics[0].message.contains("`d`"));
    let outcome = check_text(
        Path::new("t.py"),
        "# tauten: noqa\nimport a\n",
        tauten_rules::registry::with_calls(&[&UnusedImport]),
        &LintSettings::default(),
        &FileFacts::of_file_name(Path::new("t.py")),
        FixMode::Off,
    );
    assert!(outcome.diagnostics.is_empty());
}
