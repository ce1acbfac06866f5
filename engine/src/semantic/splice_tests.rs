//! The model updated after an edit inside a function body must equal the model built anew: checked
//! on many seeded edits of the test fixtures and of a program written to cover every construct.

use std::fmt::Write as _;
use std::path::Path;

use super::*;
use crate::document::Document;
use crate::testing::{random_body_edit, Rng};
use crate::text::TextRange;

/// Everything in a model that a rule can read, with ids replaced by what they name, sorted.
fn canonical(m: &SemanticModel) -> String {
    let scope = |id: ScopeId| {
        let s = m.scope(id);
        format!("{:?}@{:?}", s.kind, s.range)
    };
    let binding = |id: BindingId| {
        let b = m.binding(id);
        format!("{}@{:?}", b.name, b.range)
    };
    let reference = |id: ReferenceId| {
        let r = m.reference(id);
        format!("{}@{:?}", m.name(r.name), r.range)
    };
    let mut lines: Vec<String> = Vec::new();
    for id in m.scope_ids() {
        let s = m.scope(id);
        let mut names: Vec<String> = s
            .names
            .iter()
            .map(|(n, b)| format!("{}={}", m.name(*n), binding(*b)))
            .collect();
        names.sort();
        let bindings: Vec<String> = s.bindings.iter().map(|b| binding(*b)).collect();
        lines.push(format!(
            "scope {} parent {:?} star {} names {names:?} bindings {bindings:?}",
            scope(id),
            s.parent.map(scope),
            s.has_star_import
        ));
    }
    for (i, b) in m.bindings.iter().enumerate() {
        let mut refs: Vec<String> = b.references.iter().map(|r| reference(*r)).collect();
        refs.sort();
        lines.push(format!(
            "binding {} {:?} in {} flags {:?} refs {refs:?}",
            binding(BindingId(i as u32)),
            b.kind,
            scope(b.scope),
            b.flags
        ));
    }
    for (i, r) in m.references.iter().enumerate() {
        lines.push(format!(
            "reference {} in {} flags {:?} -> {:?}",
            reference(ReferenceId(i as u32)),
            scope(r.scope),
            r.flags,
            r.binding.map(binding)
        ));
    }
    for f in &m.functions {
        lines.push(format!(
            "function {} async {} {} in {} class {} path {:?} tc {}",
            f.name,
            f.is_async,
            scope(f.scope),
            scope(f.parent),
            f.parent_is_class,
            f.path,
            f.in_type_checking
        ));
    }
    for c in &m.calls {
        let callee = match &c.callee {
            Callee::Local { scope: s, name } => format!("local {name} in {}", scope(*s)),
            other => format!("{other:?}"),
        };
        let caller = &m.functions[c.caller as usize];
        lines.push(format!(
            "call {:?} by {} -> {callee}",
            c.range,
            scope(caller.scope)
        ));
    }
    for c in &m.async_calls {
        lines.push(format!("async call {c:?}"));
    }
    lines.sort();
    let mut out = lines.join("\n");
    let _ = write!(
        out,
        "\ntc {:?}\nruntime {:?}\nclasses {:?}\nall {:?}\ncomments {:?}\nfuture {}",
        m.type_checking_blocks,
        {
            let mut r = m.runtime_evaluated_classes.clone();
            r.sort();
            r
        },
        m.classes,
        m.dunder_all,
        m.comments,
        m.future_annotations
    );
    out
}

/// Apply `edits` seeded edits to `source` one after another; after each, compare the model the
/// document kept with a fresh build. Returns how many edits updated the model in place.
fn check_edits(source: &str, path: &str, seed: u64, edits: usize, options: &ModelOptions) -> usize {
    let path = Path::new(path);
    let mut rng = Rng(seed);
    let mut doc = Document::new(source.to_owned());
    if doc.parsed().has_errors() {
        return 0;
    }
    doc.semantic(path, options);
    for step in 0..edits {
        let Some((range, text)) = random_body_edit(doc.text(), &mut rng) else {
            break;
        };
        let before = doc.stats().updated;
        doc.edit(range, &text);
        if doc.stats().updated > before {
            let kept = canonical(doc.cached_semantic().expect("updated"));
            let fresh = SemanticModel::build_with(&doc.parsed().tree, doc.text(), path, options);
            let fresh = canonical(&fresh);
            if kept != fresh {
                let diff: Vec<String> = similar_lines(&fresh, &kept);
                panic!(
                    "{} step {step} seed {seed}: edit {range:?} -> {text:?}\n{}\n--- text ---\n{}",
                    path.display(),
                    diff.join("\n"),
                    doc.text()
                );
            }
        }
        if doc.parsed().has_errors() {
            doc = Document::new(source.to_owned());
        }
        doc.semantic(path, options);
    }
    doc.stats().updated
}

/// Lines only in one of two texts, marked `-` (fresh) and `+` (kept).
fn similar_lines(fresh: &str, kept: &str) -> Vec<String> {
    let a: std::collections::BTreeSet<&str> = fresh.lines().collect();
    let b: std::collections::BTreeSet<&str> = kept.lines().collect();
    a.difference(&b)
        .map(|l| format!("- {l}"))
        .chain(b.difference(&a).map(|l| format!("+ {l}")))
        .take(40)
        .collect()
}

/// A program that uses every construct the model handles, with function bodies to edit.
const EVERY_CONSTRUCT: &str = include_str!("../../../testdata/incremental/every_construct.py");

#[test]
fn edits_inside_bodies_of_every_construct_match_a_fresh_build() {
    let options = ModelOptions::default();
    let mut updated = 0;
    for seed in 1..=40 {
        updated += check_edits(EVERY_CONSTRUCT, "every.py", seed, 25, &options);
    }
    assert!(updated > 150, "only {updated} edits were handled in place");
}

#[test]
fn edits_inside_bodies_of_the_fixtures_match_a_fresh_build() {
    let files = python_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata"));
    assert!(files.len() > 40);
    let options = ModelOptions {
        record_all_calls: true,
        ..ModelOptions::default()
    };
    let mut updated = 0;
    for (i, file) in files.iter().enumerate() {
        let Ok(source) = std::fs::read_to_string(file) else {
            continue;
        };
        updated += check_edits(&source, &file.to_string_lossy(), i as u64 + 7, 12, &options);
    }
    assert!(updated > 100, "only {updated} edits were handled in place");
}

#[test]
fn edits_outside_function_bodies_rebuild() {
    let source = "import os\n\ndef f():\n    return os.sep\n";
    let path = Path::new("t.py");
    let options = ModelOptions::default();
    let mut doc = Document::new(source.to_owned());
    doc.semantic(path, &options);
    // In the body: updated in place.
    doc.edit(TextRange::new(33, 33), "x");
    assert_eq!(doc.stats().updated, 1);
    assert!(doc.cached_semantic().is_some());
    // In the signature: dropped, built on the next request.
    doc.edit(TextRange::new(17, 17), "a");
    assert!(doc.cached_semantic().is_none());
    doc.semantic(path, &options);
    assert_eq!(doc.stats().built, 2);
    // At module level: dropped.
    doc.edit(TextRange::new(7, 9), "sys");
    assert!(doc.cached_semantic().is_none());
}

/// Every Python file under `TAUTEN_SPLICE_CORPUS` (for example the benchmark corpus), when set.
#[test]
fn edits_inside_bodies_of_a_corpus_match_a_fresh_build() {
    let Some(root) = std::env::var_os("TAUTEN_SPLICE_CORPUS") else {
        return;
    };
    let files = python_files(Path::new(&root));
    let options = ModelOptions::default();
    let mut updated = 0;
    for (i, file) in files.iter().enumerate() {
        let Ok(source) = std::fs::read_to_string(file) else {
            continue;
        };
        updated += check_edits(&source, &file.to_string_lossy(), i as u64 + 1, 5, &options);
    }
    eprintln!("{} files, {updated} edits handled in place", files.len());
}

/// The `.py` files under `root`, sorted (every file: no ignore files apply).
fn python_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .build()
        .flatten()
        .map(ignore::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
}
