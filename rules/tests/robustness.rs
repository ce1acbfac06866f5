//! Random edits of the fixtures through every rule with unsafe fixes: nothing panics, a fixed text
//! always parses, and when CPython accepts the edited text it accepts the fixed text too.
//! (The `fuzz/` target does the same with libFuzzer, on a nightly toolchain.)

use std::path::{Path, PathBuf};

use tauten_engine::config::LintSettings;
use tauten_engine::driver::check_text;
use tauten_engine::fix::FixMode;
use tauten_engine::parse;
use tauten_rules::registry::all_rules;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "import os\n",
    "from typing import TYPE_CHECKING\n",
    "if TYPE_CHECKING:\n    pass\n",
    "(",
    ")",
    ":",
    "\n",
    "    ",
    ";",
    ",",
    "#",
    "\"",
    "'''",
    "\\\n",
    "from . import (a,\n    b,\n)\n",
    "def f(x: 'os.PathLike'):\n",
    "try:\n    import json\nexcept ImportError:\n    pass\n",
    "__all__ = ['os']\n",
    "é",
    "\r\n",
    "lambda: os",
    "class C:\n    import re\n",
    "from os.path import join, \\\n    exists\n",
    "del os\n",
    "global os\n",
    "x: Decimal = 1\n",
    "from __future__ import annotations\n",
];

fn fixtures() -> Vec<PathBuf> {
    tauten_workspace::testing::python_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/rules"),
    )
}

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut out = text.to_owned();
    for _ in 0..1 + rng.below(3) {
        let mut at = rng.below(out.len() + 1);
        while !out.is_char_boundary(at) {
            at -= 1;
        }
        match rng.below(3) {
            0 => out.insert_str(at, PIECES[rng.below(PIECES.len())]),
            1 => {
                let mut end = (at + rng.below(12)).min(out.len());
                while !out.is_char_boundary(end) {
                    end -= 1;
                }
                out.replace_range(at..end, "");
            }
            _ => {
                let line_start = out[..at].rfind('\n').map_or(0, |i| i + 1);
                let line_end = out[at..].find('\n').map_or(out.len(), |i| at + i + 1);
                let line = out[line_start..line_end].to_owned();
                out.insert_str(line_start, &line);
            }
        }
    }
    out
}

#[test]
fn random_edits_never_panic_and_fixes_keep_the_code_valid() {
    let rules = all_rules();
    let settings = LintSettings::default();
    let mut rng = Rng(0x7A57_E11D_2026_1124);
    let mut to_compile = Vec::new();
    let mut cases = 0;
    for fixture in fixtures() {
        let text = std::fs::read_to_string(&fixture).unwrap();
        for _ in 0..150 {
            let edited = mutate(&text, &mut rng);
            let outcome = check_text(
                Path::new("edited.py"),
                &edited,
                tauten_rules::registry::with_calls(&rules),
                &settings,
                &tauten_engine::project::FileFacts::default(),
                FixMode::Unsafe,
            );
            cases += 1;
            if let Some(fixed) = outcome.fixed_text {
                assert!(
                    !parse::parse(&fixed, None).has_errors(),
                    "fixing an edit of {} gave text that does not parse:\n{edited}\n---\n{fixed}",
                    fixture.display()
                );
                to_compile.push((edited, fixed));
            }
        }
    }
    assert!(cases > 1000);
    assert_fixes_keep_cpython_happy(&to_compile);
}

/// One CPython process checks every pair: if the edited text compiles, the fixed one must.
fn assert_fixes_keep_cpython_happy(pairs: &[(String, String)]) {
    let dir = tempfile::tempdir().unwrap();
    for (i, (edited, fixed)) in pairs.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i}.before.py")), edited).unwrap();
        std::fs::write(dir.path().join(format!("{i}.after.py")), fixed).unwrap();
    }
    let script = r#"
import pathlib, sys
bad = []
root = pathlib.Path(sys.argv[1])
for before in sorted(root.glob("*.before.py")):
    after = before.with_name(before.name.replace(".before.", ".after."))
    try:
        compile(before.read_text(), "before", "exec")
    except (SyntaxError, ValueError):
        continue
    try:
        compile(after.read_text(), "after", "exec")
    except (SyntaxError, ValueError) as err:
        bad.append(f"{before.name}: {err}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
"#;
    let output = std::process::Command::new("python3")
        .args(["-c", script, dir.path().to_str().unwrap()])
        .output()
        .expect("python3 is needed");
    if !output.status.success() {
        let report = String::from_utf8_lossy(&output.stdout);
        let first = report.lines().next().unwrap_or_default();
        let index: usize = first
            .split('.')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        panic!(
            "a fix broke code CPython accepted ({} cases):\n{report}\n--- before\n{}\n--- after\n{}",
            report.lines().count(),
            pairs[index].0,
            pairs[index].1
        );
    }
}
