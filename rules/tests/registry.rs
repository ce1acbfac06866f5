//! The registry lists every rule once, in code order, and the generated rule docs are fresh.

use std::path::{Path, PathBuf};

use tauten_rules::registry::{all_rules, rule_doc_page};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `declare_rule!` in `rules/src`, by the struct it declares.
fn declared_rules(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            declared_rules(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            if !text.contains("declare_rule! {") {
                continue;
            }
            for line in text.lines() {
                if let Some(rest) = line.trim().strip_prefix("code: \"") {
                    out.push(rest.trim_end_matches("\",").to_owned());
                }
            }
        }
    }
}

#[test]
fn every_declared_rule_is_registered_once_in_code_order() {
    let mut declared = Vec::new();
    declared_rules(&repo().join("rules/src"), &mut declared);
    declared.sort();
    let registered: Vec<String> = all_rules()
        .iter()
        .map(|r| r.meta().code.to_owned())
        .collect();
    assert_eq!(
        registered, declared,
        "rules/src/registry.rs must list every declared rule, sorted"
    );
}

#[test]
fn codes_and_names_are_well_formed() {
    for rule in all_rules() {
        let meta = rule.meta();
        assert!(
            meta.code.len() == 6 && meta.code.starts_with("TAU"),
            "{}",
            meta.code
        );
        let family_digit = match meta.family {
            tauten_engine::Family::Imports => '1',
            tauten_engine::Family::Typing => '2',
            tauten_engine::Family::LazyImports => '3',
            tauten_engine::Family::ModuleSize => '4',
            tauten_engine::Family::Async => '5',
        };
        assert_eq!(
            meta.code.chars().nth(3),
            Some(family_digit),
            "{} is in the wrong family",
            meta.code
        );
        assert!(
            meta.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            meta.name
        );
        assert!(
            meta.doc.contains("## What it does"),
            "{} lacks docs",
            meta.code
        );
    }
}

/// `docs/rules/<CODE>.md` are generated from the rules' doc comments; `UPDATE_DOCS=1` rewrites them.
#[test]
fn rule_docs_are_fresh() {
    let dir = repo().join("docs/rules");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for rule in all_rules() {
        let path = dir.join(format!("{}.md", rule.meta().code));
        let page = rule_doc_page(rule.meta());
        if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &page).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule docs (run with UPDATE_DOCS=1): {stale:?}"
    );
}
