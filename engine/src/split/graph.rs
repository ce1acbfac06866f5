//! The graph of a module's top-level statements: which statement reads names another binds.

use crate::syntax::NodeKind;
use std::collections::{BTreeMap, BTreeSet};

use tree_sitter::{Node, Tree};

use crate::semantic::{BindingId, BindingKind, RefFlags, SemanticModel};
use crate::text::{LineIndex, TextRange};

/// What a top-level statement is, for the split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// The module docstring: stays.
    Docstring,
    /// `from __future__ import ...`: copied into every new module.
    Future,
    /// An import statement: not a node; each new module gets the imports it needs.
    Import,
    /// `if TYPE_CHECKING:` (its imports are regenerated where needed).
    TypeChecking,
    /// A `try` block that only imports (with fallbacks): copied where its names are needed.
    GuardedImport,
    /// A definition or a simple assignment: may move.
    Movable,
    /// Module-level code with effects (calls, `if __name__ == "__main__":`, `__all__`...), or a
    /// statement that must stay with such code: stays in the original module.
    Pinned,
}

/// One top-level statement (or several sharing a line).
#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: UnitKind,
    /// The statement(s).
    pub range: TextRange,
    /// The statement with the comment lines right above it, up to the next unit's chunk.
    pub chunk: TextRange,
    /// Module-level names it binds (imports excluded), sorted and unique.
    pub names: Vec<String>,
    /// Lines of its chunk.
    pub lines: usize,
    /// Its first line (1-based).
    pub line: usize,
    /// `class`, `def` or `assignment`.
    pub what: &'static str,
    /// Import bindings it reads: binding -> read at run time.
    pub imports: BTreeMap<BindingId, bool>,
    /// Guarded import blocks (unit indices) whose names it reads.
    pub guarded: BTreeSet<usize>,
}

/// References from one unit to names another binds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EdgeWeight {
    pub runtime: u32,
    pub typing: u32,
}

impl EdgeWeight {
    pub fn total(self) -> u32 {
        self.runtime + self.typing
    }
}

#[derive(Debug, Clone)]
pub struct Graph {
    pub units: Vec<Unit>,
    /// (from, to) -> how many references, run time and typing-only.
    pub edges: BTreeMap<(usize, usize), EdgeWeight>,
    /// Units binding each module-level name.
    pub binders: BTreeMap<String, Vec<usize>>,
    /// Where the first unit's chunk starts: before it, the module's leading comments.
    pub header_end: usize,
    pub total_lines: usize,
    /// Star-import statements (copied into every new module).
    pub star_imports: Vec<TextRange>,
    /// Names functions assign with `global`, sorted.
    pub global_names: Vec<String>,
    /// Groups of units that must end up in one module ([`Graph::keep_readers_together`]).
    pub together: Vec<Vec<usize>>,
}

impl Graph {
    /// The units that read each of `names` at run time: one group each, so that they all stay
    /// or all move to one part. A patch of `module.name` (`mock.patch("pkg.mod.name")`) then
    /// still reaches every reader, at the module they are in.
    pub fn keep_readers_together(&mut self, names: &[String]) {
        for name in names {
            let readers = self.readers_of(name);
            if readers.len() > 1 {
                self.together.push(readers);
            }
        }
    }

    /// The units that read `name` at run time, sorted.
    pub fn readers_of(&self, name: &str) -> Vec<usize> {
        let Some(binders) = self.binders.get(name) else {
            return Vec::new();
        };
        let mut readers: Vec<usize> = (self.edges.iter())
            .filter(|((_, to), w)| w.runtime > 0 && binders.contains(to))
            .map(|((from, _), _)| *from)
            .collect();
        readers.sort_unstable();
        readers.dedup();
        readers
    }
}

/// Names whose use ties a statement to its module's identity.
const MODULE_IDENTITY_NAMES: &[&str] = &[
    "__name__",
    "__file__",
    "__spec__",
    "__package__",
    "__path__",
    "__loader__",
    "__doc__",
    "__builtins__",
    "globals",
];

/// Module attributes Python, tools or importers look for by name in this very module.
fn is_module_dunder(name: &str) -> bool {
    matches!(
        name,
        "__all__"
            | "__getattr__"
            | "__dir__"
            | "__path__"
            | "__doc__"
            | "__file__"
            | "__name__"
            | "__spec__"
            | "__loader__"
            | "__package__"
            | "__builtins__"
            | "__annotations__"
            | "__version__"
    )
}

/// How many lines `range` touches (at least one).
fn lines_spanned(lines: &LineIndex, range: TextRange) -> usize {
    if range.is_empty() {
        return 1;
    }
    lines.line_of(range.end - 1) - lines.line_of(range.start) + 1
}

/// Build the graph of `tree`'s top-level statements.
pub fn build(source: &str, tree: &Tree, model: &SemanticModel) -> Graph {
    build_with_lines(source, tree, model, &LineIndex::new(source))
}

/// [`build`], given the line index of `source`.
pub fn build_with_lines(
    source: &str,
    tree: &Tree,
    model: &SemanticModel,
    lines: &LineIndex,
) -> Graph {
    let root = tree.root_node();
    let mut cursor = root.walk();
    let nodes: Vec<Node<'_>> = root
        .named_children(&mut cursor)
        .filter(|n| n.kind_name() != "comment")
        .collect();
    // Group statements sharing a line (`a = 1; b = 2`).
    let mut groups: Vec<Vec<Node<'_>>> = Vec::new();
    for node in nodes {
        match groups.last_mut() {
            Some(group)
                if lines.line_of(group.last().unwrap().end_byte())
                    == lines.line_of(node.start_byte()) =>
            {
                group.push(node);
            }
            _ => groups.push(vec![node]),
        }
    }
    // Chunk starts: the statement's line, or the first of the comment lines right above it.
    let mut starts = Vec::with_capacity(groups.len());
    let mut previous_end_line: Option<usize> = None;
    for group in &groups {
        let first = group[0];
        let mut line = lines.line_of(first.start_byte());
        while line > 0 && previous_end_line.is_none_or(|end| line - 1 > end) {
            let text = lines.line_range(line - 1, source);
            let text = source[text.start..text.end].trim();
            if text.starts_with('#') {
                line -= 1;
            } else {
                break;
            }
        }
        starts.push(lines.line_start(line));
        previous_end_line = Some(lines.line_of(group.last().unwrap().end_byte()));
    }
    let header_end = starts.first().copied().unwrap_or(source.len());
    let mut units = Vec::with_capacity(groups.len());
    let mut star_imports = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        let range = TextRange::new(group[0].start_byte(), group.last().unwrap().end_byte());
        let chunk_end = starts.get(i + 1).copied().unwrap_or(source.len());
        let chunk = TextRange::new(starts[i], chunk_end);
        let kinds: Vec<&str> = group.iter().map(|n| n.kind_name()).collect();
        let (kind, what) = classify(i, group, source, model);
        if kinds.contains(&"import_from_statement") {
            for node in group {
                if node.kind_name() == "import_from_statement" {
                    let mut c = node.walk();
                    if node
                        .named_children(&mut c)
                        .any(|n| n.kind_name() == "wildcard_import")
                    {
                        star_imports.push(TextRange::of_node(*node));
                    }
                }
            }
        }
        units.push(Unit {
            kind,
            range,
            chunk,
            names: Vec::new(),
            lines: lines_spanned(lines, chunk),
            line: lines.line_of(range.start) + 1,
            what,
            imports: BTreeMap::new(),
            guarded: BTreeSet::new(),
        });
    }
    // Side effects keep their order: after the first module-level code that stays, an assignment
    // that runs code (a call, an operator) stays too.
    if let Some(first_code) = units.iter().position(|u| u.kind == UnitKind::Pinned) {
        for (i, group) in groups.iter().enumerate().skip(first_code + 1) {
            if units[i].kind == UnitKind::Movable
                && units[i].what == "assignment"
                && group.iter().any(|n| runs_code(*n))
            {
                units[i].kind = UnitKind::Pinned;
            }
        }
    }
    let spans: Vec<TextRange> = units.iter().map(|u: &Unit| u.range).collect();
    let unit_at = |offset: usize| -> Option<usize> {
        let i = spans.partition_point(|r| r.start <= offset);
        (i > 0 && spans[i - 1].end >= offset).then(|| i - 1)
    };
    // Names bound at module level, and names functions declare `global` and assign.
    let mut binders: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut global_writers: BTreeSet<usize> = BTreeSet::new();
    for binding in &model.bindings {
        let module_level = binding.scope == SemanticModel::MODULE;
        // `global x` (or `nonlocal x`: the flag is the same) names a module global only when the
        // module binds `x` itself.
        let global = !module_level
            && binding.flags.has(crate::semantic::BindingFlags::GLOBAL)
            && model.lookup(SemanticModel::MODULE, &binding.name).is_some();
        if !(module_level || global) || binding.as_import().is_some() {
            continue;
        }
        if matches!(binding.kind, BindingKind::Global | BindingKind::Nonlocal) {
            continue;
        }
        let Some(unit) = unit_at(binding.range.start) else {
            continue;
        };
        if global {
            global_writers.insert(unit);
        }
        let list = binders.entry(binding.name.clone()).or_default();
        if !list.contains(&unit) {
            list.push(unit);
        }
    }
    for (name, list) in &mut binders {
        list.sort_unstable();
        for &u in list.iter() {
            units[u].names.push(name.clone());
        }
    }
    for unit in &mut units {
        unit.names.sort();
        unit.names.dedup();
        if unit.kind == UnitKind::Movable
            && (unit.names.is_empty() || unit.names.iter().any(|n| is_module_dunder(n)))
        {
            unit.kind = UnitKind::Pinned;
        }
    }
    // A function assigning a module global (`global x`) moves with every statement binding `x`
    // (they share the name); the planner notes that re-exports of `x` will not see later writes.
    let _ = &global_writers;
    // References.
    let mut edges: BTreeMap<(usize, usize), EdgeWeight> = BTreeMap::new();
    for reference in &model.references {
        if reference.flags.has(RefFlags::DUNDER_ALL) {
            continue;
        }
        let Some(from) = unit_at(reference.range.start) else {
            continue;
        };
        let runtime = reference.flags.is_runtime();
        let Some(binding_id) = reference.binding else {
            if MODULE_IDENTITY_NAMES.contains(&model.name(reference.name))
                && units[from].kind == UnitKind::Movable
            {
                units[from].kind = UnitKind::Pinned;
            }
            continue;
        };
        let binding = model.binding(binding_id);
        if binding.scope != SemanticModel::MODULE {
            continue;
        }
        if binding.as_import().is_some() {
            let Some(owner) = unit_at(binding.range.start) else {
                continue;
            };
            if owner == from {
                continue;
            }
            let entry = units[from].imports.entry(binding_id).or_insert(false);
            *entry |= runtime;
            continue;
        }
        let Some(targets) = binders.get(&binding.name) else {
            continue;
        };
        for &to in targets {
            if to == from {
                continue;
            }
            let weight = edges.entry((from, to)).or_default();
            if runtime {
                weight.runtime += 1;
            } else {
                weight.typing += 1;
            }
        }
    }
    // A `try` that only imports (and assigns fallbacks) and reads nothing of the module at run
    // time is copied where needed; otherwise it stays, and so does what needs it.
    for (i, unit) in units.iter_mut().enumerate() {
        if unit.kind != UnitKind::GuardedImport {
            continue;
        }
        let reads_module = edges.range((i, 0)..(i + 1, 0)).any(|(_, w)| w.runtime > 0);
        if reads_module {
            unit.kind = UnitKind::Pinned;
        }
    }
    // Imports made in guarded blocks are needs of the block, not of the import binding.
    let guarded_of: Vec<(usize, TextRange)> = units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.kind == UnitKind::GuardedImport)
        .map(|(i, u)| (i, u.range))
        .collect();
    for unit in &mut units {
        let mut keep = BTreeMap::new();
        for (binding, runtime) in std::mem::take(&mut unit.imports) {
            let at = model.binding(binding).range.start;
            match guarded_of
                .iter()
                .find(|(_, r)| r.start <= at && at <= r.end)
            {
                Some((g, _)) => {
                    unit.guarded.insert(*g);
                }
                None => {
                    keep.insert(binding, runtime);
                }
            }
        }
        unit.imports = keep;
    }
    // Edges to guarded blocks' fallback names become copies of the block too.
    let mut to_remove = Vec::new();
    for &(from, to) in edges.keys() {
        if units[to].kind == UnitKind::GuardedImport {
            to_remove.push((from, to));
        }
    }
    for (from, to) in to_remove {
        edges.remove(&(from, to));
        if from != to {
            units[from].guarded.insert(to);
        }
    }
    let mut global_names: Vec<String> = model
        .bindings
        .iter()
        .filter(|b| {
            b.scope != SemanticModel::MODULE && b.flags.has(crate::semantic::BindingFlags::GLOBAL)
        })
        .filter(|b| !matches!(b.kind, BindingKind::Global | BindingKind::Nonlocal))
        .filter(|b| model.lookup(SemanticModel::MODULE, &b.name).is_some())
        .map(|b| b.name.clone())
        .collect();
    global_names.sort();
    global_names.dedup();
    Graph {
        global_names,
        total_lines: super::lines_in(lines, source),
        units,
        edges,
        binders,
        header_end,
        star_imports,
        together: Vec::new(),
    }
}

fn classify(
    index: usize,
    group: &[Node<'_>],
    source: &str,
    model: &SemanticModel,
) -> (UnitKind, &'static str) {
    if group.len() > 1 {
        let all_imports = group
            .iter()
            .all(|n| matches!(n.kind_name(), "import_statement" | "import_from_statement"));
        return if all_imports {
            (UnitKind::Import, "import")
        } else {
            (UnitKind::Pinned, "code")
        };
    }
    let node = group[0];
    match node.kind_name() {
        "future_import_statement" => (UnitKind::Future, "import"),
        "import_statement" | "import_from_statement" => (UnitKind::Import, "import"),
        "function_definition" => (UnitKind::Movable, "def"),
        "class_definition" => (UnitKind::Movable, "class"),
        "decorated_definition" => {
            let is_class = node
                .child_by_field_name("definition")
                .is_some_and(|d| d.kind_name() == "class_definition");
            (UnitKind::Movable, if is_class { "class" } else { "def" })
        }
        "type_alias_statement" => (UnitKind::Movable, "assignment"),
        "if_statement"
            if model
                .type_checking_blocks
                .contains(&TextRange::of_node(node)) =>
        {
            (UnitKind::TypeChecking, "import")
        }
        "try_statement" if is_import_try(node) => (UnitKind::GuardedImport, "import"),
        "expression_statement" => {
            let Some(child) = node.named_child(0) else {
                return (UnitKind::Pinned, "code");
            };
            if node.named_child_count() != 1 {
                return (UnitKind::Pinned, "code");
            }
            match child.kind_name() {
                "string" if index == 0 => (UnitKind::Docstring, "docstring"),
                "assignment" if simple_targets(child, source) => (UnitKind::Movable, "assignment"),
                _ => (UnitKind::Pinned, "code"),
            }
        }
        _ => (UnitKind::Pinned, "code"),
    }
}

/// True when evaluating the value of an assignment may run code: anything but literals, names,
/// attributes and displays of those.
fn runs_code(statement: Node<'_>) -> bool {
    let mut stack = Vec::new();
    let mut c = statement.walk();
    for child in statement.named_children(&mut c) {
        let mut node = child;
        // Assignment chains: look at the right-hand sides.
        while node.kind_name() == "assignment" {
            match node.child_by_field_name("right") {
                Some(right) => node = right,
                None => break,
            }
        }
        if node.kind_name() != "assignment" {
            stack.push(node);
        }
    }
    while let Some(node) = stack.pop() {
        match node.kind_name() {
            "identifier"
            | "attribute"
            | "string"
            | "string_content"
            | "string_start"
            | "string_end"
            | "escape_sequence"
            | "integer"
            | "float"
            | "true"
            | "false"
            | "none"
            | "ellipsis"
            | "tuple"
            | "list"
            | "dictionary"
            | "pair"
            | "set"
            | "parenthesized_expression"
            | "concatenated_string"
            | "comment"
            | "expression_list"
            | "keyword_argument" => {
                let mut c = node.walk();
                stack.extend(node.named_children(&mut c));
            }
            _ => return true,
        }
    }
    false
}

/// `a = ...`, `a: T = ...`, `a = b = ...`, `a, b = ...`: names only, no attribute or subscript.
fn simple_targets(assignment: Node<'_>, _source: &str) -> bool {
    let mut node = assignment;
    loop {
        let Some(left) = node.child_by_field_name("left") else {
            return false;
        };
        if !names_only(left) {
            return false;
        }
        match node.child_by_field_name("right") {
            Some(right) if right.kind_name() == "assignment" => node = right,
            _ => return true,
        }
    }
}

fn names_only(target: Node<'_>) -> bool {
    match target.kind_name() {
        "identifier" => true,
        "pattern_list" | "tuple_pattern" | "list_pattern" => {
            let mut c = target.walk();
            let ok = target.named_children(&mut c).all(names_only);
            ok
        }
        _ => false,
    }
}

/// A `try` whose body and handlers hold only imports, assignments and `pass`.
fn is_import_try(node: Node<'_>) -> bool {
    let mut saw_import = false;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        let mut c = n.walk();
        for child in n.named_children(&mut c) {
            match child.kind_name() {
                "block" | "except_clause" | "else_clause" | "finally_clause" => stack.push(child),
                "import_statement" | "import_from_statement" => saw_import = true,
                "pass_statement" | "comment" => {}
                "expression_statement"
                    if child
                        .named_child(0)
                        .is_some_and(|a| a.kind_name() == "assignment") => {}
                _ if n.kind_name() == "except_clause" && child.kind_name() != "block" => {}
                _ => return false,
            }
        }
    }
    saw_import
}

/// Strongly connected components of `n` nodes over `succ`, iteratively (Tarjan). Components come
/// out in reverse topological order (a component after every component it reaches).
pub fn strongly_connected(n: usize, succ: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const NONE: usize = usize::MAX;
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    let mut work: Vec<(usize, usize)> = Vec::new();
    for start in 0..n {
        if index[start] != NONE {
            continue;
        }
        work.push((start, 0));
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *i < succ[v].len() {
                let w = succ[v][*i];
                *i += 1;
                if index[w] == NONE {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                loop {
                    let w = stack.pop().unwrap();
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                out.push(component);
            }
        }
    }
    out
}
