//! Rewriting a project file's `from` imports of names a split moved, so they import them from
//! their new modules. Pure: text in, text out.

use std::collections::BTreeMap;

use tree_sitter::Node;

use crate::parse::node_text;
use crate::project::absolute_module;

/// What a file's rewrite did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// The file's new text.
    pub text: String,
    /// How many import statements changed.
    pub statements: usize,
}

/// The file `source` (module `module`, `is_init` for a package's `__init__.py`) with every
/// `from <old> import ...` of a name in `moved` (name -> new dotted module) importing it from its
/// new module instead; names that did not move keep the old location. Relative imports stay
/// relative (the new modules sit in the old one's package or under it). Left alone: star imports,
/// `import old`, statements with comments inside, files with syntax errors. `Ok(None)` when
/// nothing changes; `Err` when the result would not parse.
pub fn rewrite_importers(
    source: &str,
    module: Option<&str>,
    is_init: bool,
    old: &str,
    moved: &BTreeMap<String, String>,
) -> Result<Option<Rewritten>, String> {
    let parsed = crate::parse::parse(source, None);
    if parsed.has_errors() {
        return Ok(None);
    }
    let mut statements = Vec::new();
    collect_from_imports(parsed.tree.root_node(), &mut statements);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for node in statements {
        if let Some(text) = rewrite_statement(node, source, module, is_init, old, moved) {
            edits.push((node.start_byte(), node.end_byte(), text));
        }
    }
    if edits.is_empty() {
        return Ok(None);
    }
    let mut text = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for (start, end, replacement) in &edits {
        text.push_str(&source[at..*start]);
        text.push_str(replacement);
        at = *end;
    }
    text.push_str(&source[at..]);
    if crate::parse::parse(&text, None).has_errors() {
        return Err("the rewritten imports would not parse".into());
    }
    Ok(Some(Rewritten {
        text,
        statements: edits.len(),
    }))
}

fn collect_from_imports<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    if node.kind() == "import_from_statement" {
        out.push(node);
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        collect_from_imports(child, out);
    }
}

/// The replacement text of one `from ... import` statement, `None` when it stays.
fn rewrite_statement(
    node: Node<'_>,
    source: &str,
    module: Option<&str>,
    is_init: bool,
    old: &str,
    moved: &BTreeMap<String, String>,
) -> Option<String> {
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
    if children
        .iter()
        .any(|c| matches!(c.kind(), "wildcard_import" | "comment"))
    {
        return None;
    }
    let written: String = node_text(node.child_by_field_name("module_name")?, source)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if absolute_module(&written, module, is_init)? != old {
        return None;
    }
    // (clause text, new home) in source order; `None` stays at the old location.
    let mut cursor = node.walk();
    let clauses: Vec<(&str, Option<&String>)> = node
        .children_by_field_name("name", &mut cursor)
        .map(|clause| {
            let name = match clause.kind() {
                "aliased_import" => clause.child_by_field_name("name").unwrap_or(clause),
                _ => clause,
            };
            (
                node_text(clause, source),
                moved.get(node_text(name, source)),
            )
        })
        .collect();
    if clauses.iter().all(|(_, home)| home.is_none()) {
        return None;
    }
    // Groups in order of first appearance: the old location first when something stays.
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for (clause, home) in &clauses {
        let target = match home {
            Some(home) => written_as(&written, old, home)?,
            None => written.clone(),
        };
        match groups.iter_mut().find(|(m, _)| *m == target) {
            Some((_, names)) => names.push(clause),
            None => groups.push((target, vec![clause])),
        }
    }
    groups.sort_by_key(|(m, _)| *m != written);
    let statement = node_text(node, source);
    let lazy = if statement.starts_with("lazy") {
        "lazy "
    } else {
        ""
    };
    let line_start = source[..node.start_byte()].rfind('\n').map_or(0, |i| i + 1);
    let before = &source[line_start..node.start_byte()];
    let own_line = before.chars().all(|c| c == ' ' || c == '\t');
    let nl = crate::source::detect_line_ending(source);
    let multiline = statement.contains('\n');
    let parenthesized = children.iter().any(|c| c.kind() == "(");
    let rendered: Vec<String> = groups
        .iter()
        .map(|(target, names)| {
            if multiline && own_line {
                let inner: String = names
                    .iter()
                    .map(|n| format!("{before}    {n},{nl}"))
                    .collect();
                format!("{lazy}from {target} import ({nl}{inner}{before})")
            } else if parenthesized {
                format!("{lazy}from {target} import ({})", names.join(", "))
            } else {
                format!("{lazy}from {target} import {}", names.join(", "))
            }
        })
        .collect();
    let separator = if own_line {
        format!("{nl}{before}")
    } else {
        "; ".to_owned()
    };
    Some(rendered.join(&separator))
}

/// `home` written in the style of `written` (the importer's spelling of `old`): absolute stays
/// absolute; relative keeps its dots and replaces the old module's last component with the new
/// module's path below the old module's package.
fn written_as(written: &str, old: &str, home: &str) -> Option<String> {
    if !written.starts_with('.') {
        return Some(home.to_owned());
    }
    let (package, last) = match old.rsplit_once('.') {
        Some((package, last)) => (Some(package), last),
        None => (None, old),
    };
    let below = match package {
        Some(package) => home.strip_prefix(package)?.strip_prefix('.')?,
        None => home,
    };
    let prefix = written.strip_suffix(last)?;
    if !prefix.ends_with('.') {
        return None;
    }
    Some(format!("{prefix}{below}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn homes() -> BTreeMap<String, String> {
        [
            ("a", "pkg.sub.mod_x"),
            ("c", "pkg.sub.mod_x"),
            ("d", "pkg.sub.mod_y"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    fn rewrite(source: &str, module: &str) -> Option<Rewritten> {
        rewrite_importers(source, Some(module), false, "pkg.sub.mod", &homes()).unwrap()
    }

    fn text(source: &str, module: &str) -> String {
        rewrite(source, module).map_or_else(|| source.to_owned(), |r| r.text)
    }

    #[test]
    fn absolute_imports_of_moved_names_move() {
        let out = rewrite("from pkg.sub.mod import a\nprint(a)\n", "app").unwrap();
        assert_eq!(out.text, "from pkg.sub.mod_x import a\nprint(a)\n");
        assert_eq!(out.statements, 1);
    }

    #[test]
    fn mixed_names_split_and_aliases_stay() {
        assert_eq!(
            text("from pkg.sub.mod import a as b, keep, d, c\n", "app"),
            "from pkg.sub.mod import keep\nfrom pkg.sub.mod_x import a as b, c\nfrom pkg.sub.mod_y import d\n"
        );
    }

    #[test]
    fn relative_same_level_stays_relative() {
        assert_eq!(
            text("from .mod import a, keep\n", "pkg.sub.other"),
            "from .mod import keep\nfrom .mod_x import a\n"
        );
    }

    #[test]
    fn relative_parent_keeps_its_dots() {
        assert_eq!(
            text("from ..sub.mod import d\n", "pkg.other.user"),
            "from ..sub.mod_y import d\n"
        );
        // In a package's `__init__`, one dot is the package itself.
        let out = rewrite_importers(
            "from .mod import a\n",
            Some("pkg.sub"),
            true,
            "pkg.sub.mod",
            &homes(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(out.text, "from .mod_x import a\n");
    }

    #[test]
    fn parenthesised_multi_line_keeps_its_form() {
        let source = "from pkg.sub.mod import (\n    a,\n    keep as k,\n)\n";
        assert_eq!(
            text(source, "app"),
            "from pkg.sub.mod import (\n    keep as k,\n)\nfrom pkg.sub.mod_x import (\n    a,\n)\n"
        );
        assert_eq!(
            text("from pkg.sub.mod import (a, keep)\n", "app"),
            "from pkg.sub.mod import (keep)\nfrom pkg.sub.mod_x import (a)\n"
        );
    }

    #[test]
    fn indented_imports_keep_their_indentation() {
        let source = "def f():\n    from pkg.sub.mod import a, keep\n    return a, keep\n\nif TYPE_CHECKING:\n    from .sub.mod import d\n";
        assert_eq!(
            text(source, "pkg.app"),
            "def f():\n    from pkg.sub.mod import keep\n    from pkg.sub.mod_x import a\n    return a, keep\n\nif TYPE_CHECKING:\n    from .sub.mod_y import d\n"
        );
        assert_eq!(
            text("lazy from pkg.sub.mod import a, keep\n", "app"),
            "lazy from pkg.sub.mod import keep\nlazy from pkg.sub.mod_x import a\n"
        );
        assert_eq!(
            text("import os; from pkg.sub.mod import a, keep\n", "app"),
            "import os; from pkg.sub.mod import keep; from pkg.sub.mod_x import a\n"
        );
    }

    #[test]
    fn package_homes_below_the_old_module() {
        let homes: BTreeMap<String, String> = [("a".to_owned(), "pkg.sub.mod.words".to_owned())]
            .into_iter()
            .collect();
        let out = rewrite_importers(
            "from .mod import a\nfrom pkg.sub.mod import a as b\n",
            Some("pkg.sub.other"),
            false,
            "pkg.sub.mod",
            &homes,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            out.text,
            "from .mod.words import a\nfrom pkg.sub.mod.words import a as b\n"
        );
    }

    #[test]
    fn left_alone() {
        for source in [
            "from pkg.sub.mod import *\n",
            "import pkg.sub.mod\nprint(pkg.sub.mod.a)\n",
            "from pkg.sub import mod\n",
            "from pkg.sub.mod import keep\n",
            "from pkg.other import a\n",
            "from pkg.sub.mod import (  # why\n    a,\n)\n",
            "from pkg.sub.mod import a\ndef broken(:\n",
        ] {
            assert!(rewrite(source, "app").is_none(), "{source}");
        }
        // A relative import in a file outside any package cannot be resolved.
        assert!(
            rewrite_importers("from .mod import a\n", None, false, "pkg.sub.mod", &homes())
                .unwrap()
                .is_none()
        );
    }
}
