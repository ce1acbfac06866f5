//! Rewriting a project file's `from` imports of names a split moved, so they import them from
//! their new modules. Pure: text in, text out.

use crate::syntax::NodeKind;
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

/// `text` with each string `"<old>.<name>"` (either quote) for a name in `retarget` written
/// `"<new>.<name>"` (`retarget`: name -> new dotted module), and how many it changed: a patch
/// string following the code that reads the name (`mock.patch("pkg.mod.x")`).
pub fn retarget_patch_strings(
    text: &str,
    old: &str,
    retarget: &BTreeMap<String, String>,
) -> (String, usize) {
    let mut text = text.to_owned();
    let mut changed = 0;
    for (name, new) in retarget {
        for quote in ['"', '\''] {
            let from = format!("{quote}{old}.{name}{quote}");
            let count = text.matches(&from).count();
            if count > 0 {
                text = text.replace(&from, &format!("{quote}{new}.{name}{quote}"));
                changed += count;
            }
        }
    }
    (text, changed)
}

/// The file `source` (module `module`, `is_init` for a package's `__init__.py`) with every
/// `from <old> import ...` of a name in `moved` (name -> new dotted module) importing it from its
/// new module instead; names that did not move keep the old location. Relative imports stay
/// relative (the new modules sit in the old one's package or under it); comments inside a
/// multi-line statement go with their names. Left alone: star imports, `import old`, comments
/// inside a statement on one line, files with syntax errors, and a package's `__init__.py`:
/// importing from the module there is also what makes it an attribute of its package (`pkg.mod.X`
/// after `import pkg`, `mock.patch("pkg.mod.X")`), and the module still re-exports every moved
/// name. `Ok(None)` when nothing changes; `Err` when the result would not parse.
pub fn rewrite_importers(
    source: &str,
    module: Option<&str>,
    is_init: bool,
    old: &str,
    moved: &BTreeMap<String, String>,
) -> Result<Option<Rewritten>, String> {
    if is_init {
        return Ok(None);
    }
    let parsed = crate::parse::parse(source, None);
    if parsed.has_errors() {
        return Ok(None);
    }
    let mut statements = Vec::new();
    collect_from_imports(parsed.tree.root_node(), &mut statements);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for node in statements {
        if let Some(text) = rewrite_statement(node, source, module, old, moved) {
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
    if node.kind_name() == "import_from_statement" {
        out.push(node);
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        collect_from_imports(child, out);
    }
}

/// One imported name of a statement, with the comments that go with it in a multi-line form.
struct Clause<'s> {
    text: &'s str,
    /// Comment lines right above it.
    above: Vec<&'s str>,
    /// The comment after it on its line.
    trailing: Option<&'s str>,
}

/// The replacement text of one `from ... import` statement, `None` when it stays.
fn rewrite_statement(
    node: Node<'_>,
    source: &str,
    module: Option<&str>,
    old: &str,
    moved: &BTreeMap<String, String>,
) -> Option<String> {
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
    if children.iter().any(|c| c.kind_name() == "wildcard_import") {
        return None;
    }
    let written: String = node_text(node.child_by_field_name("module_name")?, source)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // Not a package's `__init__` (those are left alone), so a dot is the module's package.
    if absolute_module(&written, module, false)? != old {
        return None;
    }
    // The clauses with their new homes (`None` stays at the old location), in source order.
    let mut clauses: Vec<(Clause<'_>, Option<&String>)> = Vec::new();
    let mut pending: Vec<&str> = Vec::new();
    let mut opening: Option<&str> = None;
    let mut closing: Vec<&str> = Vec::new();
    let mut names_done = false;
    let mut cursor = node.walk();
    let name_ids: Vec<usize> = node
        .children_by_field_name("name", &mut cursor)
        .map(|n| n.id())
        .collect();
    for child in &children {
        if name_ids.contains(&child.id()) {
            let name = match child.kind_name() {
                "aliased_import" => child.child_by_field_name("name").unwrap_or(*child),
                _ => *child,
            };
            let clause = Clause {
                text: node_text(*child, source),
                above: std::mem::take(&mut pending),
                trailing: None,
            };
            clauses.push((clause, moved.get(node_text(name, source))));
        } else if child.kind_name() == "comment" {
            let text = node_text(*child, source);
            let row = child.start_position().row;
            if row == node.start_position().row {
                opening = Some(text);
            } else if let Some((last, _)) = clauses
                .last_mut()
                .filter(|_| !names_done)
                .filter(|(c, _)| c.trailing.is_none())
                .filter(|_| line_has_code_before(source, child.start_byte()))
            {
                last.trailing = Some(text);
            } else {
                pending.push(text);
            }
        } else if child.kind_name() == ")" {
            names_done = true;
            closing.append(&mut pending);
        }
    }
    closing.append(&mut pending);
    if clauses.iter().all(|(_, home)| home.is_none()) {
        return None;
    }
    let statement = node_text(node, source);
    let line_start = source[..node.start_byte()].rfind('\n').map_or(0, |i| i + 1);
    let before = &source[line_start..node.start_byte()];
    let own_line = before.chars().all(|c| c == ' ' || c == '\t');
    let multiline = statement.contains('\n') && own_line;
    let has_comments = opening.is_some()
        || !closing.is_empty()
        || clauses
            .iter()
            .any(|(c, _)| c.trailing.is_some() || !c.above.is_empty());
    if has_comments && !multiline {
        return None;
    }
    // Groups in order of first appearance: the old location first when something stays.
    let mut groups: Vec<(String, Vec<&Clause<'_>>)> = Vec::new();
    for (clause, home) in &clauses {
        let target = match home {
            Some(home) => written_as(&written, old, home)?,
            None => written.clone(),
        };
        match groups.iter_mut().find(|(m, _)| *m == target) {
            Some((_, members)) => members.push(clause),
            None => groups.push((target, vec![clause])),
        }
    }
    groups.sort_by_key(|(m, _)| *m != written);
    let lazy = if statement.starts_with("lazy") {
        "lazy "
    } else {
        ""
    };
    let nl = crate::source::detect_line_ending(source);
    let parenthesized = children.iter().any(|c| c.kind_name() == "(");
    let last = groups.len() - 1;
    let rendered: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(g, (target, members))| {
            if multiline {
                let mut out = format!("{lazy}from {target} import (");
                if let Some(comment) = opening.filter(|_| g == 0) {
                    out.push_str("  ");
                    out.push_str(comment);
                }
                out.push_str(nl);
                for clause in members {
                    for comment in &clause.above {
                        out.push_str(&format!("{before}    {comment}{nl}"));
                    }
                    out.push_str(&format!("{before}    {},", clause.text));
                    if let Some(comment) = clause.trailing {
                        out.push_str("  ");
                        out.push_str(comment);
                    }
                    out.push_str(nl);
                }
                if g == last {
                    for comment in &closing {
                        out.push_str(&format!("{before}    {comment}{nl}"));
                    }
                }
                out.push_str(&format!("{before})"));
                out
            } else {
                let names: Vec<&str> = members.iter().map(|c| c.text).collect();
                if parenthesized {
                    format!("{lazy}from {target} import ({})", names.join(", "))
                } else {
                    format!("{lazy}from {target} import {}", names.join(", "))
                }
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

/// Whether the line holding `offset` has something other than blanks before it.
fn line_has_code_before(source: &str, offset: usize) -> bool {
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    !source[line_start..offset].trim().is_empty()
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
    }

    #[test]
    fn patch_strings_follow_their_readers() {
        let retarget: BTreeMap<String, String> =
            [("a".to_owned(), "pkg.sub.mod_x".to_owned())].into();
        let text = "mock.patch(\"pkg.sub.mod.a\")\nmock.patch('pkg.sub.mod.a')\nmock.patch(\"pkg.sub.mod.ab\")\nmock.patch(\"pkg.sub.mod.d\")\n";
        let (out, changed) = retarget_patch_strings(text, "pkg.sub.mod", &retarget);
        assert_eq!(changed, 2);
        assert_eq!(out, "mock.patch(\"pkg.sub.mod_x.a\")\nmock.patch('pkg.sub.mod_x.a')\nmock.patch(\"pkg.sub.mod.ab\")\nmock.patch(\"pkg.sub.mod.d\")\n");
    }

    #[test]
    fn package_inits_keep_importing_the_module() {
        // Rewritten, `import pkg` would no longer load `pkg.sub.mod`, and `pkg.sub.mod.a` would
        // fail; the module re-exports `a`.
        for (init, package) in [
            ("from .mod import a\n", "pkg.sub"),
            ("from .sub.mod import a\n", "pkg"),
        ] {
            let out = rewrite_importers(init, Some(package), true, "pkg.sub.mod", &homes());
            assert_eq!(out, Ok(None), "{package}");
        }
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
    fn comments_go_with_their_names() {
        let source = "from pkg.sub.mod import (  # noqa: F401\n    # the first\n    a,  # moved\n    keep,  # kept\n    # the end\n)\n";
        assert_eq!(
            text(source, "app"),
            "from pkg.sub.mod import (  # noqa: F401\n    keep,  # kept\n)\nfrom pkg.sub.mod_x import (\n    # the first\n    a,  # moved\n    # the end\n)\n"
        );
        // A comment cannot be placed in a one-line statement: left alone.
        let one_line = "if x: from pkg.sub.mod import (a,  # why\n    keep)\n";
        assert!(rewrite(one_line, "app").is_none());
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
