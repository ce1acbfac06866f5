//! The `lazy-modules` style: a module-level `__lazy_modules__` list (PEP 810), which makes the
//! listed modules' imports lazy on Python 3.15 and changes nothing before it.

use tauten_engine::edits::find_node;
use tauten_engine::semantic::{Import, ImportKind};
use tauten_engine::source::detect_line_ending;
use tauten_engine::syntax::{Field, NodeFields, NodeKind};
use tauten_engine::{Context, Edit, TextRange};

/// The module's `__lazy_modules__`, when it assigns one at module level.
pub struct Declared {
    /// The module names listed, when all its items are string literals.
    pub names: Option<Vec<String>>,
    /// Where its statement starts: it makes lazy only the imports after it.
    pub start: usize,
    /// Where a new item goes (before the closing bracket), and whether the list is empty.
    insert_at: usize,
    empty: bool,
}

/// The module's `__lazy_modules__ = [...]` (or a set or tuple), read from its syntax.
pub fn declared(ctx: &Context<'_>) -> Option<Declared> {
    let root = ctx.tree.root_node();
    let mut cursor = root.walk();
    let found = root.named_children(&mut cursor).find_map(|statement| {
        let assignment = (statement.kind_name() == "expression_statement")
            .then(|| statement.named_child(0))
            .flatten()
            .filter(|a| a.kind_name() == "assignment")?;
        let left = assignment.field(Field::Left)?;
        (left.utf8_text(ctx.source.as_bytes()).ok()? == "__lazy_modules__")
            .then(|| (statement, assignment.field(Field::Right)))
    });
    let (statement, value) = found?;
    let value = value?;
    if !matches!(value.kind_name(), "list" | "set" | "tuple") {
        return Some(Declared {
            names: None,
            start: statement.start_byte(),
            insert_at: 0,
            empty: false,
        });
    }
    let mut items = value.walk();
    let mut names = Some(Vec::new());
    let mut count = 0;
    for item in value.named_children(&mut items) {
        count += 1;
        let text = item.utf8_text(ctx.source.as_bytes()).unwrap_or_default();
        let plain = item.kind_name() == "string"
            && (text.starts_with('"') || text.starts_with('\''))
            && !text.starts_with("\"\"\"")
            && !text.starts_with("'''");
        match (&mut names, plain) {
            (Some(list), true) => list.push(text[1..text.len() - 1].to_owned()),
            _ => names = None,
        }
    }
    Some(Declared {
        names,
        start: statement.start_byte(),
        insert_at: value.end_byte() - 1,
        empty: count == 0,
    })
}

/// The name PEP 810 looks up in `__lazy_modules__` for this import: the module of `import a.b`,
/// the module after `from` of a `from` import, made absolute. `None` when it cannot be made
/// absolute, or names the importing module or one of its packages (imported already).
pub fn listed_name(ctx: &Context<'_>, import: &Import) -> Option<String> {
    let written = match import.kind {
        ImportKind::Import => import.qualified_name(),
        _ => import.module.clone(),
    };
    let name = ctx.module.absolute(&written)?;
    let importer = ctx.module.name.as_deref().unwrap_or_default();
    let loaded = importer == name
        || importer
            .strip_prefix(name.as_str())
            .is_some_and(|rest| rest.starts_with('.'));
    (!loaded).then_some(name)
}

/// True when `name` is listed in a `__lazy_modules__` that comes before `statement`.
pub fn is_listed(declared: Option<&Declared>, name: &str, statement: TextRange) -> bool {
    declared.is_some_and(|d| {
        d.start < statement.start
            && d.names
                .as_ref()
                .is_some_and(|n| n.iter().any(|m| m == name))
    })
}

/// The edit listing `name`: a new item of the module's `__lazy_modules__` when it comes before
/// `statement`, else a new `__lazy_modules__` before the module's first import (after its
/// docstring and `from __future__` imports). `None` when the existing one cannot be extended.
pub fn list_fix(
    ctx: &Context<'_>,
    declared: Option<&Declared>,
    name: &str,
    statement: TextRange,
) -> Option<Vec<Edit>> {
    let quoted = format!("\"{name}\"");
    if let Some(declared) = declared {
        if declared.names.is_none() || declared.start > statement.start {
            return None;
        }
        let item = if declared.empty {
            quoted
        } else {
            format!(", {quoted}")
        };
        return Some(vec![Edit::insertion(declared.insert_at, item)]);
    }
    let root = ctx.tree.root_node();
    let mut cursor = root.walk();
    let first_import = root
        .named_children(&mut cursor)
        .find(|s| matches!(s.kind_name(), "import_statement" | "import_from_statement"))?;
    find_node(ctx.tree, statement)?;
    let newline = detect_line_ending(ctx.source);
    let lines = ctx.lines();
    let line_start = lines.line_start(lines.line_of(first_import.start_byte()));
    Some(vec![Edit::insertion(
        line_start,
        format!("__lazy_modules__ = [{quoted}]{newline}"),
    )])
}
