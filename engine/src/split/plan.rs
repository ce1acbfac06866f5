//! Choosing the parts: components kept whole, parts in dependency order, cuts where few
//! references cross, names from the parts' own identifiers.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use serde::{Deserialize, Serialize};

use super::graph::{strongly_connected, Graph, UnitKind};
use crate::syntax::NodeKind;

/// What the planner is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitOptions {
    /// Every output should stay under this many lines.
    pub max_lines: usize,
    /// Split into exactly this many new modules (besides what stays), whatever the size.
    pub into: Option<usize>,
    /// File names (stems) already in the module's directory, never proposed.
    pub existing: BTreeSet<String>,
    /// Top-level names whose statements stay in the module (a coordinator), with what reads them
    /// at run time.
    pub keep: Vec<String>,
}

impl Default for SplitOptions {
    fn default() -> Self {
        SplitOptions {
            max_lines: 1000,
            into: None,
            existing: BTreeSet::new(),
            keep: Vec::new(),
        }
    }
}

/// One proposed new module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartPlan {
    /// The new module's name (file stem), e.g. `core_parsing`.
    pub name: String,
    /// The names of the top-level statements it takes (a statement is named by the first name it
    /// binds; all statements binding a listed name move).
    pub statements: Vec<String>,
    /// Lines of the moved statements.
    #[serde(default)]
    pub lines: usize,
}

/// A group of methods of a dominant class that could become a mixin (plan only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodGroup {
    pub name: String,
    pub methods: Vec<String>,
    pub lines: usize,
}

/// A class that is most of the module: moving statements cannot shrink it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DominantClass {
    pub name: String,
    pub lines: usize,
    pub percent: usize,
    pub method_groups: Vec<MethodGroup>,
}

/// The proposed split of one module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The module's file stem.
    pub module: String,
    #[serde(default)]
    pub total_lines: usize,
    #[serde(default)]
    pub max_lines: usize,
    pub parts: Vec<PartPlan>,
    /// Lines of the statements that stay (before adding re-exports).
    #[serde(default)]
    pub rest_lines: usize,
    /// References from one output module to a name another binds.
    #[serde(default)]
    pub cross_references: usize,
    #[serde(default)]
    pub dominant_class: Option<DominantClass>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Which output each unit goes to: `None` stays in the original module.
pub type Assignment = Vec<Option<usize>>;

/// Where the readers of `name` end up under `assignment`: `Some(None)` all stay, `Some(Some(p))`
/// all go to part `p`; `None` when nothing in the module reads it, or its readers are apart (a
/// name the graph did not keep together).
pub fn readers_home(graph: &Graph, assignment: &Assignment, name: &str) -> Option<Option<usize>> {
    let readers = graph.readers_of(name);
    let first = assignment[*readers.first()?];
    readers
        .iter()
        .all(|&r| assignment[r] == first)
        .then_some(first)
}

/// Units that must stay: pinned ones and, transitively, whatever reads them at run time or shares
/// a name with them.
pub(crate) fn stays(graph: &Graph) -> Vec<bool> {
    stays_with_reasons(graph, &[]).0
}

/// [`stays`], with, for each unit kept by propagation, the unit it needs that stays. The
/// statements binding one of `keep` stay as pinned ones do.
pub(crate) fn stays_with_reasons(
    graph: &Graph,
    keep: &[String],
) -> (Vec<bool>, Vec<Option<usize>>) {
    let n = graph.units.len();
    let mut stay: Vec<bool> = graph
        .units
        .iter()
        .map(|u| u.kind != UnitKind::Movable || u.names.iter().any(|name| keep.contains(name)))
        .collect();
    let mut readers: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (&(from, to), w) in &graph.edges {
        if w.runtime > 0 {
            readers[to].push(from);
        }
    }
    // Statements binding the same name go together, and so do the groups the graph keeps
    // together.
    for units in graph.binders.values().chain(&graph.together) {
        for pair in units.windows(2) {
            readers[pair[0]].push(pair[1]);
            readers[pair[1]].push(pair[0]);
        }
    }
    let mut work: Vec<usize> = (0..n)
        .filter(|&i| stay[i] && graph.units[i].kind != UnitKind::GuardedImport)
        .collect();
    // Guarded import blocks are copied, so reading them does not pin; but sharing a name does.
    for (i, u) in graph.units.iter().enumerate() {
        if u.kind == UnitKind::GuardedImport {
            for name in &u.names {
                for &other in &graph.binders[name] {
                    if !stay[other] {
                        stay[other] = true;
                        work.push(other);
                    }
                }
            }
            let _ = i;
        }
    }
    let mut reason = vec![None; n];
    while let Some(v) = work.pop() {
        for &r in &readers[v] {
            if !stay[r] {
                stay[r] = true;
                reason[r] = Some(v);
                work.push(r);
            }
        }
    }
    (stay, reason)
}

/// Components of the movable units (run-time references and shared names), in dependency order:
/// each after every component it reads, ties by source position.
pub(crate) fn ordered_components(graph: &Graph, stay: &[bool]) -> Vec<Vec<usize>> {
    let n = graph.units.len();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (&(from, to), w) in &graph.edges {
        if w.runtime > 0 && !stay[from] && !stay[to] {
            succ[from].push(to);
        }
    }
    for units in graph.binders.values().chain(&graph.together) {
        for pair in units.windows(2) {
            if !stay[pair[0]] && !stay[pair[1]] {
                succ[pair[0]].push(pair[1]);
                succ[pair[1]].push(pair[0]);
            }
        }
    }
    for s in &mut succ {
        s.sort_unstable();
        s.dedup();
    }
    let components: Vec<Vec<usize>> = strongly_connected(n, &succ)
        .into_iter()
        .filter(|c| !stay[c[0]])
        .collect();
    let mut component_of = vec![usize::MAX; n];
    for (ci, c) in components.iter().enumerate() {
        for &u in c {
            component_of[u] = ci;
        }
    }
    // Kahn over "reads": a component is ready once everything it reads is placed.
    let m = components.len();
    let mut pending = vec![0usize; m];
    let mut readers: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); m];
    for (ci, c) in components.iter().enumerate() {
        let mut deps = BTreeSet::new();
        for &u in c {
            for &w in &succ[u] {
                let cw = component_of[w];
                if cw != ci && cw != usize::MAX {
                    deps.insert(cw);
                }
            }
        }
        pending[ci] = deps.len();
        for d in deps {
            readers[d].insert(ci);
        }
    }
    let mut ready: BinaryHeap<Reverse<(usize, usize)>> = (0..m)
        .filter(|&c| pending[c] == 0)
        .map(|c| Reverse((components[c][0], c)))
        .collect();
    let mut order = Vec::with_capacity(m);
    while let Some(Reverse((_, c))) = ready.pop() {
        order.push(c);
        for &r in &readers[c] {
            pending[r] -= 1;
            if pending[r] == 0 {
                ready.push(Reverse((components[r][0], r)));
            }
        }
    }
    debug_assert_eq!(order.len(), m, "the condensation is acyclic");
    let mut components = components;
    order
        .into_iter()
        .map(|c| std::mem::take(&mut components[c]))
        .collect()
}

/// Cut the ordered components into `parts` contiguous groups: each group at most `cap` lines
/// (a single component may exceed it), few references across cuts, sizes near the mean.
fn cut(sizes: &[usize], cut_cost: &[f64], parts: usize, cap: usize) -> Option<Vec<usize>> {
    let n = sizes.len();
    if parts == 0 || parts > n {
        return None;
    }
    let mut prefix = vec![0usize; n + 1];
    for i in 0..n {
        prefix[i + 1] = prefix[i] + sizes[i];
    }
    let target = prefix[n] as f64 / parts as f64;
    let balance = |size: usize| 4.0 * ((size as f64 - target) / target.max(1.0)).abs();
    const INF: f64 = f64::INFINITY;
    // best[g][k]: first k components in g groups.
    let mut best = vec![vec![INF; n + 1]; parts + 1];
    let mut from = vec![vec![usize::MAX; n + 1]; parts + 1];
    best[0][0] = 0.0;
    for g in 1..=parts {
        for k in g..=n {
            let mut j = k;
            while j > g - 1 {
                j -= 1;
                let size = prefix[k] - prefix[j];
                if size > cap && k - j > 1 {
                    break;
                }
                if best[g - 1][j] == INF {
                    continue;
                }
                let cost = best[g - 1][j] + if j > 0 { cut_cost[j] } else { 0.0 } + balance(size);
                if cost < best[g][k] {
                    best[g][k] = cost;
                    from[g][k] = j;
                }
            }
        }
    }
    if best[parts][n] == INF {
        return None;
    }
    let mut bounds = vec![n];
    let mut k = n;
    for g in (1..=parts).rev() {
        k = from[g][k];
        bounds.push(k);
    }
    bounds.reverse();
    Some(bounds)
}

/// Merge each part of fewer than `min` lines into the smaller of its neighbours, while the
/// merged part stays within `cap` (`bounds`: the cuts of [`cut`], over components of `sizes`).
/// Neighbours in the components' order stay in that order, so parts still import only earlier
/// parts.
pub(super) fn merge_small_parts(bounds: &mut Vec<usize>, sizes: &[usize], min: usize, cap: usize) {
    let size = |bounds: &[usize], part: usize| -> usize {
        sizes[bounds[part]..bounds[part + 1]].iter().sum()
    };
    loop {
        let parts = bounds.len() - 1;
        let merge = (0..parts)
            .filter(|&part| size(bounds, part) < min)
            .find_map(|part| {
                let left = (part > 0).then(|| (size(bounds, part - 1), part));
                let right = (part + 1 < parts).then(|| (size(bounds, part + 1), part + 1));
                let (neighbour, cut) = [left, right].into_iter().flatten().min()?;
                (neighbour + size(bounds, part) <= cap).then_some(cut)
            });
        match merge {
            Some(cut) => {
                bounds.remove(cut);
            }
            None => return,
        }
    }
}

/// Plan the split of a module.
pub fn plan(
    graph: &Graph,
    source: &str,
    module: &str,
    options: &SplitOptions,
) -> (Plan, Assignment) {
    let (stay, reason) = stays_with_reasons(graph, &options.keep);
    let components = ordered_components(graph, &stay);
    let sizes: Vec<usize> = components
        .iter()
        .map(|c| c.iter().map(|&u| graph.units[u].lines).sum())
        .collect();
    let movable: usize = sizes.iter().sum();
    let mut position = vec![usize::MAX; graph.units.len()];
    for (ci, c) in components.iter().enumerate() {
        for &u in c {
            position[u] = ci;
        }
    }
    // Cost of cutting before component k: references spanning it.
    let mut delta = vec![0f64; components.len() + 1];
    for (&(from, to), w) in &graph.edges {
        let (a, b) = (position[from], position[to]);
        if a == usize::MAX || b == usize::MAX || a == b {
            continue;
        }
        let (lo, hi) = (a.min(b), a.max(b));
        delta[lo + 1] += f64::from(w.total());
        delta[hi + 1] -= f64::from(w.total());
    }
    let mut cut_cost = vec![0f64; components.len() + 1];
    let mut running = 0.0;
    for k in 0..=components.len() {
        running += delta[k];
        cut_cost[k] = running;
    }
    let mut notes: Vec<String> = (options.keep.iter())
        .filter(|name| !graph.binders.contains_key(*name))
        .map(|name| format!("`{name}` (--keep) is not a top-level name of {module}"))
        .collect();
    let oversized = graph.total_lines > options.max_lines;
    // Room for the imports each new module needs.
    let cap = (options.max_lines * 9 / 10).max(1);
    // Smaller parts are merged into a neighbour where they fit.
    let min_part = (options.max_lines / 10).max(1);
    let mut bounds = None;
    match options.into {
        Some(n) if n > 0 => {
            let n = n.min(components.len());
            let cap = movable.div_ceil(n.max(1)) * 3 / 2 + 1;
            bounds = cut(&sizes, &cut_cost, n, cap);
        }
        _ if oversized && movable > 0 => {
            let mut n = movable.div_ceil(cap).max(1);
            while n <= components.len() {
                if let Some(b) = cut(&sizes, &cut_cost, n, cap) {
                    bounds = Some(b);
                    break;
                }
                n += 1;
            }
        }
        _ => {}
    }
    if let (Some(bounds), None) = (&mut bounds, options.into) {
        merge_small_parts(bounds, &sizes, min_part, cap);
    }
    let mut assignment: Assignment = vec![None; graph.units.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    if let Some(bounds) = &bounds {
        for w in bounds.windows(2) {
            let mut units: Vec<usize> = components[w[0]..w[1]].iter().flatten().copied().collect();
            units.sort_unstable();
            if !units.is_empty() {
                groups.push(units);
            }
        }
    }
    for (p, units) in groups.iter().enumerate() {
        for &u in units {
            assignment[u] = Some(p);
        }
    }
    let names = part_names(graph, &groups, module, &options.existing);
    let parts: Vec<PartPlan> = groups
        .iter()
        .zip(names)
        .map(|(units, name)| PartPlan {
            name,
            statements: units
                .iter()
                .map(|&u| graph.units[u].names[0].clone())
                .collect(),
            lines: units.iter().map(|&u| graph.units[u].lines).sum(),
        })
        .collect();
    let rest_lines = graph.total_lines - parts.iter().map(|p| p.lines).sum::<usize>();
    if !oversized && options.into.is_none() {
        notes.push(format!(
            "{} lines: within the limit of {}",
            graph.total_lines, options.max_lines
        ));
    }
    if rest_lines > options.max_lines {
        notes.push(format!(
            "{rest_lines} lines must stay in {module} (module-level code, and what needs it at run time)"
        ));
        // The largest statements that stay only because they need one that stays.
        let mut kept: Vec<usize> = (0..graph.units.len())
            .filter(|&u| reason[u].is_some())
            .collect();
        kept.sort_by_key(|&u| (Reverse(graph.units[u].lines), u));
        for &u in kept.iter().take(5) {
            let mut chain = vec![u];
            while let Some(next) = reason[*chain.last().unwrap()] {
                chain.push(next);
                if chain.len() > 20 {
                    break;
                }
            }
            let root = &graph.units[*chain.last().unwrap()];
            let label = |i: usize| {
                let unit = &graph.units[i];
                unit.names
                    .first()
                    .cloned()
                    .unwrap_or_else(|| format!("line {}", unit.line))
            };
            notes.push(format!(
                "{} ({} lines) stays: it needs {} at run time; line {} stays ({})",
                label(u),
                graph.units[u].lines,
                chain[1..]
                    .iter()
                    .map(|&i| label(i))
                    .collect::<Vec<_>>()
                    .join(" -> "),
                root.line,
                match root.kind {
                    _ if root.names.iter().any(|name| options.keep.contains(name)) => "kept",
                    UnitKind::Pinned => "module-level code",
                    _ => "import or type-checking block",
                }
            ));
        }
    }
    for (part, p) in parts.iter().enumerate() {
        if p.lines > options.max_lines {
            notes.push(format!(
                "{} has {} lines: one group of statements that read each other cannot be cut",
                p.name, p.lines
            ));
        }
        let _ = part;
    }
    for name in &graph.global_names {
        let moved = graph
            .binders
            .get(name)
            .is_some_and(|units| units.iter().any(|&u| assignment[u].is_some()));
        if moved {
            notes.push(format!(
                "`{name}` is reassigned through `global` and moves: {module}.{name} (the re-export) will not see later assignments"
            ));
        }
    }
    let dominant_class = dominant_class(graph, source);
    let plan = Plan {
        module: module.to_owned(),
        total_lines: graph.total_lines,
        max_lines: options.max_lines,
        cross_references: cross_references(graph, &assignment),
        parts,
        rest_lines,
        dominant_class,
        notes,
    };
    (plan, assignment)
}

/// References from one output to a name bound in another.
pub fn cross_references(graph: &Graph, assignment: &Assignment) -> usize {
    graph
        .edges
        .iter()
        .filter(|((from, to), _)| assignment[*from] != assignment[*to])
        .map(|(_, w)| w.total() as usize)
        .sum()
}

const STOPWORDS: &[&str] = &[
    "get", "set", "the", "and", "for", "from", "with", "into", "make", "new", "has", "can", "all",
    "not", "none", "self", "cls", "args", "kwargs", "init", "impl", "base", "default", "value",
    "type", "types", "data", "obj", "object", "helper", "helpers", "util", "utils", "func",
    "function", "class", "def", "test", "tests", "main", "run",
];

pub(crate) const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Lower-case words of an identifier: `parseHTTPResponse`, `parse_response` -> parse, http, response.
pub fn words(identifier: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in identifier.split('_').filter(|p| !p.is_empty()) {
        let chars: Vec<char> = piece.chars().collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let boundary = i > 0
                && c.is_uppercase()
                && (chars[i - 1].is_lowercase()
                    || chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                        && chars[i - 1].is_uppercase());
            if boundary && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.extend(c.to_lowercase());
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

fn part_names(
    graph: &Graph,
    groups: &[Vec<usize>],
    module: &str,
    existing: &BTreeSet<String>,
) -> Vec<String> {
    let mut taken: BTreeSet<String> = existing.clone();
    taken.insert(module.to_owned());
    let mut names = Vec::new();
    for (i, units) in groups.iter().enumerate() {
        let mut score: BTreeMap<String, usize> = BTreeMap::new();
        for &u in units {
            let unit = &graph.units[u];
            for name in &unit.names {
                let ws = words(name);
                for w in &ws {
                    if w.len() < 3
                        || STOPWORDS.contains(&w.as_str())
                        || w.chars().any(|c| !c.is_ascii_alphanumeric())
                        || w.starts_with(|c: char| c.is_ascii_digit())
                    {
                        continue;
                    }
                    *score.entry(w.clone()).or_default() += 1 + unit.lines / ws.len().max(1);
                }
            }
        }
        let mut ranked: Vec<(usize, String)> = score.into_iter().map(|(w, s)| (s, w)).collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let chosen = ranked
            .into_iter()
            .map(|(_, w)| format!("{module}_{w}"))
            .find(|candidate| !taken.contains(candidate) && !KEYWORDS.contains(&candidate.as_str()))
            .unwrap_or_else(|| {
                let mut k = i + 1;
                loop {
                    let candidate = format!("{module}_part{k}");
                    if !taken.contains(&candidate) {
                        break candidate;
                    }
                    k += 1;
                }
            });
        taken.insert(chosen.clone());
        names.push(chosen);
    }
    names
}

/// A class over 60% of the module, with its methods grouped by their leading word.
fn dominant_class(graph: &Graph, source: &str) -> Option<DominantClass> {
    let (unit, percent) = graph
        .units
        .iter()
        .filter(|u| u.what == "class")
        .map(|u| (u, u.lines * 100 / graph.total_lines.max(1)))
        .max_by_key(|(u, p)| (*p, Reverse(u.line)))?;
    if percent <= 60 {
        return None;
    }
    Some(DominantClass {
        name: unit.names.first().cloned().unwrap_or_default(),
        lines: unit.lines,
        percent,
        method_groups: unit_methods(&source[unit.range.start..unit.range.end]),
    })
}

/// The methods of a class unit, with their lines (decorators included), from its text parsed
/// again: the functions of the class's body, decorated or not, at its top level or inside a
/// top-level `if` (`if TYPE_CHECKING:`, a version test). The definitions of an overloaded method
/// count as one method.
pub(super) fn class_methods(text: &str) -> Vec<(String, usize)> {
    let parsed = crate::parse::parse(text, None);
    let root = parsed.tree.root_node();
    let mut cursor = root.walk();
    let class = root
        .named_children(&mut cursor)
        .find_map(|node| match node.kind_name() {
            "class_definition" => Some(node),
            "decorated_definition" => node.child_by_field_name("definition"),
            _ => None,
        });
    let Some(body) = class.and_then(|c| c.child_by_field_name("body")) else {
        return Vec::new();
    };
    let mut methods: Vec<(String, usize)> = Vec::new();
    let mut blocks = vec![body];
    while let Some(block) = blocks.pop() {
        let mut cursor = block.walk();
        for statement in block.named_children(&mut cursor) {
            let function = match statement.kind_name() {
                "function_definition" => Some(statement),
                "decorated_definition" => statement
                    .child_by_field_name("definition")
                    .filter(|d| d.kind_name() == "function_definition"),
                "if_statement" => {
                    blocks.extend(statement.child_by_field_name("consequence"));
                    None
                }
                _ => None,
            };
            let Some(name) = function.and_then(|f| f.child_by_field_name("name")) else {
                continue;
            };
            let name = &text[name.byte_range()];
            let lines = statement.end_position().row - statement.start_position().row + 1;
            match methods.iter_mut().find(|(known, _)| known == name) {
                Some((_, total)) => *total += lines,
                None => methods.push((name.to_owned(), lines)),
            }
        }
    }
    methods
}

/// The methods of a class unit in groups by the first word of their names.
fn unit_methods(text: &str) -> Vec<MethodGroup> {
    let methods = class_methods(text);
    let mut groups: BTreeMap<String, MethodGroup> = BTreeMap::new();
    for (name, lines) in methods {
        let key = if name.starts_with("__") && name.ends_with("__") {
            "dunder".to_owned()
        } else {
            words(&name)
                .into_iter()
                .next()
                .unwrap_or_else(|| "other".to_owned())
        };
        let group = groups.entry(key.clone()).or_insert_with(|| MethodGroup {
            name: key,
            methods: Vec::new(),
            lines: 0,
        });
        group.methods.push(name);
        group.lines += lines;
    }
    // Small groups together as "other".
    let mut out: Vec<MethodGroup> = Vec::new();
    let mut other = MethodGroup {
        name: "other".into(),
        methods: Vec::new(),
        lines: 0,
    };
    for (_, g) in groups {
        if g.methods.len() >= 3 || g.lines >= 100 {
            out.push(g);
        } else {
            other.methods.extend(g.methods);
            other.lines += g.lines;
        }
    }
    out.sort_by(|a, b| b.lines.cmp(&a.lines).then_with(|| a.name.cmp(&b.name)));
    if !other.methods.is_empty() {
        out.push(other);
    }
    out
}
