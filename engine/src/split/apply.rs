//! Writing a plan out as text: the new modules with the imports they need, and what stays with
//! re-exports of everything moved. Pure: the caller writes the files.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::graph::{strongly_connected, Graph, UnitKind};
use super::plan::{Assignment, Plan};
use crate::semantic::{BindingFlags, BindingId, ImportKind, RefFlags, SemanticModel};

/// The texts a split produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// New modules: (file stem, text), in plan order.
    pub files: Vec<(String, String)>,
    /// The original module's new text.
    pub original: String,
    /// Every name moved out (re-exported by the original module), sorted.
    pub moved: Vec<String>,
    /// Each moved name's new module (a file stem of `files`).
    pub homes: BTreeMap<String, String>,
}

/// Where the new modules go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Next to the original (`pkg/<stem>_<word>.py`); `in_package`: they import each other
    /// relatively.
    Siblings { in_package: bool },
    /// Into a package replacing the original (`pkg/<stem>/<word>.py`, the rest in
    /// `pkg/<stem>/__init__.py`). The source's relative imports must already be one level deeper
    /// (`package::deepen_relative_imports`).
    Package,
}

/// Map an (edited) plan to the units it moves, checking it can be applied.
pub fn assignment_from_plan(graph: &Graph, plan: &Plan) -> Result<Assignment, String> {
    let stay = super::plan::stays(graph);
    let mut assignment: Assignment = vec![None; graph.units.len()];
    let mut seen_names = BTreeSet::new();
    for (p, part) in plan.parts.iter().enumerate() {
        if !is_identifier(&part.name) {
            return Err(format!("`{}` is not a valid module name", part.name));
        }
        if part.name == plan.module || plan.parts[..p].iter().any(|q| q.name == part.name) {
            return Err(format!("the module name `{}` is used twice", part.name));
        }
        for name in &part.statements {
            let Some(units) = graph.binders.get(name) else {
                return Err(format!("no top-level statement binds `{name}`"));
            };
            for &u in units {
                if stay[u] {
                    return Err(format!(
                        "`{name}` (line {}) must stay in {}: module-level code needs it at run time, or it is not a definition",
                        graph.units[u].line, plan.module
                    ));
                }
                if let Some(other) = assignment[u] {
                    if other != p {
                        return Err(format!(
                            "`{name}` is listed in both {} and {}",
                            plan.parts[other].name, part.name
                        ));
                    }
                }
                assignment[u] = Some(p);
            }
            seen_names.insert(name.clone());
        }
    }
    // Statements that read each other at run time must stay together.
    for (&(from, to), w) in &graph.edges {
        if w.runtime > 0 && assignment[from].is_some() && assignment[to].is_none() && !stay[to] {
            // Fine: the part imports it from the original module? No: that would be a cycle.
            return Err(format!(
                "`{}` needs `{}` at run time, which stays in {}: move it too",
                graph.units[from].names[0], graph.units[to].names[0], plan.module
            ));
        }
    }
    Ok(assignment)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// One import binding, as a line of its own statement kind.
fn import_clause(model: &SemanticModel, id: BindingId) -> Option<(String, Option<String>)> {
    let import = model.binding(id).as_import()?;
    match import.kind {
        ImportKind::Import | ImportKind::SubmoduleImport => {
            let text = match &import.alias {
                Some(alias) => format!("import {} as {alias}", import.module),
                None => format!("import {}", import.module),
            };
            Some((text, None))
        }
        ImportKind::FromImport => {
            let member = import.member.as_deref()?;
            let clause = match &import.alias {
                Some(alias) => format!("{member} as {alias}"),
                None => member.to_owned(),
            };
            Some((clause, Some(import.module.clone())))
        }
        ImportKind::Future => None,
    }
}

/// Import lines for `bindings`, grouped by statement in source order.
fn render_imports(
    model: &SemanticModel,
    bindings: &BTreeSet<BindingId>,
    indent: &str,
    nl: &str,
) -> String {
    // statement start -> (from module, clauses) or plain import lines.
    type Clauses = Vec<(usize, String)>;
    let mut by_statement: BTreeMap<(usize, Option<String>), Clauses> = BTreeMap::new();
    for &id in bindings {
        let Some(import) = model.binding(id).as_import() else {
            continue;
        };
        if let Some((clause, module)) = import_clause(model, id) {
            by_statement
                .entry((import.statement.start, module))
                .or_default()
                .push((import.clause.start, clause));
        }
    }
    let mut out = String::new();
    for ((_, module), mut clauses) in by_statement {
        clauses.sort();
        clauses.dedup();
        match module {
            Some(module) => {
                let names: Vec<&str> = clauses.iter().map(|(_, c)| c.as_str()).collect();
                let _ = write!(out, "{indent}from {module} import {}{nl}", names.join(", "));
            }
            None => {
                for (_, line) in clauses {
                    let _ = write!(out, "{indent}{line}{nl}");
                }
            }
        }
    }
    out
}

/// The new modules and the new text of the original, for `plan` as `assignment` places units.
/// `layout`: where the new modules go.
pub fn apply(
    source: &str,
    tree: &tree_sitter::Tree,
    graph: &Graph,
    model: &SemanticModel,
    plan: &Plan,
    assignment: &Assignment,
    layout: Layout,
) -> Result<Applied, String> {
    let nl = crate::source::detect_line_ending(source);
    let parts = plan.parts.len();
    let output_of = |u: usize| assignment[u];
    let mut moved_by_part: Vec<BTreeSet<String>> = vec![BTreeSet::new(); parts];
    for (u, unit) in graph.units.iter().enumerate() {
        if let Some(p) = output_of(u) {
            moved_by_part[p].extend(unit.names.iter().cloned());
        }
    }
    // File stems of the parts, and how the outputs name each other in imports. In a package a
    // part's name must not hide what `__init__` uses, nor another part's re-exported name.
    let stems: Vec<String> = match layout {
        Layout::Siblings { .. } => plan.parts.iter().map(|p| p.name.clone()).collect(),
        Layout::Package => {
            let mut staying = vec![crate::text::TextRange::new(0, graph.header_end)];
            staying.extend(
                graph
                    .units
                    .iter()
                    .enumerate()
                    .filter(|(u, _)| output_of(*u).is_none())
                    .map(|(_, unit)| unit.chunk),
            );
            let used = super::package::identifiers_in(tree, source, &staying);
            plan.parts
                .iter()
                .enumerate()
                .map(|(p, part)| {
                    let mut avoid = used.clone();
                    for (q, names) in moved_by_part.iter().enumerate() {
                        if q != p {
                            avoid.extend(names.iter().cloned());
                        }
                    }
                    super::package::part_file_name(&plan.module, &part.name, &avoid)
                })
                .collect()
        }
    };
    if let Some(twice) = stems
        .iter()
        .enumerate()
        .find(|(i, s)| stems[..*i].contains(s))
    {
        return Err(format!("two parts would both be {}.py", twice.1));
    }
    let from_module = |name: &str| match layout {
        Layout::Siblings { in_package: true } => format!(".{name}"),
        Layout::Siblings { in_package: false } => name.to_owned(),
        Layout::Package if name == plan.module => ".".to_owned(),
        Layout::Package => format!(".{name}"),
    };
    // What each part needs: imports, guarded blocks, names of other outputs.
    let mut imports: Vec<BTreeSet<BindingId>> = vec![BTreeSet::new(); parts];
    let mut guarded: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); parts];
    for (u, unit) in graph.units.iter().enumerate() {
        let Some(p) = output_of(u) else { continue };
        for &binding in unit.imports.keys() {
            imports[p].insert(binding);
            // `import a.b` and `import a.c` both bind `a`: take every one.
            let b = model.binding(binding);
            if let Some(import) = b.as_import() {
                if matches!(
                    import.kind,
                    ImportKind::Import | ImportKind::SubmoduleImport
                ) {
                    for &other in &model.scope(SemanticModel::MODULE).bindings {
                        let o = model.binding(other);
                        if o.name == b.name
                            && o.as_import().is_some_and(|i| {
                                matches!(i.kind, ImportKind::Import | ImportKind::SubmoduleImport)
                            })
                            && o.flags.has(BindingFlags::TYPE_CHECKING)
                                == b.flags.has(BindingFlags::TYPE_CHECKING)
                            && !o.flags.has(BindingFlags::GUARDED_IMPORT)
                        {
                            imports[p].insert(other);
                        }
                    }
                }
            }
        }
        guarded[p].extend(unit.guarded.iter().copied());
    }
    // (needing part, providing output) -> name -> read at run time.
    let mut needs: BTreeMap<(usize, Option<usize>), BTreeMap<String, bool>> = BTreeMap::new();
    let unit_at = |offset: usize| -> Option<usize> {
        let i = graph.units.partition_point(|u| u.range.start <= offset);
        (i > 0 && graph.units[i - 1].range.end >= offset).then(|| i - 1)
    };
    for reference in &model.references {
        if reference.flags.has(RefFlags::DUNDER_ALL) {
            continue;
        }
        let Some(binding) = reference.binding else {
            continue;
        };
        let binding = model.binding(binding);
        if binding.scope != SemanticModel::MODULE || binding.as_import().is_some() {
            continue;
        }
        let Some(from) = unit_at(reference.range.start) else {
            continue;
        };
        let Some(p) = output_of(from) else { continue };
        let Some(binders) = graph.binders.get(&binding.name) else {
            continue;
        };
        if binders.contains(&from) {
            continue;
        }
        let Some(&provider) = binders
            .iter()
            .find(|&&b| graph.units[b].kind != UnitKind::GuardedImport)
        else {
            continue;
        };
        let q = output_of(provider);
        if q == Some(p) {
            continue;
        }
        let entry = needs
            .entry((p, q))
            .or_default()
            .entry(binding.name.clone())
            .or_insert(false);
        *entry |= reference.flags.is_runtime();
    }
    // No part may need the original at run time, and parts must not import each other in a cycle.
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); parts];
    for (&(p, q), names) in &needs {
        let runtime: Vec<&String> = names.iter().filter(|(_, r)| **r).map(|(n, _)| n).collect();
        if runtime.is_empty() {
            continue;
        }
        match q {
            None => {
                return Err(format!(
                    "{} would need {} from {} at run time (a circular import)",
                    plan.parts[p].name,
                    runtime
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    plan.module
                ));
            }
            Some(q) => succ[p].push(q),
        }
    }
    for component in strongly_connected(parts, &succ) {
        if component.len() > 1 {
            let names: Vec<&str> = component
                .iter()
                .map(|&p| plan.parts[p].name.as_str())
                .collect();
            return Err(format!(
                "{} would import each other at run time (a circular import)",
                names.join(", ")
            ));
        }
    }
    let futures: Vec<&str> = graph
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Future)
        .map(|u| &source[u.range.start..u.range.end])
        .collect();
    let mut files = Vec::with_capacity(parts);
    for (p, stem) in stems.iter().enumerate() {
        let mut text = String::new();
        let _ = write!(
            text,
            "# Moved out of {}.py by `tauten split`.{nl}",
            plan.module
        );
        for future in &futures {
            let _ = write!(text, "{future}{nl}");
        }
        let (checking, runtime): (BTreeSet<BindingId>, BTreeSet<BindingId>) = imports[p]
            .iter()
            .partition(|&&b| model.binding(b).flags.has(BindingFlags::TYPE_CHECKING));
        text.push_str(&render_imports(model, &runtime, "", nl));
        for &g in &guarded[p] {
            let r = graph.units[g].range;
            let _ = write!(text, "{}{nl}", &source[r.start..r.end]);
        }
        for star in &graph.star_imports {
            let _ = write!(text, "{}{nl}", &source[star.start..star.end]);
        }
        let mut typing_lines = render_imports(model, &checking, "    ", nl);
        for q in (0..parts).map(Some).chain([None]) {
            let Some(names) = needs.get(&(p, q)) else {
                continue;
            };
            let module = match q {
                Some(q) => from_module(&stems[q]),
                None => from_module(&plan.module),
            };
            let run: Vec<&str> = names
                .iter()
                .filter(|(_, r)| **r)
                .map(|(n, _)| n.as_str())
                .collect();
            let typing: Vec<&str> = names
                .iter()
                .filter(|(_, r)| !**r)
                .map(|(n, _)| n.as_str())
                .collect();
            if !run.is_empty() {
                let _ = write!(text, "from {module} import {}{nl}", run.join(", "));
            }
            if !typing.is_empty() {
                let _ = write!(
                    typing_lines,
                    "    from {module} import {}{nl}",
                    typing.join(", ")
                );
            }
        }
        if !typing_lines.is_empty() {
            let has_flag = runtime
                .iter()
                .any(|&b| model.binding(b).name == "TYPE_CHECKING");
            if !has_flag {
                let _ = write!(text, "from typing import TYPE_CHECKING{nl}");
            }
            let _ = write!(text, "{nl}if TYPE_CHECKING:{nl}{typing_lines}");
        }
        let mut previous_def = true;
        for (u, unit) in graph.units.iter().enumerate() {
            if output_of(u) != Some(p) {
                continue;
            }
            let chunk = source[unit.chunk.start..unit.chunk.end].trim_end();
            let chunk = chunk.trim_start_matches(['\n', '\r']);
            let is_def = unit.what != "assignment";
            text.push_str(nl);
            if is_def || previous_def {
                text.push_str(nl);
            }
            text.push_str(chunk);
            text.push_str(nl);
            previous_def = is_def;
        }
        files.push((stem.clone(), text));
    }
    // The original: what stays, with re-exports before the first statement that is not an import.
    let mut reexports = String::new();
    for (p, names) in moved_by_part.iter().enumerate() {
        if names.is_empty() {
            continue;
        }
        let _ = write!(
            reexports,
            "from {} import (  # moved by `tauten split`{nl}",
            from_module(&stems[p])
        );
        for name in names {
            let _ = write!(reexports, "    {name} as {name},{nl}");
        }
        let _ = write!(reexports, "){nl}");
    }
    // Imports only moved statements used leave the original (unless `__all__` lists them).
    let mut removals: BTreeMap<crate::text::TextRange, Vec<crate::text::TextRange>> =
        BTreeMap::new();
    for &id in &model.scope(SemanticModel::MODULE).bindings {
        let binding = model.binding(id);
        let Some(import) = binding.as_import() else {
            continue;
        };
        if binding.references.is_empty()
            || import.kind == ImportKind::Future
            || import.is_redundant_alias()
            || binding
                .flags
                .has(BindingFlags::GUARDED_IMPORT | BindingFlags::EXPORTED)
        {
            continue;
        }
        let still_used = binding.references.iter().any(|&r| {
            let reference = model.reference(r);
            reference.flags.has(RefFlags::DUNDER_ALL)
                || unit_at(reference.range.start).is_none_or(|u| output_of(u).is_none())
        });
        let in_import_unit = unit_at(import.statement.start).is_some_and(|u| {
            matches!(
                graph.units[u].kind,
                UnitKind::Import | UnitKind::TypeChecking
            )
        });
        // Without `__all__`, `from module import *` exports public imported names too.
        let star_exported = model.dunder_all.is_empty() && !binding.name.starts_with('_');
        if !still_used && in_import_unit && !star_exported {
            removals
                .entry(import.statement)
                .or_default()
                .push(import.clause);
        }
    }
    let mut edits: Vec<crate::diagnostic::Edit> = Vec::new();
    for (statement, clauses) in &removals {
        if let Some(found) = crate::edits::remove_import_clauses(tree, source, *statement, clauses)
        {
            edits.extend(found);
        }
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let edited_chunk = |chunk: crate::text::TextRange| -> String {
        let mut text = String::new();
        let mut at = chunk.start;
        for edit in edits
            .iter()
            .filter(|e| chunk.start <= e.range.start && e.range.end <= chunk.end)
        {
            if edit.range.start < at {
                continue;
            }
            text.push_str(&source[at..edit.range.start]);
            text.push_str(&edit.content);
            at = edit.range.end;
        }
        text.push_str(&source[at..chunk.end]);
        text
    };
    let mut original = String::with_capacity(source.len());
    original.push_str(&source[..graph.header_end]);
    let mut inserted = reexports.is_empty();
    for (u, unit) in graph.units.iter().enumerate() {
        if output_of(u).is_some() {
            continue;
        }
        let leading = matches!(
            unit.kind,
            UnitKind::Docstring
                | UnitKind::Future
                | UnitKind::Import
                | UnitKind::TypeChecking
                | UnitKind::GuardedImport
        );
        if !inserted && !leading {
            original.push_str(&reexports);
            original.push_str(nl);
            original.push_str(nl);
            inserted = true;
        }
        original.push_str(&edited_chunk(unit.chunk));
    }
    if !inserted {
        if !original.is_empty() && !original.ends_with(['\n', '\r']) {
            original.push_str(nl);
        }
        original.push_str(nl);
        original.push_str(&reexports);
    }
    // Nothing lost, nothing doubled: every statement is in exactly one output, verbatim.
    for (u, unit) in graph.units.iter().enumerate() {
        let statement = &source[unit.range.start..unit.range.end];
        let holder = match output_of(u) {
            Some(p) => &files[p].1,
            None => &original,
        };
        if !holder.contains(statement)
            && !matches!(unit.kind, UnitKind::Import | UnitKind::TypeChecking)
        {
            return Err(format!(
                "internal error: the statement at line {} was lost",
                unit.line
            ));
        }
    }
    let kept: usize = graph
        .units
        .iter()
        .enumerate()
        .filter(|(u, _)| output_of(*u).is_none())
        .map(|(_, unit)| unit.chunk.len())
        .sum();
    let moved: usize = graph
        .units
        .iter()
        .enumerate()
        .filter(|(u, _)| output_of(*u).is_some())
        .map(|(_, unit)| unit.chunk.len())
        .sum();
    if graph.header_end + kept + moved != source.len() {
        return Err("internal error: the statements do not add up to the module".into());
    }
    for (name, text) in files
        .iter()
        .chain([&(plan.module.clone(), original.clone())])
    {
        let parsed = crate::parse::parse(text, None);
        if parsed.has_errors() {
            return Err(format!("internal error: {name}.py would not parse"));
        }
    }
    let homes: BTreeMap<String, String> = moved_by_part
        .iter()
        .enumerate()
        .flat_map(|(p, names)| names.iter().map(move |n| (n.clone(), p)))
        .map(|(n, p)| (n, stems[p].clone()))
        .collect();
    let moved: Vec<String> = homes.keys().cloned().collect();
    Ok(Applied {
        files,
        original,
        moved,
        homes,
    })
}

/// Patches in `text` of `module.name` for one of `names` (sorted): strings naming it
/// (`mock.patch("pkg.mod.name")`, `monkeypatch.setattr("pkg.mod.name", ...)`), and the module
/// object with the name as a string (`monkeypatch.setattr(pkg.mod, "name", ...)`,
/// `mock.patch.object(mod, "name")`, where `mod` is bound by `import pkg.mod as mod` or `from pkg
/// import mod`). Returns (1-based line, the dotted target).
pub fn patch_targets(text: &str, module: &str, names: &[String]) -> Vec<(usize, String)> {
    let mut out = dotted_patch_targets(text, module, names);
    out.extend(object_patch_targets(text, module, names));
    out.sort();
    out.dedup();
    out
}

/// The module object's patches: `setattr(<module>, "name"` and `.object(<module>, "name"`.
fn object_patch_targets(text: &str, module: &str, names: &[String]) -> Vec<(usize, String)> {
    let mut spellings = vec![module.to_owned()];
    if let Some((package, last)) = module.rsplit_once('.') {
        if text.contains(&format!("from {package} import {last}")) {
            spellings.push(last.to_owned());
        }
    }
    let alias_import = format!("import {module} as ");
    for (at, _) in text.match_indices(&alias_import) {
        let alias: String = (text[at + alias_import.len()..].chars())
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        spellings.push(alias);
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for opener in ["setattr(", ".object("] {
            for (at, _) in line.match_indices(opener) {
                let arguments = &line[at + opener.len()..];
                let Some((object, rest)) = arguments.split_once(',') else {
                    continue;
                };
                if !spellings.iter().any(|s| s == object.trim()) {
                    continue;
                }
                let rest = rest.trim_start();
                let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
                    continue;
                };
                let name = rest[1..].split(quote).next().unwrap_or_default();
                if names.binary_search_by(|n| n.as_str().cmp(name)).is_ok() {
                    out.push((i + 1, format!("{module}.{name}")));
                }
            }
        }
    }
    out
}

/// Strings naming `module.name` (`mock.patch("pkg.mod.name")`).
fn dotted_patch_targets(text: &str, module: &str, moved: &[String]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let prefix = format!("{module}.");
    for (i, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(found) = line[from..].find(&prefix) {
            let start = from + found;
            from = start + prefix.len();
            let before = line[..start].chars().next_back();
            if !matches!(before, Some('"' | '\'')) {
                continue;
            }
            let rest = &line[start + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if moved.binary_search(&name).is_ok() {
                out.push((i + 1, format!("{prefix}{name}")));
            }
        }
    }
    out
}
