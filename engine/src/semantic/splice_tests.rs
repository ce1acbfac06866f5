//! The model updated after an edit inside a function body must equal the model built anew: checked
//! on many seeded edits of the test fixtures and of a program written to cover every construct.

use std::fmt::Write as _;
use std::path::Path;

use super::*;
use crate::document::Document;
use crate::parse::parse;
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

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// The identifiers inside function bodies, by range.
fn identifiers_in_bodies(source: &str) -> Vec<TextRange> {
    let parsed = parse(source, None);
    let mut out = Vec::new();
    let mut stack = vec![(parsed.tree.root_node(), false)];
    while let Some((node, in_body)) = stack.pop() {
        if in_body && node.kind() == "identifier" {
            out.push(TextRange::of_node(node));
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            let body = node.kind() == "function_definition"
                && node.child_by_field_name("body") == Some(child);
            stack.push((child, in_body || body));
        }
    }
    out.sort();
    out
}

/// One seeded edit inside a function body: grow, shrink or replace a name, add a statement, or
/// type a character that may break the syntax.
fn random_edit(source: &str, rng: &mut Rng) -> Option<(TextRange, String)> {
    let names = identifiers_in_bodies(source);
    if names.is_empty() {
        return None;
    }
    let at = names[rng.below(names.len())];
    let other = names[rng.below(names.len())];
    let line_end = source[at.end..]
        .find('\n')
        .map_or(source.len(), |i| at.end + i);
    let line_start = source[..at.start].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = source[line_start..]
        .chars()
        .take_while(|c| *c == ' ')
        .collect();
    Some(match rng.below(7) {
        0 => (TextRange::new(at.end, at.end), "x".into()),
        1 if at.len() > 1 => (TextRange::new(at.end - 1, at.end), String::new()),
        2 => (at, source[other.start..other.end].to_owned()),
        3 => (
            TextRange::new(line_end, line_end),
            format!(
                "\n{indent}{} = {}",
                &source[other.start..other.end],
                "os.path"
            ),
        ),
        4 => (
            TextRange::new(line_end, line_end),
            format!(
                "\n{indent}def inner(a: 'Sequence[int]' = b):\n{indent}    return [a for a in c]"
            ),
        ),
        5 => {
            let chars = ["(", ")", ":", "\n", "\"", "#", " ", "lambda: y"];
            (
                TextRange::new(at.start, at.start),
                chars[rng.below(chars.len())].into(),
            )
        }
        _ => (TextRange::new(line_start, line_end), String::new()),
    })
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
        let Some((range, text)) = random_edit(doc.text(), &mut rng) else {
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

const EVERY_CONSTRUCT: &str = r#"from __future__ import annotations
import os
import os.path as osp
import a.b
from typing import TYPE_CHECKING, Sequence
from . import sibling

if TYPE_CHECKING:
    from collections.abc import Mapping

    def checker(x: Mapping) -> None:
        y = x
        return y

__all__ = ["helper", "Model"]
counter = 0


class Base(pydantic.BaseModel):
    field: Mapping


def helper(a: int, *args: str, b=os.sep, **kw) -> Sequence[int]:
    global counter
    counter += 1
    value: Mapping = {}
    total = [n for n in args if n]
    lam = lambda q: q + a
    if TYPE_CHECKING:
        import typing
    try:
        import json
    except ImportError:
        json = None

    class Local(Base):
        name: "Sequence[str]"

        def method(self):
            return self.name, value

    def nested():
        nonlocal value
        value = osp.join("x", a.b.c)
        return nested

    with open(a) as handle, sibling.ctx() as (m, n):
        print(handle, m, n)
    match value:
        case {"k": captured}:
            del captured
        case [first, *rest]:
            return rest
    while (found := total.pop()):
        print(found)
    return total, lam, json, typing


async def fetch(url):
    data = os.read(url)
    helper(data)
    await other()

    async def inner():
        return time.sleep(1)

    return data


class Model:
    def one(self, x: "Mapping[str, int]") -> Model:
        def deep():
            return [lambda: x for x in range(3)]
        return deep

    @staticmethod
    def two():
        return Model().one(None)

    async def three(self):
        self.one(os.getcwd())
"#;

#[test]
fn edits_inside_bodies_of_every_construct_match_a_fresh_build() {
    let options = ModelOptions::default();
    let mut updated = 0;
    for seed in 1..=40 {
        updated += check_edits(EVERY_CONSTRUCT, "every.py", seed, 25, &options);
    }
    assert!(updated > 200, "only {updated} edits were handled in place");
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

/// The `.py` files under `root`, sorted.
fn python_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "py") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
