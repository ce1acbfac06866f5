use super::*;
use crate::semantic::SemanticModel;

struct Case {
    source: String,
    parsed: crate::parse::Parsed,
}

impl Case {
    fn new(source: &str) -> Self {
        Case {
            source: source.to_owned(),
            parsed: crate::parse::parse(source, None),
        }
    }

    fn model(&self) -> SemanticModel {
        SemanticModel::build(
            &self.parsed.tree,
            &self.source,
            std::path::Path::new("pkg/mod.py"),
        )
    }

    fn plan(&self, into: usize) -> (Plan, Applied) {
        self.plan_as(into, Layout::Siblings { in_package: true })
    }

    fn plan_as(&self, into: usize, layout: Layout) -> (Plan, Applied) {
        let model = self.model();
        let graph = build_graph(&self.source, &self.parsed.tree, &model);
        let options = SplitOptions {
            max_lines: 10_000,
            into: Some(into),
            ..SplitOptions::default()
        };
        let (plan, assignment) = plan::plan(&graph, &self.source, "mod", &options);
        let applied = apply(
            &self.source,
            &self.parsed.tree,
            &graph,
            &model,
            &plan,
            &assignment,
            layout,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        (plan, applied)
    }
}

fn part_of<'p>(plan: &'p Plan, name: &str) -> Option<&'p str> {
    plan.parts
        .iter()
        .find(|p| p.statements.iter().any(|s| s == name))
        .map(|p| p.name.as_str())
}

const SAMPLE: &str = r#""""A module."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["parse_line", "render_page"]

# Parsing.
def parse_line(line: str) -> list[str]:
    return tokenize_line(line.strip())


def tokenize_line(line: str) -> list[str]:
    return line.split(os.sep)


def parse_file(path: str) -> Iterator[list[str]]:
    with open(path) as f:
        for line in f:
            yield parse_line(line)


# Rendering.
class PageRenderer:
    def render(self, page: Any) -> str:
        return render_page(page)


def render_page(page: Any) -> str:
    return str(page)


def render_many(pages: list[Any]) -> list[str]:
    return [PageRenderer().render(p) for p in pages]


def is_even(n: int) -> bool:
    return n == 0 or is_odd(n - 1)


def is_odd(n: int) -> bool:
    return n != 0 and is_even(n - 1)


print("loaded", file=sys.stderr)

if __name__ == "__main__":
    render_many(sys.argv)
"#;

#[test]
fn cycles_stay_together_and_parts_import_without_cycles() {
    let case = Case::new(SAMPLE);
    let (plan, applied) = case.plan(2);
    assert_eq!(plan.parts.len(), 2, "{}", plan.to_text());
    // Mutual recursion stays in one module; so do the class and the function it calls.
    assert_eq!(part_of(&plan, "is_even"), part_of(&plan, "is_odd"));
    assert!(part_of(&plan, "is_even").is_some());
    // Module-level code stays, and the original re-exports what moved.
    assert!(applied
        .original
        .contains("print(\"loaded\", file=sys.stderr)"));
    assert!(applied.original.contains("if __name__ == \"__main__\":"));
    assert!(applied
        .original
        .contains("__all__ = [\"parse_line\", \"render_page\"]"));
    for name in &applied.moved {
        assert!(
            applied.original.contains(&format!("    {name} as {name},")),
            "{name}"
        );
    }
    // The re-exports come before the first module-level code that needs them.
    let reexport = applied.original.find("moved by `tauten split`").unwrap();
    assert!(reexport < applied.original.find("print(\"loaded\"").unwrap());
    // Each part has the future import and only the imports it needs.
    for (name, text) in &applied.files {
        assert!(
            text.contains("from __future__ import annotations\n"),
            "{name}:\n{text}"
        );
        assert!(!text.contains("import sys"), "{name} needs no sys:\n{text}");
        assert!(!crate::parse::parse(text, None).has_errors());
    }
    let holder = |n: &str| {
        applied
            .files
            .iter()
            .find(|(_, t)| t.contains(&format!("def {n}(")))
            .unwrap()
    };
    let (_, tokenize) = holder("tokenize_line");
    assert!(tokenize.contains("import os\n"));
    let (_, parse_file) = holder("parse_file");
    assert!(
        parse_file.contains("if TYPE_CHECKING:\n    from collections.abc import Iterator\n"),
        "{parse_file}"
    );
    // Comments travel with their statement.
    assert!(tokenize.contains("# Parsing.") || holder("parse_line").1.contains("# Parsing."));
}

#[test]
fn the_plan_is_deterministic() {
    let case = Case::new(SAMPLE);
    let (a, applied_a) = case.plan(3);
    for _ in 0..3 {
        let (b, applied_b) = Case::new(SAMPLE).plan(3);
        assert_eq!(a, b);
        assert_eq!(applied_a, applied_b);
    }
    let json = serde_json::to_string(&a).unwrap();
    let back: Plan = serde_json::from_str(&json).unwrap();
    assert_eq!(a, back);
}

#[test]
fn parts_import_earlier_parts_only() {
    let source = "def a():\n    return 1\n\n\ndef b():\n    return a()\n\n\ndef c():\n    return b()\n\n\ndef d():\n    return c()\n";
    let case = Case::new(source);
    let (plan, applied) = case.plan(4);
    assert_eq!(plan.parts.len(), 4);
    let index = |n: &str| plan.parts.iter().position(|p| p.statements == [n]).unwrap();
    assert!(index("a") < index("b") && index("b") < index("c") && index("c") < index("d"));
    let (_, d) = &applied.files[index("d")];
    assert!(
        d.contains(&format!("from .{} import c\n", plan.parts[index("c")].name)),
        "{d}"
    );
}

#[test]
fn what_module_code_needs_at_run_time_may_move_but_not_what_needs_it() {
    let source = "import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef log(x):\n    logger.info(x)\n\n\ndef helper():\n    return 2\n\n\nVALUE = helper()\n";
    let case = Case::new(source);
    let (plan, applied) = case.plan(1);
    // `logger` reads `__name__`: it stays, and so does `log`, which reads it.
    assert_eq!(part_of(&plan, "logger"), None);
    assert_eq!(part_of(&plan, "log"), None);
    assert!(part_of(&plan, "helper").is_some());
    assert!(part_of(&plan, "VALUE").is_some());
    assert!(applied.original.contains("helper as helper"));
}

#[test]
fn typing_only_references_may_point_back() {
    let source = "from __future__ import annotations\n\n\nclass Node:\n    def child(self) -> Tree:\n        return make_tree()\n\n\ndef make_tree() -> Tree:\n    return Tree()\n\n\nclass Tree:\n    pass\n";
    let case = Case::new(source);
    let model = case.model();
    let graph = build_graph(&case.source, &case.parsed.tree, &model);
    let runtime: usize = graph.edges.values().map(|w| w.runtime as usize).sum();
    let typing: usize = graph.edges.values().map(|w| w.typing as usize).sum();
    assert_eq!((runtime, typing), (2, 2), "{:?}", graph.edges);
    let (_, applied) = case.plan(3);
    let all: String = applied.files.iter().map(|(_, t)| t.as_str()).collect();
    assert!(all.contains("if TYPE_CHECKING:\n"), "{all}");
}

#[test]
fn guarded_imports_are_copied_and_star_imports_kept() {
    let source = "try:\n    import ujson as json\nexcept ImportError:\n    import json\n\n\ndef dump(x):\n    return json.dumps(x)\n";
    let (_, applied) = Case::new(source).plan(1);
    let (_, part) = &applied.files[0];
    assert!(
        part.contains("try:\n    import ujson as json\nexcept ImportError:\n    import json\n"),
        "{part}"
    );
}

#[test]
fn a_package_layout_names_parts_by_word_and_imports_one_level_deeper() {
    let source = "from __future__ import annotations\nfrom . import sibling\nfrom .other import y\n\n\ndef a():\n    return y + sibling.z\n\n\ndef b():\n    return a()\n\n\ndef c() -> Later:\n    return b()\n\n\nclass Later:\n    where = __name__\n";
    let deeper = package::deepen_relative_imports(source);
    let (plan, applied) = Case::new(&deeper).plan_as(2, Layout::Package);
    assert_eq!(plan.parts.len(), 2);
    for (stem, text) in &applied.files {
        assert!(!stem.starts_with("mod_"), "{stem}");
        assert!(
            !text.contains("from .other") && !text.contains("from . import sibling"),
            "{text}"
        );
    }
    let all: String = applied.files.iter().map(|(_, t)| t.as_str()).collect();
    assert!(all.contains("from ..other import y\n"), "{all}");
    assert!(all.contains("from .. import sibling\n"), "{all}");
    // `c` reads `Later`, which stays in `__init__`, in an annotation only.
    assert!(all.contains("    from . import Later\n"), "{all}");
    let home = &applied.homes["a"];
    assert!(
        applied.original.contains(&format!("from .{home} import (")),
        "{}",
        applied.original
    );
    assert!(applied.original.starts_with(
        "from __future__ import annotations\nfrom .. import sibling\nfrom ..other import y\n"
    ));
}

#[test]
fn words_of_identifiers() {
    assert_eq!(
        plan::words("parseHTTPResponse"),
        ["parse", "http", "response"]
    );
    assert_eq!(plan::words("_render_page"), ["render", "page"]);
    assert_eq!(plan::words("PageRenderer"), ["page", "renderer"]);
}

#[test]
fn patch_strings_are_found() {
    let text =
        "with mock.patch(\"pkg.mod.render_page\"):\n    monkeypatch.setattr('pkg.mod.other', 1)\n";
    let moved = vec!["render_page".to_owned()];
    assert_eq!(
        patch_targets(text, "pkg.mod", &moved),
        [(1, "pkg.mod.render_page".to_owned())]
    );
    let objects = "import pkg.mod as m\nfrom pkg import mod\n\nmonkeypatch.setattr(pkg.mod, \"render_page\", 1)\nmock.patch.object(mod, 'render_page')\nmonkeypatch.setattr(m, \"render_page\", f)\nmonkeypatch.setattr(other, \"render_page\", f)\nsetattr(mod, \"other\", 1)\n";
    assert_eq!(
        patch_targets(objects, "pkg.mod", &moved),
        [4, 5, 6].map(|line| (line, "pkg.mod.render_page".to_owned()))
    );
}

#[test]
fn a_deep_chain_does_not_overflow() {
    let n = 20_000;
    let succ: Vec<Vec<usize>> = (0..n)
        .map(|i| if i + 1 < n { vec![i + 1] } else { vec![0] })
        .collect();
    let components = graph::strongly_connected(n, &succ);
    assert_eq!(components.len(), 1);
    assert_eq!(components[0].len(), n);
}

#[test]
fn small_parts_beside_a_class_over_the_limit_merge() {
    // A 201-line class and two 3-line functions, limit 100 lines: the class cannot be cut, and
    // the two functions, cut apart to fill the parts the size asked for, go together again.
    let mut source = String::from("class Big:\n");
    for i in 0..100 {
        source.push_str(&format!("    def m{i}(self):\n        return {i}\n"));
    }
    source.push_str("\n\ndef g(a):\n    return a\n\n\ndef h(a):\n    return a\n");
    let case = Case::new(&source);
    let model = case.model();
    let graph = build_graph(&case.source, &case.parsed.tree, &model);
    let options = SplitOptions {
        max_lines: 100,
        ..SplitOptions::default()
    };
    let (plan, _) = plan::plan(&graph, &case.source, "mod", &options);
    let parts: Vec<&[String]> = plan.parts.iter().map(|p| &p.statements[..]).collect();
    assert_eq!(
        parts,
        [&["Big".to_owned()][..], &["g".to_owned(), "h".to_owned()]]
    );
}

#[test]
fn small_parts_merge_into_the_smaller_neighbour_within_the_cap() {
    let mut bounds = vec![0, 1, 2, 3, 4];
    plan::merge_small_parts(&mut bounds, &[500, 20, 600, 300], 100, 900);
    assert_eq!(bounds, [0, 2, 3, 4]);
    let mut full = vec![0, 1, 2, 3];
    plan::merge_small_parts(&mut full, &[890, 20, 895], 100, 900);
    assert_eq!(full, [0, 1, 2, 3]);
    let mut last = vec![0, 1, 2];
    plan::merge_small_parts(&mut last, &[800, 30], 100, 900);
    assert_eq!(last, [0, 2]);
}

#[test]
fn class_methods_see_decorators_overloads_and_guarded_definitions() {
    let text = "class C:\n    if TYPE_CHECKING:\n        def typed(self): ...\n\n    @overload\n    def has(self, x: int) -> int: ...\n    @overload\n    def has(self, x: str) -> str: ...\n    def has(self, x):\n        return x\n\n    @property\n    def size(self):\n        def inner():\n            return 1\n        return inner()\n\n    async def fetch(self):\n        return 2\n";
    let mut methods = plan::class_methods(text);
    methods.sort();
    assert_eq!(
        methods,
        [
            ("fetch".to_owned(), 2),
            ("has".to_owned(), 6),
            ("size".to_owned(), 5),
            ("typed".to_owned(), 1)
        ]
    );
}

#[test]
fn kept_names_stay_with_what_reads_them() {
    let case = Case::new(SAMPLE);
    let model = case.model();
    let graph = build_graph(&case.source, &case.parsed.tree, &model);
    let options = SplitOptions {
        max_lines: 10_000,
        into: Some(2),
        keep: vec!["parse_line".to_owned(), "missing".to_owned()],
        ..SplitOptions::default()
    };
    let (plan, assignment) = plan::plan(&graph, &case.source, "mod", &options);
    assert_eq!(part_of(&plan, "parse_line"), None, "{}", plan.to_text());
    // `parse_file` calls `parse_line`: moved, it would import the original back.
    assert_eq!(part_of(&plan, "parse_file"), None);
    // What `parse_line` reads may go.
    assert!(part_of(&plan, "tokenize_line").is_some());
    assert!(plan.notes.iter().any(|n| n.contains("`missing` (--keep)")));
    let applied = apply(
        &case.source,
        &case.parsed.tree,
        &graph,
        &model,
        &plan,
        &assignment,
        Layout::Siblings { in_package: true },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(applied.original.contains("def parse_line("));
    assert!(!crate::parse::parse(&applied.original, None).has_errors());
}

#[test]
fn the_readers_of_a_patched_name_go_to_one_part() {
    let source = "def h():\n    return 1\n\n\ndef a1():\n    return 1\n\n\ndef a():\n    return h() + a1()\n\n\ndef b1():\n    return 2\n\n\ndef b():\n    return h() + b1()\n";
    let case = Case::new(source);
    let model = case.model();
    let mut graph = build_graph(&case.source, &case.parsed.tree, &model);
    let options = SplitOptions {
        max_lines: 10_000,
        into: Some(3),
        ..SplitOptions::default()
    };
    let (free, _) = plan::plan(&graph, &case.source, "mod", &options);
    assert_ne!(
        part_of(&free, "a"),
        part_of(&free, "b"),
        "{}",
        free.to_text()
    );
    graph.keep_readers_together(&["h".to_owned()]);
    let (plan, assignment) = plan::plan(&graph, &case.source, "mod", &options);
    assert_eq!(
        part_of(&plan, "a"),
        part_of(&plan, "b"),
        "{}",
        plan.to_text()
    );
    let home = plan::readers_home(&graph, &assignment, "h").expect("one home");
    assert_eq!(
        home.map(|p| plan.parts[p].name.as_str()),
        part_of(&plan, "a")
    );
}
