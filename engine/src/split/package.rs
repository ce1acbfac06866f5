//! Turning a module into a package (`pkg/mod.py` -> `pkg/mod/__init__.py` and `pkg/mod/<word>.py`):
//! the parts' file names, and relative imports made one level deeper. Pure functions over text.

use crate::syntax::NodeKind;
use std::collections::BTreeSet;

use tree_sitter::Node;

use crate::text::TextRange;

use super::plan::KEYWORDS;

/// The file stem of part `name` inside the package made of module `stem`: `mod_words` ->
/// `words`; the full name when what is left is not a usable module name or is in `avoid`.
pub fn part_file_name(stem: &str, name: &str, avoid: &BTreeSet<String>) -> String {
    let short = name
        .strip_prefix(stem)
        .and_then(|rest| rest.strip_prefix('_'))
        .unwrap_or(name);
    let usable = short.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && short.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&short)
        && !short.starts_with("__")
        && short != stem
        && !avoid.contains(short);
    if usable {
        short.to_owned()
    } else {
        name.to_owned()
    }
}

/// `source` with one more dot on every relative import (`from .x import y` -> `from ..x import
/// y`, `from . import z` -> `from .. import z`), for code moving from `pkg/mod.py` into
/// `pkg/mod/`: the same targets, seen from one package deeper. Offsets shift by one per import.
pub fn deepen_relative_imports(source: &str) -> String {
    let parsed = crate::parse::parse(source, None);
    let mut at = Vec::new();
    collect(parsed.tree.root_node(), &mut at);
    let mut out = String::with_capacity(source.len() + at.len());
    let mut previous = 0;
    for offset in at {
        out.push_str(&source[previous..offset]);
        out.push('.');
        previous = offset;
    }
    out.push_str(&source[previous..]);
    out
}

/// Identifiers inside `ranges` of `source`. Importing the submodule `pkg.mod.<word>` sets the
/// attribute `<word>` of the package, which is its `__init__`'s namespace: a part must not be
/// named after a name (a builtin included) that code staying in `__init__` uses.
pub fn identifiers_in(
    tree: &tree_sitter::Tree,
    source: &str,
    ranges: &[TextRange],
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        let (start, end) = (node.start_byte(), node.end_byte());
        if !ranges.iter().any(|r| r.start < end && start < r.end) {
            continue;
        }
        if node.kind_name() == "identifier"
            && ranges.iter().any(|r| r.start <= start && end <= r.end)
        {
            out.insert(crate::parse::node_text(node, source).to_owned());
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    out
}

/// 1-based lines of `source` that read `__file__`: as `pkg/mod/__init__.py` the module's
/// directory is one level deeper, so paths built from it change.
pub fn file_path_reads(source: &str) -> Vec<usize> {
    let parsed = crate::parse::parse(source, None);
    let mut lines = Vec::new();
    let mut stack = vec![parsed.tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.kind_name() == "identifier" && crate::parse::node_text(node, source) == "__file__" {
            lines.push(node.start_position().row + 1);
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    lines.sort_unstable();
    lines.dedup();
    lines
}

/// 1-based lines of top-level `if __name__ == "__main__":` blocks: `python -m pkg.mod` runs
/// `pkg/mod/__main__.py`, not the package's `__init__`, so such a block no longer runs.
pub fn main_guard_lines(source: &str) -> Vec<usize> {
    let parsed = crate::parse::parse(source, None);
    let root = parsed.tree.root_node();
    let mut cursor = root.walk();
    let lines = root
        .children(&mut cursor)
        .filter(|n| n.kind_name() == "if_statement")
        .filter(|n| {
            n.child_by_field_name("condition").is_some_and(|c| {
                let text: String = crate::parse::node_text(c, source)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .map(|c| if c == '\'' { '"' } else { c })
                    .collect();
                text == "__name__==\"__main__\"" || text == "\"__main__\"==__name__"
            })
        })
        .map(|n| n.start_position().row + 1)
        .collect();
    lines
}

fn collect(node: Node<'_>, out: &mut Vec<usize>) {
    if node.kind_name() == "import_from_statement" {
        if let Some(module) = node
            .child_by_field_name("module_name")
            .filter(|m| m.kind_name() == "relative_import")
        {
            out.push(module.start_byte());
        }
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        collect(child, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_imports_go_one_level_deeper() {
        let source = "from . import a\nfrom .other import y\nfrom ..up import z\nimport os\nfrom os import path\n\ndef f():\n    from .late import q\n    return q\n";
        assert_eq!(
            deepen_relative_imports(source),
            "from .. import a\nfrom ..other import y\nfrom ...up import z\nimport os\nfrom os import path\n\ndef f():\n    from ..late import q\n    return q\n"
        );
    }

    #[test]
    fn main_guards_are_found() {
        let source = "x = 1\nif __name__ == '__main__':\n    main()\nif x:\n    pass\n";
        assert_eq!(main_guard_lines(source), [2]);
    }

    #[test]
    fn reads_of_the_file_path_are_found() {
        let source = "import os\n# __file__\nHERE = os.path.dirname(__file__)\ns = '__file__'\n";
        assert_eq!(file_path_reads(source), [3]);
    }

    #[test]
    fn part_names_lose_the_module_prefix() {
        let none = BTreeSet::new();
        assert_eq!(part_file_name("mod", "mod_words", &none), "words");
        assert_eq!(part_file_name("mod", "helpers", &none), "helpers");
        assert_eq!(part_file_name("mod", "mod_import", &none), "mod_import");
        assert_eq!(part_file_name("mod", "mod_2x", &none), "mod_2x");
        assert_eq!(part_file_name("mod", "mod_mod", &none), "mod_mod");
        let used = BTreeSet::from(["iter".to_owned()]);
        assert_eq!(part_file_name("mod", "mod_iter", &used), "mod_iter");
    }

    #[test]
    fn identifiers_of_the_code_that_stays() {
        let source = "import os\n\nx = iter(os.sep)\n\n\ndef moved():\n    return words\n";
        let parsed = crate::parse::parse(source, None);
        let names = identifiers_in(&parsed.tree, source, &[TextRange::new(0, 27)]);
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(names, ["iter", "os", "sep", "x"]);
    }
}
