//! What the server publishes after an edit, linting with the semantic model it kept and updated,
//! must equal a lint of the same text from scratch: every rule, its messages and its fixes. Checked
//! on seeded edits inside function bodies of the fixtures (and of `TAUTEN_SPLICE_CORPUS`, when set).

use std::path::{Path, PathBuf};

use tauten_engine::document::Document;
use tauten_engine::driver;
use tauten_engine::parse;
use tauten_engine::selection::Selectors;
use tauten_engine::testing::{random_body_edit, Rng};
use tauten_workspace::run::FileJob;
use tauten_workspace::testing::python_files;

/// Lint `source` after each of `edits` seeded edits, kept and fresh; the number of edits whose
/// model was updated in place.
fn check(path: &Path, source: &str, seed: u64, edits: usize) -> usize {
    let rules = tauten_rules::registry::all_rules();
    let config = tauten_workspace::config::defaults_for(path.parent().unwrap_or(Path::new(".")));
    let facts = tauten_workspace::modules::file_facts(path);
    let job = FileJob::for_file(
        path,
        facts.module.clone(),
        &config,
        &Selectors::default(),
        &rules,
        tauten_rules::registry::call_analysis(),
    );
    let mut rng = Rng(seed);
    let mut doc = Document::new(source.to_owned());
    if doc.parsed().has_errors() {
        return 0;
    }
    driver::lint_document(path, &mut doc, job.rule_set(), &job.settings, &facts);
    for step in 0..edits {
        let Some((range, text)) = random_body_edit(doc.text(), &mut rng) else {
            break;
        };
        let before = doc.stats().updated;
        doc.edit(range, &text);
        if doc.parsed().has_errors() {
            doc = Document::new(source.to_owned());
            driver::lint_document(path, &mut doc, job.rule_set(), &job.settings, &facts);
            continue;
        }
        let kept = driver::lint_document(path, &mut doc, job.rule_set(), &job.settings, &facts);
        let fresh_parse = parse::parse(doc.text(), None);
        let fresh = driver::lint_parsed(
            path,
            doc.text(),
            &fresh_parse,
            job.rule_set(),
            &job.settings,
            &facts,
        );
        assert_eq!(
            format!("{kept:#?}"),
            format!("{fresh:#?}"),
            "{} step {step} seed {seed}: edit {range:?} -> {text:?} (updated in place: {})",
            path.display(),
            doc.stats().updated > before
        );
    }
    doc.stats().updated
}

fn check_all(files: &[PathBuf], edits: usize) -> usize {
    files
        .iter()
        .enumerate()
        .filter_map(|(i, file)| {
            let source = std::fs::read_to_string(file).ok()?;
            Some(check(file, &source, i as u64 + 11, edits))
        })
        .sum()
}

#[test]
fn findings_with_the_kept_model_equal_a_fresh_lint_on_the_fixtures() {
    let files = python_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata"));
    let updated = check_all(&files, 15);
    assert!(
        updated > 100,
        "only {updated} edits updated the model in place"
    );
}

#[test]
fn findings_with_the_kept_model_equal_a_fresh_lint_on_a_corpus() {
    let Some(root) = std::env::var_os("TAUTEN_SPLICE_CORPUS") else {
        return;
    };
    let files = python_files(Path::new(&root));
    let updated = check_all(&files, 5);
    eprintln!("{} files, {updated} edits updated in place", files.len());
}
