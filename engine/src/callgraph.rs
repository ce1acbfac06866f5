//! The project-wide search for blocking helpers: each module says which of its functions block
//! directly and what they call; the driver puts the modules together and finds the sync functions
//! that reach a blocking call through any chain of calls, across modules.

use crate::syntax::NodeKind;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use tree_sitter::{Node, Tree};

use crate::blocking;
use crate::edits::find_node;
use crate::module::ModuleInfo;
use crate::semantic::{Callee, SemanticModel};
use crate::settings::LintSettings;

pub use crate::chains::{BlockingChain, Gate, Given, Guard, Known, Passed};

/// A function other modules can call, as the search sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionCalls {
    /// Its qualified name (`pkg.mod.f`, `pkg.mod.C.m`).
    pub name: String,
    pub is_async: bool,
    /// The first blocking call it makes directly (`builtins.open`): the first one on the common
    /// path, else the first one under a guard.
    pub blocking: Option<String>,
    /// The guard that call is under, if every direct blocking call is under one.
    pub blocking_guard: Option<Guard>,
    /// The qualified names of the other calls it makes (calls to this module's functions
    /// qualified with the module's name; methods through `self`/`cls` with the class's).
    pub calls: Vec<String>,
    /// Those of `calls` it makes only under a guard, with the guard of the first.
    pub guarded: Vec<(String, Guard)>,
    /// A call it makes directly that reads the running loop or the stack
    /// ([`blocking::CONTEXT_READERS`]): it must not be moved to a thread.
    pub context_reader: Option<String>,
    /// Its body has a `yield`: calling it runs nothing until the generator is iterated.
    pub generator: bool,
    /// Those of `calls` it makes at least once where the result is iterated, entered or passed
    /// on ([`CallSites::consumed`]): a generator called there runs.
    pub consumed: Vec<String>,
    /// The parameter its blocking call is made only with, when it is made only with one.
    #[serde(default)]
    pub blocking_gate: Option<Gate>,
    /// Those of `calls` it makes (off guards) only when one of its parameters is given.
    #[serde(default)]
    pub needs: Vec<(String, Gate)>,
    /// What its calls of each of `calls` pass, put together, in the same order.
    #[serde(default)]
    pub passes: Vec<Passed>,
}

impl FunctionCalls {
    /// The guard of its call to `callee`, when it makes that call only under guards.
    pub fn guard_of(&self, callee: &str) -> Option<Guard> {
        self.guarded
            .iter()
            .find(|(name, _)| name == callee)
            .map(|(_, guard)| *guard)
    }

    /// Whether its calls of `callee` may give the parameter of `gate`.
    pub fn gives(&self, callee: &str, gate: &Gate) -> bool {
        let at = self.calls.iter().position(|name| name == callee);
        at.and_then(|at| self.passes.get(at))
            .is_some_and(|passed| passed.gives(gate))
    }

    /// The parameter its call of `callee` is made only with, when it is.
    pub fn gate_of(&self, callee: &str) -> Option<&Gate> {
        self.needs
            .iter()
            .find(|(name, _)| name == callee)
            .map(|(_, gate)| gate)
    }

    /// The guard of its call to `callee`, a function that is a generator or not: a generator
    /// that it never iterates, enters or passes on runs nothing.
    pub fn edge_guard(&self, callee: &str, callee_is_generator: bool) -> Option<Guard> {
        self.guard_of(callee).or_else(|| {
            (callee_is_generator && !self.consumed.iter().any(|c| c == callee))
                .then_some(Guard::Generator)
        })
    }
}

/// The module-level functions and methods of module-level classes of a module with a name, with
/// their calls (only as many as the model recorded: every function body, in a run with async code).
/// `sites` are what [`call_guards`] found of the calls.
pub fn module_functions(
    semantic: &SemanticModel,
    sites: &CallSites,
    module: &ModuleInfo,
    settings: &LintSettings,
) -> Vec<FunctionCalls> {
    let Some(module) = module.name.as_deref() else {
        return Vec::new();
    };
    if semantic.calls.is_empty() {
        return Vec::new();
    }
    let generators = generator_functions(semantic);
    // Callees called at least once on the common path, per caller.
    let mut unguarded: Vec<Vec<String>> = vec![Vec::new(); semantic.functions.len()];
    let mut functions: Vec<Option<FunctionCalls>> = semantic
        .functions
        .iter()
        .zip(&generators)
        .map(|(f, &generator)| {
            // A function a decorator runs in a worker thread blocks no caller.
            let path = f.path.as_ref().filter(|_| !f.runs_in_thread);
            path.map(|path| FunctionCalls {
                name: format!("{module}.{path}"),
                is_async: f.is_async,
                blocking: None,
                blocking_guard: None,
                calls: Vec::new(),
                guarded: Vec::new(),
                context_reader: None,
                generator,
                consumed: Vec::new(),
                blocking_gate: None,
                needs: Vec::new(),
                passes: Vec::new(),
            })
        })
        .collect();
    // A call on the common path ranks first, then one made only with a parameter, then one
    // under a guard.
    let rank = |guard: &Option<Guard>, gate: &Option<Gate>| match (guard, gate) {
        (None, None) => 0,
        (None, Some(_)) => 1,
        (Some(_), _) => 2,
    };
    for (((((call, guard), &consumed), gate), passed), &no_io) in (semantic.calls.iter())
        .zip(&sites.guards)
        .zip(&sites.consumed)
        .zip(&sites.gates)
        .zip(&sites.passed)
        .zip(&sites.no_io)
    {
        let caller = &semantic.functions[call.caller as usize];
        let Some(entry) = functions[call.caller as usize].as_mut() else {
            continue;
        };
        let callee = match &call.callee {
            Callee::Local { scope, name } if *scope == SemanticModel::MODULE => {
                format!("{module}.{name}")
            }
            Callee::Local { .. } => continue,
            Callee::Method(name) => match caller.path.as_deref().and_then(|p| p.rsplit_once('.')) {
                Some((class, _)) => format!("{module}.{class}.{name}"),
                None => continue,
            },
            Callee::Qualified(name) => {
                if no_io {
                    continue;
                }
                if blocking::is_blocking(name, &settings.asyncio) {
                    let better = entry.blocking.is_none()
                        || rank(guard, gate) < rank(&entry.blocking_guard, &entry.blocking_gate);
                    if better {
                        entry.blocking = Some(name.clone());
                        entry.blocking_guard = *guard;
                        entry.blocking_gate = gate.clone();
                    }
                    continue;
                }
                if blocking::CONTEXT_READERS.contains(&name.as_str()) {
                    entry.context_reader.get_or_insert_with(|| name.clone());
                }
                if name.starts_with("builtins.") {
                    continue;
                }
                name.clone()
            }
        };
        let first_call = !entry.calls.contains(&callee);
        match (gate, first_call) {
            (Some(gate), true) => entry.needs.push((callee.clone(), gate.clone())),
            (None, _) if guard.is_none() => entry.needs.retain(|(name, _)| *name != callee),
            _ => {}
        }
        match guard {
            None => {
                entry.guarded.retain(|(name, _)| *name != callee);
                unguarded[call.caller as usize].push(callee.clone());
            }
            Some(guard) => {
                let seen = unguarded[call.caller as usize].contains(&callee)
                    || entry.guarded.iter().any(|(name, _)| *name == callee);
                if !seen {
                    entry.guarded.push((callee.clone(), *guard));
                }
            }
        }
        if consumed && !entry.consumed.contains(&callee) {
            entry.consumed.push(callee.clone());
        }
        match entry.calls.iter().position(|name| *name == callee) {
            Some(at) => entry.passes[at].merge(passed),
            None => {
                entry.calls.push(callee);
                entry.passes.push(*passed);
            }
        }
    }
    functions
        .into_iter()
        .flatten()
        .filter(|f| f.blocking.is_some() || !f.calls.is_empty() || f.context_reader.is_some())
        .collect()
}

/// The guard each of `semantic.calls` is under, if any (in the same order). The patterns, looked
/// for in the function making the call (not in the functions calling it):
///
/// - platform: the call is in the body of an `if` (not its `elif`/`else`) whose condition is
///   `sys.platform == "..."`, `sys.platform.startswith(...)`, `sys.platform in (...)`,
///   `os.name == "..."` or `platform.system() == "..."`, either side of `==`;
/// - setting: the call is in the body of an `if` or `elif` whose condition reads a setting (see
///   [`is_setting_test`]);
/// - setting, too: the call is in the body of a `for` loop or comprehension over an environment
///   variable's entries (see [`is_environment_list`]);
/// - missing package: the call is in the body of an `if` or `elif` whose condition finds a
///   module missing (see [`is_missing_module_test`]), as an install-on-demand helper does;
/// - early return: the statement holding the call comes, in the function's body (top level),
///   after an `if` without `elif`/`else` whose body ends with `return`: the call runs only when
///   that condition is false. When the condition is an attribute of `self`/`cls`
///   (`if self._started: return`) or `X is not None` it is a started-guard (once-only);
/// - memoised: the function is decorated with `cache`, `lru_cache`, `lru_cache(...)` or
///   `cached_property` (of `functools` or imported from it);
/// - fresh lock: `x.acquire()` in the statement right after `x = threading.Lock()` (or `RLock`,
///   `Semaphore`, `BoundedSemaphore`) in the same block;
/// - finished thread: `t.join()` in the body of `if not t.is_alive():`, after a `while
///   t.is_alive():` loop without `break` in the same block, or after `await f` where `f` is
///   among the arguments of `t = threading.Thread(...)`;
/// - drained queue: `q.get()` in the body of `while not q.empty():` (or `if`, or `q.qsize()`);
/// - error path: the call is in an `except` clause;
/// - before raise: the call is in a block (not the function's body) that ends with `raise`;
/// - raise: the call is in the expression of a `raise` statement (`raise Error(describe())`);
/// - polling: a sleep (`time.sleep`) in the body of a `while`/`for` loop, after a statement of
///   that body that holds a `return` or a `break` (of that loop): the loop tests its condition
///   first and sleeps only when it does not hold yet;
/// - context exit: the call comes after the first `yield` of a function decorated with
///   `contextmanager` (of `contextlib`, or imported from it): it runs when the `with` block ends.
///
/// Calls of generator functions are guarded where they are made, not here (see
/// [`FunctionCalls::edge_guard`]).
///
/// Also whether each call uses what it returns ([`CallSites::consumed`]).
pub fn call_guards(tree: &Tree, source: &str, semantic: &SemanticModel) -> CallSites {
    let mut guards = vec![None; semantic.calls.len()];
    let mut consumed = vec![true; semantic.calls.len()];
    let mut gates = vec![None; semantic.calls.len()];
    let mut passed = vec![Passed::default(); semantic.calls.len()];
    let mut no_io = vec![false; semantic.calls.len()];
    // The calls by their range, found in one walk of the tree that keeps the path from the root
    // (tree-sitter's `parent()` searches down from the root: costly once per call and level).
    let mut by_range: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (index, call) in semantic.calls.iter().enumerate() {
        by_range
            .entry((call.range.start, call.range.end))
            .or_default()
            .push(index);
    }
    let mut starts: Vec<usize> = semantic.calls.iter().map(|call| call.range.start).collect();
    starts.sort_unstable();
    // Whether a call starts inside `node`: the walk descends only into such nodes.
    let holds_call = |node: Node<'_>| {
        let first = starts.partition_point(|&start| start < node.start_byte());
        starts
            .get(first)
            .is_some_and(|&start| start < node.end_byte())
    };
    let mut definitions: HashMap<u32, Option<Definition<'_>>> = HashMap::new();
    let mut left = semantic.calls.len();
    let mut ancestors: Vec<Node<'_>> = Vec::new();
    let mut cursor = tree.walk();
    while left > 0 {
        let node = cursor.node();
        if node.kind_name() == "call" {
            for &index in by_range
                .get(&(node.start_byte(), node.end_byte()))
                .map_or(&[][..], Vec::as_slice)
            {
                left -= 1;
                let caller = semantic.calls[index].caller;
                let definition = definitions
                    .entry(caller)
                    .or_insert_with(|| Definition::of(tree, source, semantic, caller));
                consumed[index] = uses_result(&ancestors, node);
                let callee = match &semantic.calls[index].callee {
                    Callee::Qualified(name) => Some(name.as_str()),
                    _ => None,
                };
                guards[index] = definition.as_ref().and_then(|definition| {
                    site_guard(definition, &ancestors, node, source, callee)
                });
                // A call under a guard is judged by its guard, not by a parameter test around it.
                gates[index] = (definition.as_ref())
                    .filter(|_| guards[index].is_none())
                    .and_then(|definition| argument_gate(definition, &ancestors, node, source));
                // Inside a lambda or comprehension a name may be that scope's own.
                let direct = !(ancestors.iter().rev())
                    .take_while(|a| a.kind_name() != "function_definition")
                    .any(|a| {
                        matches!(
                            a.kind_name(),
                            "lambda"
                                | "list_comprehension"
                                | "set_comprehension"
                                | "dictionary_comprehension"
                                | "generator_expression"
                        )
                    });
                let scope = semantic.functions[caller as usize].scope;
                passed[index] = passed_of(node, source, |value| {
                    if direct {
                        argument_value(value, source, tree, semantic, scope)
                    } else {
                        literal_value(value, source)
                    }
                });
                no_io[index] = callee.is_some_and(|name| {
                    blocking::does_no_io(name, node, source)
                        || blocking::opens_kernel_file(name, node, source)
                });
            }
        }
        if holds_call(node) && cursor.goto_first_child() {
            ancestors.push(node);
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return CallSites {
                    guards,
                    consumed,
                    gates,
                    passed,
                    no_io,
                };
            }
            ancestors.pop();
        }
    }
    CallSites {
        guards,
        consumed,
        gates,
        passed,
        no_io,
    }
}

/// The guard of `call` in the function `definition`: memoised, then [`guard_in`], then after the
/// `yield` of a `@contextmanager`.
fn site_guard(
    definition: &Definition<'_>,
    ancestors: &[Node<'_>],
    call: Node<'_>,
    source: &str,
    callee: Option<&str>,
) -> Option<Guard> {
    if definition.memoised {
        return Some(Guard::Memoised);
    }
    guard_in(definition, ancestors, call, source, callee).or_else(|| {
        (definition.exit_after)
            .filter(|&end| call.start_byte() >= end)
            .map(|_| Guard::ContextExit)
    })
}

/// The guard of one call node (as [`call_guards`] finds for the model's calls), for a rule that
/// checks a call of its own: `None` outside a function.
pub fn guard_of_call(call: Node<'_>, source: &str, callee: Option<&str>) -> Option<Guard> {
    let mut ancestors = Vec::new();
    let mut node = call;
    let mut function = None;
    while let Some(parent) = node.parent() {
        if function.is_none() && parent.kind_name() == "function_definition" {
            function = Some(parent);
        }
        ancestors.push(parent);
        node = parent;
    }
    ancestors.reverse();
    let definition = Definition::of_function(function?, source)?;
    site_guard(&definition, &ancestors, call, source, callee)
}

/// What [`call_guards`] finds of each of `semantic.calls`, in the same order.
#[derive(Debug, Clone, Default)]
pub struct CallSites {
    /// The guard the call is under, if any.
    pub guards: Vec<Option<Guard>>,
    /// The call uses the object it returns ([`uses_result`]): a generator called there runs.
    pub consumed: Vec<bool>,
    /// The optional parameter of the calling function the call is made only with ([`Gate`]);
    /// none for a call under a guard.
    pub gates: Vec<Option<Gate>>,
    /// What the call passes.
    pub passed: Vec<Passed>,
    /// A blocking function called so that it does no I/O ([`blocking::does_no_io`],
    /// [`blocking::opens_kernel_file`]): no chain ends in it.
    pub no_io: Vec<bool>,
}

/// Whether the call (its `ancestors` from the root to its parent) uses the object it returns in
/// a way that runs a generator: anything but a bare expression statement (`gen()`) or the value
/// of an assignment (`g = gen()`). Iterating it, entering it in a `with`, passing it to a call,
/// returning or yielding it all count, so a chain is kept wherever the generator may run.
fn uses_result(ancestors: &[Node<'_>], call: Node<'_>) -> bool {
    let mut child = call;
    for &parent in ancestors.iter().rev() {
        match parent.kind_name() {
            "parenthesized_expression" => child = parent,
            "expression_statement" => return false,
            "assignment" | "augmented_assignment" => {
                return parent
                    .child_by_field_name("right")
                    .is_none_or(|right| right.id() != child.id());
            }
            _ => return true,
        }
    }
    true
}

/// A caller's definition, with what [`guard_in`] asks of it for every call.
#[derive(Clone)]
struct Definition<'t> {
    body: Node<'t>,
    memoised: bool,
    /// The first early-return `if` at the top level of the body (its start), which guards every
    /// statement after it.
    early: Option<(usize, Guard)>,
    /// In a `@contextmanager`, the end of its first `yield`: what comes after runs at the exit
    /// of the `with` block.
    exit_after: Option<usize>,
    /// Its parameters that can gate a call ([`gating_parameters`]).
    gating: Vec<Gate>,
}

impl<'t> Definition<'t> {
    fn of(tree: &'t Tree, source: &str, semantic: &SemanticModel, caller: u32) -> Option<Self> {
        let function = &semantic.functions[caller as usize];
        let mut node = find_node(tree, semantic.scope(function.scope).range)?;
        if node.kind_name() == "decorated_definition" {
            node = node.child_by_field_name("definition")?;
        }
        Self::of_function(node, source)
    }

    /// The definition of a `function_definition` node.
    fn of_function(node: Node<'t>, source: &str) -> Option<Self> {
        let decorated = node
            .parent()
            .filter(|p| p.kind_name() == "decorated_definition");
        let memoised = decorated.is_some_and(|p| is_memoised(p, source));
        if node.kind_name() != "function_definition" {
            return None;
        }
        let exit_after = decorated
            .filter(|p| is_context_manager(*p, source))
            .and_then(|_| first_yield(node))
            .map(|y| y.end_byte());
        let body = node.child_by_field_name("body")?;
        let mut cursor = body.walk();
        let early = body
            .named_children(&mut cursor)
            .find_map(|statement| Some((statement.start_byte(), early_return(statement, source)?)));
        Some(Definition {
            body,
            memoised,
            early,
            exit_after,
            gating: gating_parameters(node, source),
        })
    }
}

/// The parameters of a `function_definition` that have no default or default to `None`,
/// `False`, `0` or an empty literal (`""`, `()`, `[]`, `{}`), with their positions among a
/// call's positional arguments: a call that does not give one a true value leaves it false.
fn gating_parameters(function: Node<'_>, source: &str) -> Vec<Gate> {
    let Some(parameters) = function.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut position: u8 = 0;
    let mut keyword_only = false;
    let mut first = true;
    let mut cursor = parameters.walk();
    for parameter in parameters.named_children(&mut cursor) {
        let kind = parameter.kind_name();
        let is_first = std::mem::take(&mut first);
        match kind {
            "list_splat_pattern" | "keyword_separator" => {
                keyword_only = true;
                continue;
            }
            "dictionary_splat_pattern" | "positional_separator" | "comment" => continue,
            _ => {}
        }
        let name = match kind {
            "identifier" => Some(parameter),
            "typed_parameter" => parameter.named_child(0),
            _ => parameter.child_by_field_name("name"),
        }
        .map(|name| &source[name.byte_range()]);
        let Some(name) = name else { continue };
        if is_first && matches!(name, "self" | "cls") {
            continue; // the receiver of a method call, not among its arguments
        }
        let default = parameter.child_by_field_name("value");
        if default.is_none_or(|value| literal_value(value, source) != Known::Nothing) {
            found.push(Gate {
                parameter: name.to_owned(),
                position: (!keyword_only).then_some(position),
                truth: true,
            });
        }
        if !keyword_only {
            position = position.saturating_add(1);
        }
    }
    found
}

/// The parameter (of `gating`) that `condition` tests as given: `p` (a test of truth),
/// `p is not None`, or an `and` with such a test among its operands.
fn tested_parameter(condition: &str, gating: &[Gate]) -> Option<Gate> {
    let condition = condition.trim();
    let condition = condition
        .strip_prefix('(')
        .and_then(|inner| inner.strip_suffix(')'))
        .filter(|inner| balanced(inner))
        .unwrap_or(condition);
    let operands = split_top(condition, " and ").unwrap_or_else(|| vec![condition]);
    operands.into_iter().find_map(|operand| {
        let (name, truth) = match operand.strip_suffix(" is not None") {
            Some(name) => (name.trim(), false),
            None => (operand.trim(), true),
        };
        let gate = gating.iter().find(|gate| gate.parameter == name)?;
        Some(Gate {
            truth,
            ..gate.clone()
        })
    })
}

/// Whether `name` may be bound again in `body` (assigned, a loop or `with` target, `:=`,
/// `del`ed): then a test of it no longer tells what the caller passed.
fn rebinds(body: &str, name: &str) -> bool {
    let bytes = body.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    memchr::memmem::find_iter(bytes, name.as_bytes()).any(|at| {
        let end = at + name.len();
        // Not part of a longer name, nor an attribute (`self.p = ...` binds no parameter).
        let attribute = body[..at].trim_end().ends_with('.');
        if (at > 0 && word(bytes[at - 1])) || bytes.get(end).is_some_and(|&b| word(b)) || attribute
        {
            return false;
        }
        let before = body[..at].trim_end();
        let after = body[end..].trim_start();
        // Inside brackets, `p=` is a keyword argument of a call.
        let depth = before.bytes().fold(0i32, |depth, b| match b {
            b'(' | b'[' | b'{' => depth + 1,
            b')' | b']' | b'}' => depth - 1,
            _ => depth,
        });
        let assigned = after.starts_with('=') && !after.starts_with("==") && depth <= 0
            || after.starts_with(":=")
            || ["+=", "-=", "*=", "/=", "|=", "&=", "%=", "^=", "//=", "**=", "<<=", ">>=", "@="]
                .iter()
                .any(|op| after.starts_with(op))
            // `a, p = ...`, `p, a = ...`; not `f(p, a=1)`
            || depth <= 0
                && (after.starts_with(',') || before.ends_with(','))
                && after.split('\n').next().is_some_and(|line| {
                    line.contains('=') && !line.contains("==") && !line.contains('(')
                });
        assigned
            || in_line_target(body, at)
            || before.ends_with("for")
            || before.ends_with(" as")
            || before.ends_with("del")
            || before.ends_with("global")
            || before.ends_with("nonlocal")
    })
}

/// Whether the name at byte `at` of `body` is in the target of its line's statement when that
/// target is bracketed or a loop's: `(a, p) = ...`, `[a, p] = ...`, `for a, p in ...:`.
fn in_line_target(body: &str, at: usize) -> bool {
    let line_start = body[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = body[line_start..].split('\n').next().unwrap_or_default();
    let indent = line.len() - line.trim_start().len();
    let (statement, at) = (&line[indent..], at - line_start - indent);
    if let Some(target) = statement.strip_prefix("for ") {
        return target
            .find(" in ")
            .is_some_and(|end| at < "for ".len() + end);
    }
    if !statement.starts_with(['(', '[']) {
        return false;
    }
    let mut depth = 0i32;
    for (i, c) in OutsideStrings::new(statement) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    let rest = statement[i + 1..].trim_start();
                    return at < i && rest.starts_with('=') && !rest.starts_with("==");
                }
            }
            _ => {}
        }
    }
    false
}

/// The gate of `call` in `definition`: the innermost `if` or `elif` holding the call in its body
/// (not in an `else`) that tests one of the function's gating parameters as given.
fn argument_gate(
    definition: &Definition<'_>,
    ancestors: &[Node<'_>],
    call: Node<'_>,
    source: &str,
) -> Option<Gate> {
    if definition.gating.is_empty() {
        return None;
    }
    let body = definition.body;
    let mut child = call;
    for &parent in ancestors.iter().rev() {
        if parent.id() == body.id() {
            return None;
        }
        match parent.kind_name() {
            "function_definition" | "lambda" | "class_definition" => return None,
            "if_statement" | "elif_clause"
                if parent
                    .child_by_field_name("consequence")
                    .is_some_and(|c| c.id() == child.id()) =>
            {
                let condition = parent.child_by_field_name("condition")?;
                let tested = tested_parameter(&source[condition.byte_range()], &definition.gating);
                if let Some(gate) = tested {
                    if !rebinds(&source[body.byte_range()], &gate.parameter) {
                        return Some(gate);
                    }
                }
            }
            _ => {}
        }
        child = parent;
    }
    None
}

/// What a call passes: the positional arguments and keywords it may give a true value, and
/// whether it unpacks any. `known` tells what an argument is whenever the call is made.
pub fn passed_of(call: Node<'_>, source: &str, known: impl Fn(Node<'_>) -> Known) -> Passed {
    let mut passed = Passed::default();
    let Some(arguments) = call.child_by_field_name("arguments") else {
        return passed;
    };
    if arguments.kind_name() != "argument_list" {
        passed.add_position(0, Known::Nothing); // `f(x for x in y)`
        return passed;
    }
    let mut position = 0;
    let mut cursor = arguments.walk();
    for argument in arguments.named_children(&mut cursor) {
        match argument.kind_name() {
            "keyword_argument" => {
                if let (Some(name), Some(value)) = (
                    argument.child_by_field_name("name"),
                    argument.child_by_field_name("value"),
                ) {
                    passed.add_keyword(&source[name.byte_range()], known(value));
                }
            }
            "list_splat" | "dictionary_splat" => passed.splat = true,
            "comment" => {}
            _ => {
                passed.add_position(position, known(argument));
                position += 1;
            }
        }
    }
    passed
}

/// What a literal is: `None`; `False`, `0`, an empty string, tuple, list or dict; or anything.
fn literal_value(node: Node<'_>, source: &str) -> Known {
    match squeezed(&source[node.byte_range()]).as_str() {
        "None" => Known::IsNone,
        "False" | "0" | "\"\"" | "''" | "()" | "[]" | "{}" => Known::IsFalse,
        _ => Known::Nothing,
    }
}

/// What the argument `value` of a call made directly in the body of the function with scope
/// `scope` is whenever the call is made: a literal's value, or that of a name every binding of
/// which in that function assigns a false literal (not a parameter, nor `global`/`nonlocal`,
/// nor a loop or `with` target). Not an empty list or dict: whoever it is passed to may fill it
/// (`cache = {}; for x in xs: f(x, cache=cache)`).
fn argument_value(
    value: Node<'_>,
    source: &str,
    tree: &Tree,
    semantic: &SemanticModel,
    scope: crate::semantic::ScopeId,
) -> Known {
    let literal = literal_value(value, source);
    if literal != Known::Nothing || value.kind_name() != "identifier" {
        return literal;
    }
    let name = &source[value.byte_range()];
    let root = tree.root_node();
    let node_at = |range: crate::TextRange| root.descendant_for_byte_range(range.start, range.end);
    let mut known = Known::Nothing;
    let bindings = (semantic.scope(scope).bindings.iter())
        .map(|&id| semantic.binding(id))
        .filter(|binding| binding.name == name);
    for binding in bindings {
        if binding.kind != crate::semantic::BindingKind::Assignment
            || binding.flags.has(crate::semantic::BindingFlags::GLOBAL)
        {
            return Known::Nothing;
        }
        let assigned = node_at(binding.range)
            .filter(|target| target.kind_name() == "identifier")
            .and_then(|target| {
                let assignment = target.parent()?;
                let left = assignment.child_by_field_name("left")?;
                (assignment.kind_name() == "assignment" && left.id() == target.id())
                    .then(|| assignment.child_by_field_name("right"))?
            });
        let Some(assigned) = assigned else {
            return Known::Nothing;
        };
        let this = literal_value(assigned, source);
        if this == Known::Nothing || matches!(assigned.kind_name(), "list" | "dictionary") {
            return Known::Nothing;
        }
        if known != Known::IsFalse {
            known = this;
        }
    }
    known
}

/// Whether each of `semantic.functions` is a generator function (see
/// [`crate::semantic::FunctionFact::is_generator`]).
pub fn generator_functions(semantic: &SemanticModel) -> Vec<bool> {
    semantic.functions.iter().map(|f| f.is_generator).collect()
}

/// The first `yield` of a function's own body (not of a nested `def`, `lambda` or class), in a
/// pre-order walk without recursion.
fn first_yield(definition: Node<'_>) -> Option<Node<'_>> {
    let body = definition.child_by_field_name("body")?;
    let mut cursor = body.walk();
    loop {
        let node = cursor.node();
        if node.kind_name() == "yield" {
            return Some(node);
        }
        let nested = matches!(
            node.kind_name(),
            "function_definition" | "lambda" | "class_definition" | "decorated_definition"
        );
        if !nested && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() || cursor.node().id() == body.id() {
                return None;
            }
        }
    }
}

/// `@contextmanager` or `@contextlib.contextmanager` on a definition.
fn is_context_manager(decorated: Node<'_>, source: &str) -> bool {
    let mut cursor = decorated.walk();
    let found = decorated
        .named_children(&mut cursor)
        .filter(|c| c.kind_name() == "decorator")
        .any(|decorator| {
            let text = source[decorator.byte_range()]
                .trim_start_matches('@')
                .trim();
            matches!(text, "contextmanager" | "contextlib.contextmanager")
        });
    found
}

/// `@cache`, `@functools.lru_cache(maxsize=None)`, `@cached_property` on a definition.
fn is_memoised(decorated: Node<'_>, source: &str) -> bool {
    let mut cursor = decorated.walk();
    let found = decorated
        .named_children(&mut cursor)
        .filter(|c| c.kind_name() == "decorator")
        .any(|decorator| {
            let text = source[decorator.byte_range()]
                .trim_start_matches('@')
                .trim();
            let callee = text.split('(').next().unwrap_or_default().trim();
            let last = callee.rsplit('.').next().unwrap_or_default();
            matches!(last, "cache" | "lru_cache" | "cached_property")
                && (callee == last || callee == format!("functools.{last}"))
        });
    found
}

/// The guard of `call` inside the function `definition` (see [`call_guards`]); `ancestors` is
/// the path from the root to the call's parent; `callee`: the call's qualified name, when known
/// (a sleep may be polling; a thread or queue wait may be one that cannot wait).
fn guard_in(
    definition: &Definition<'_>,
    ancestors: &[Node<'_>],
    call: Node<'_>,
    source: &str,
    callee: Option<&str>,
) -> Option<Guard> {
    let body = definition.body;
    let sleep = callee.is_some_and(|name| blocking::in_table(blocking::SLEEP, name));
    // The receiver of a `threading`/`queue` wait (`t` of `t.join()`), looked at only for those.
    let waiting_on = |method: &str| {
        callee
            .filter(|name| name.starts_with("threading.") || name.starts_with("queue."))
            .filter(|name| name.rsplit('.').next() == Some(method))
            .and_then(|_| method_receiver(call, source, method))
    };
    let acquired = waiting_on("acquire");
    let joined = waiting_on("join");
    if joined.is_some_and(|thread| is_signalled(body, call, thread, source)) {
        return Some(Guard::FinishedThread);
    }
    let got = waiting_on("get");
    let mut statement = None;
    let mut child = call;
    for &parent in ancestors.iter().rev() {
        if parent.kind_name() == "block" {
            if acquired.is_some_and(|lock| is_fresh_lock(parent, child, lock, source)) {
                return Some(Guard::FreshLock);
            }
            if joined.is_some_and(|thread| {
                follows_loop_while(child, &format!("{thread}.is_alive()"), source)
            }) {
                return Some(Guard::FinishedThread);
            }
            if got
                .is_some_and(|queue| follows_loop_while(child, &format!("{queue}.empty()"), source))
            {
                return Some(Guard::DrainedQueue);
            }
            if sleep && is_polled(parent, child) {
                return Some(Guard::Polling);
            }
            if parent.id() != body.id() && ends_in_raise(parent) {
                return Some(Guard::BeforeRaise);
            }
        }
        if parent.id() == body.id() {
            statement = Some(child);
            break;
        }
        // The condition of the `if` (or `elif`, `while`) whose body (not `else`) holds the call.
        let condition = matches!(
            parent.kind_name(),
            "if_statement" | "elif_clause" | "while_statement"
        )
        .then_some(parent)
        .filter(|p| {
            p.child_by_field_name(if p.kind_name() == "while_statement" {
                "body"
            } else {
                "consequence"
            })
            .is_some_and(|c| c.id() == child.id())
        })
        .and_then(|p| p.child_by_field_name("condition"))
        .map(|c| &source[c.byte_range()]);
        if let Some(condition) = condition {
            if got.is_some_and(|queue| is_not_empty_test(condition, queue)) {
                return Some(Guard::DrainedQueue);
            }
        }
        let condition = condition.filter(|_| parent.kind_name() != "while_statement");
        if let Some(condition) = condition {
            if parent.kind_name() == "if_statement" && tests_platform(condition) {
                return Some(Guard::Platform);
            }
            if parent.kind_name() == "if_statement"
                && joined.is_some_and(|thread| is_finished_test(condition, thread))
            {
                return Some(Guard::FinishedThread);
            }
            if is_setting_test(condition) {
                return Some(Guard::Setting);
            }
            if is_missing_module_test(condition) {
                return Some(Guard::MissingPackage);
            }
        }
        if (loop_iterables(parent, child).iter())
            .any(|iterable| is_environment_list(&source[iterable.byte_range()]))
        {
            return Some(Guard::Setting);
        }
        if parent.kind_name() == "boolean_operator"
            && parent
                .child_by_field_name("right")
                .is_some_and(|right| right.id() == child.id())
            && parent
                .child_by_field_name("operator")
                .is_some_and(|op| op.kind_name() == "and")
            && parent
                .child_by_field_name("left")
                .is_some_and(|left| tests_platform(&source[left.byte_range()]))
        {
            return Some(Guard::Platform);
        }
        if matches!(parent.kind_name(), "except_clause" | "except_group_clause") {
            return Some(Guard::ErrorPath);
        }
        if parent.kind_name() == "raise_statement" {
            return Some(Guard::Raise);
        }
        if matches!(
            parent.kind_name(),
            "function_definition" | "lambda" | "class_definition"
        ) {
            return None;
        }
        child = parent;
    }
    let statement = statement?;
    // The first such `if` in the body decides what the guard is called.
    definition
        .early
        .filter(|(start, _)| *start < statement.start_byte())
        .map(|(_, guard)| guard)
}

/// `if <condition>: ... return` without `elif`/`else`: an early return, or a started-guard.
fn early_return(statement: Node<'_>, source: &str) -> Option<Guard> {
    if statement.kind_name() != "if_statement"
        || statement.child_by_field_name("alternative").is_some()
    {
        return None;
    }
    let consequence = statement.child_by_field_name("consequence")?;
    let last = consequence.named_child((consequence.named_child_count() as u32).checked_sub(1)?)?;
    if last.kind_name() != "return_statement" {
        return None;
    }
    let condition = source[statement.child_by_field_name("condition")?.byte_range()].trim();
    let is_started = (condition.starts_with("self.") || condition.starts_with("cls."))
        && condition[4..]
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        || condition.ends_with(" is not None");
    Some(if is_started {
        Guard::OnceOnly
    } else {
        Guard::EarlyReturn
    })
}

/// `block` is the body of a `while`/`for` loop and a statement of it before `statement` holds
/// a `return`, or a `break` of that loop: the loop tests its condition before it gets there.
fn is_polled(block: Node<'_>, statement: Node<'_>) -> bool {
    let Some(repeat) = block.parent() else {
        return false;
    };
    if !matches!(repeat.kind_name(), "while_statement" | "for_statement")
        || repeat
            .child_by_field_name("body")
            .is_none_or(|body| body.id() != block.id())
    {
        return false;
    }
    /// A `return` anywhere in `node`, or a `break` outside a nested loop (not inside a nested
    /// `def`, `lambda` or class), found with an explicit stack.
    fn exits(node: Node<'_>) -> bool {
        let mut stack = vec![(node, false)];
        while let Some((node, in_loop)) = stack.pop() {
            match node.kind_name() {
                "return_statement" => return true,
                "break_statement" if !in_loop => return true,
                "function_definition" | "lambda" | "class_definition" | "decorated_definition" => {
                    continue
                }
                _ => {}
            }
            let nested = in_loop || matches!(node.kind_name(), "while_statement" | "for_statement");
            let mut cursor = node.walk();
            stack.extend(
                node.named_children(&mut cursor)
                    .map(|child| (child, nested)),
            );
        }
        false
    }
    let mut previous = statement.prev_named_sibling();
    while let Some(earlier) = previous {
        if exits(earlier) {
            return true;
        }
        previous = earlier.prev_named_sibling();
    }
    false
}

/// An `if` condition that reads a setting: each part of an `or`, or one part of an `and`
/// (through `not` and parentheses), is a setting read, alone or compared with a literal:
///
/// - a call of `get_option`, `getoption`, `get_setting`, `getenv` or `os.environ.get`
///   (`config.get_option("server.enableStaticServing")`, `os.getenv("X")`);
/// - an ALL_CAPS name, or a dotted name or `.value()` call starting with one
///   (`PREFECT_SERVER_EPHEMERAL_ENABLED`, `PREFECT_API_URL.value()`, `CONFIG.debug`);
/// - a dotted name through `settings`/`config`/`conf` (`settings.DEBUG`, `self.settings.x`);
/// - an attribute of `self` (`self.allow_private_urls`, not a call nor a deeper attribute).
pub fn is_setting_test(condition: &str) -> bool {
    if condition.contains('#') || condition.contains('\\') {
        return false; // a comment or a line continuation: not one of the simple shapes
    }
    let joined = condition.split_whitespace().collect::<Vec<_>>().join(" ");
    let condition = joined.as_str();
    let (parts, any) = if let Some(parts) = split_top(condition, " or ") {
        (parts, false)
    } else if let Some(parts) = split_top(condition, " and ") {
        (parts, true)
    } else {
        (vec![condition], false)
    };
    if parts.len() > 1 {
        let mut reads = parts.iter().map(|part| is_setting_test(part));
        return if any {
            reads.any(|r| r)
        } else {
            reads.all(|r| r)
        };
    }
    let mut atom = condition;
    loop {
        let before = atom;
        if let Some(rest) = atom.strip_prefix("not ") {
            atom = rest.trim();
        }
        if atom.starts_with('(') && atom.ends_with(')') && balanced(&atom[1..atom.len() - 1]) {
            atom = atom[1..atom.len() - 1].trim();
        }
        if atom == before {
            break;
        }
    }
    if atom.contains(" or ") || atom.contains(" and ") {
        return atom != condition && is_setting_test(atom);
    }
    // `<read> == "literal"`, `<read> is None`, `<read> in (...)`.
    for op in [" == ", " != ", " is not ", " is ", " not in ", " in "] {
        if let Some((left, right)) = atom.split_once(op) {
            let literal = |side: &str| {
                let side = side.trim();
                side.starts_with(['"', '\'', '(', '[', '{'])
                    || side.chars().all(|c| c.is_ascii_digit())
                    || matches!(side, "None" | "True" | "False")
            };
            return (is_setting_read(left.trim()) && literal(right))
                || (is_setting_read(right.trim()) && literal(left));
        }
    }
    is_setting_read(atom)
}

/// The iterables of the `for` statement or comprehension whose body (not its `else`) is `child`.
fn loop_iterables<'t>(parent: Node<'t>, child: Node<'t>) -> Vec<Node<'t>> {
    let is_body =
        || (parent.child_by_field_name("body")).is_some_and(|body| body.id() == child.id());
    match parent.kind_name() {
        "for_statement" if is_body() => parent.child_by_field_name("right").into_iter().collect(),
        "list_comprehension"
        | "set_comprehension"
        | "dictionary_comprehension"
        | "generator_expression"
            if is_body() =>
        {
            let mut cursor = parent.walk();
            (parent.named_children(&mut cursor))
                .filter(|clause| clause.kind_name() == "for_in_clause")
                .filter_map(|clause| clause.child_by_field_name("right"))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// A loop's iterable that is an environment variable's entries: `os.environ.get(...)`,
/// `os.getenv(...)` or `getenv(...)`, maybe split (`.split(",")`, `.strip().split()`,
/// `.splitlines()`). Unset, it is empty or a default, as an opt-in list of paths is.
fn is_environment_list(iterable: &str) -> bool {
    let joined: String = iterable.split_whitespace().collect();
    let mut text = joined.as_str();
    loop {
        let before = text;
        for method in [".split(", ".strip(", ".splitlines(", ".rsplit("] {
            if let Some(at) = text.rfind(method) {
                let args = &text[at + method.len()..];
                if args.ends_with(')') && balanced(&args[..args.len() - 1]) {
                    text = &text[..at];
                }
            }
        }
        if text == before {
            break;
        }
    }
    split_call(text).is_some_and(|(callee, _)| reads_environment(callee))
}

/// `os.environ.get`, `os.getenv` or a `getenv` imported from `os`.
fn reads_environment(callee: &str) -> bool {
    matches!(callee, "os.environ.get" | "os.getenv" | "getenv")
}

/// `text` as a call `callee(arguments)`, split at its first `(`: arguments balanced, nothing after
/// the closing `)`.
fn split_call(text: &str) -> Option<(&str, &str)> {
    let (callee, rest) = text.split_once('(')?;
    let arguments = rest.strip_suffix(')')?;
    balanced(arguments).then_some((callee, arguments))
}

/// An `if` condition true only when a module cannot be found: `not find_spec(...)` or
/// `find_spec(...) is None` (of `importlib.util` or imported from it), or an `or` of such tests.
fn is_missing_module_test(condition: &str) -> bool {
    let joined = condition.split_whitespace().collect::<Vec<_>>().join(" ");
    let condition = joined.trim();
    if let Some(parts) = split_top(condition, " or ") {
        return parts.iter().all(|part| is_missing_module_test(part));
    }
    let find_spec = |call: &str| {
        split_call(call.trim())
            .is_some_and(|(callee, _)| matches!(callee, "find_spec" | "importlib.util.find_spec"))
    };
    match condition.strip_prefix("not ") {
        Some(call) => find_spec(call),
        None => condition.strip_suffix(" is None").is_some_and(find_spec),
    }
}

/// One setting read (see [`is_setting_test`]).
fn is_setting_read(atom: &str) -> bool {
    let dotted = |text: &str| {
        !text.is_empty()
            && text.split('.').all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_')
            })
    };
    let all_caps = |name: &str| {
        name.len() > 1
            && name.chars().any(|c| c.is_ascii_uppercase())
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    };
    if atom.contains('(') {
        let Some((callee, arguments)) = split_call(atom) else {
            return false;
        };
        if !dotted(callee) {
            return false;
        }
        let last = callee.rsplit('.').next().unwrap_or_default();
        if matches!(last, "get_option" | "getoption" | "get_setting" | "getenv")
            || reads_environment(callee)
        {
            return true;
        }
        // `PREFECT_API_URL.value()`: a setting object read.
        return last == "value"
            && arguments.is_empty()
            && callee.split('.').next().is_some_and(all_caps);
    }
    if !dotted(atom) {
        return false;
    }
    let parts: Vec<&str> = atom.split('.').collect();
    if all_caps(parts[0]) && parts[0] != "_" {
        return true;
    }
    if parts.len() > 1
        && parts[..parts.len() - 1]
            .iter()
            .any(|p| matches!(*p, "settings" | "config" | "conf" | "SETTINGS" | "CONFIG"))
    {
        return true;
    }
    parts.len() == 2 && parts[0] == "self"
}

/// The characters of `text` outside string literals, with their byte offsets (quotes and
/// what they enclose are left out); `in_string` tells afterwards whether a string was left open.
struct OutsideStrings<'a> {
    chars: std::str::CharIndices<'a>,
    quote: Option<char>,
}

impl<'a> OutsideStrings<'a> {
    fn new(text: &'a str) -> Self {
        OutsideStrings {
            chars: text.char_indices(),
            quote: None,
        }
    }

    fn in_string(&self) -> bool {
        self.quote.is_some()
    }
}

impl Iterator for OutsideStrings<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        let mut escaped = false;
        loop {
            let (i, c) = self.chars.next()?;
            match self.quote {
                Some(q) => {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == q {
                        self.quote = None;
                    }
                }
                None if c == '"' || c == '\'' => self.quote = Some(c),
                None => return Some((i, c)),
            }
        }
    }
}

/// `text` split at each `sep` outside brackets and strings, if it has one.
fn split_top<'a>(text: &'a str, sep: &str) -> Option<Vec<&'a str>> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in OutsideStrings::new(text) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ if depth == 0 && i >= start && text[i..].starts_with(sep) => {
                parts.push(text[start..i].trim());
                start = i + sep.len();
            }
            _ => {}
        }
    }
    if parts.is_empty() {
        return None;
    }
    parts.push(text[start..].trim());
    Some(parts)
}

/// Brackets in `text` (outside strings) open and close in order.
fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    let mut chars = OutsideStrings::new(text);
    for (_, c) in chars.by_ref() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0 && !chars.in_string()
}

/// `sys.platform == "win32"`, `sys.platform.startswith("win")`, `os.name == "nt"`,
/// `platform.system() == "Windows"`, `sys.platform in ("win32", "cygwin")`, either side of `==`.
/// A platform test ([`is_platform_test`]) alone or as one part of an `and` (`os.name == "nt"
/// and not os.path.exists(p)`): true only on that platform.
fn tests_platform(condition: &str) -> bool {
    let condition = squeezed(condition);
    let condition = condition.trim();
    match split_top(condition, " and ") {
        Some(parts) => parts.iter().any(|part| is_platform_test(part)),
        None => is_platform_test(condition),
    }
}

fn is_platform_test(condition: &str) -> bool {
    let text: String = condition.chars().filter(|c| !c.is_whitespace()).collect();
    const SUBJECTS: &[&str] = &["sys.platform", "os.name", "platform.system()"];
    if text.starts_with("sys.platform.startswith(") && text.ends_with(')') {
        return true;
    }
    let Some((left, right)) = text.split_once("==").or_else(|| {
        text.strip_prefix("sys.platformin")
            .map(|rest| ("sys.platform", rest))
    }) else {
        return false;
    };
    let is_literal = |side: &str| {
        side.starts_with(['"', '\'', '(', '[', '{'])
            && !side.contains("==")
            && !side.contains("and")
            && !side.contains("or")
    };
    (SUBJECTS.contains(&left) && is_literal(right))
        || (SUBJECTS.contains(&right) && is_literal(left))
}

/// The receiver of `call` when it is `x.<method>(...)`: `x`.
fn method_receiver<'s>(call: Node<'_>, source: &'s str, method: &str) -> Option<&'s str> {
    let function = call.child_by_field_name("function")?;
    source[function.byte_range()]
        .strip_suffix(method)?
        .strip_suffix('.')
}

/// Whitespace runs of `text` made single spaces.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `condition` is `not t.is_alive()`.
fn is_finished_test(condition: &str, thread: &str) -> bool {
    squeezed(condition) == format!("not {thread}.is_alive()")
}

/// `condition` says `queue` holds an item: `not q.empty()`, `q.qsize()`, `q.qsize() > 0`, alone
/// or as the first part of an `and`.
fn is_not_empty_test(condition: &str, queue: &str) -> bool {
    let condition = squeezed(condition);
    let first = condition.split(" and ").next().unwrap_or_default();
    [
        format!("not {queue}.empty()"),
        format!("{queue}.qsize()"),
        format!("{queue}.qsize() > 0"),
    ]
    .contains(&first.to_string())
}

/// A statement before `statement` in its block is `while <condition>: ...` without a `break`
/// (`while t.is_alive():`, `while q.empty():`): the loop ends only once the condition is false.
fn follows_loop_while(statement: Node<'_>, condition: &str, source: &str) -> bool {
    let mut previous = statement.prev_named_sibling();
    while let Some(earlier) = previous {
        if earlier.kind_name() == "while_statement"
            && earlier
                .child_by_field_name("condition")
                .is_some_and(|c| squeezed(&source[c.byte_range()]) == condition)
            && earlier.child_by_field_name("alternative").is_none()
            && !has_break(earlier)
        {
            return true;
        }
        previous = earlier.prev_named_sibling();
    }
    false
}

/// A `break` of the loop `repeat` (not of a loop nested in it), found with an explicit stack.
fn has_break(repeat: Node<'_>) -> bool {
    let Some(body) = repeat.child_by_field_name("body") else {
        return false;
    };
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        match node.kind_name() {
            "break_statement" => return true,
            "while_statement"
            | "for_statement"
            | "function_definition"
            | "lambda"
            | "class_definition"
            | "decorated_definition" => continue,
            _ => {}
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    false
}

/// Before `call` in the function `body`, the thread was built as `t = threading.Thread(...)`
/// with a name among its arguments (`args=(future,)`) that is then awaited (`await future`): the
/// thread signals it has done its work, so `t.join()` returns at once.
fn is_signalled(body: Node<'_>, call: Node<'_>, thread: &str, source: &str) -> bool {
    let before = &source[body.start_byte()..call.start_byte()];
    let Some(arguments) = ["threading.Thread(", "Thread("].iter().find_map(|ctor| {
        let at = before.find(&format!("{thread} = {ctor}"))?;
        let open = at + thread.len() + 3 + ctor.len();
        let mut depth = 1usize;
        let close = before[open..].char_indices().find_map(|(i, c)| {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(open + i)
        })?;
        Some((&before[open..close], close))
    }) else {
        return false;
    };
    let (arguments, end) = arguments;
    let after = &before[end..];
    arguments
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty() && !word.starts_with(|c: char| c.is_ascii_digit()))
        .any(|word| {
            after
                .match_indices(&format!("await {word}"))
                .any(|(at, text)| {
                    !after[at + text.len()..].starts_with(|c: char| {
                        c.is_alphanumeric() || c == '_' || c == '.' || c == '('
                    })
                })
        })
}

/// A block (not a function's body) whose last statement is a `raise`: what it holds runs only
/// on the way to an exception.
fn ends_in_raise(block: Node<'_>) -> bool {
    let count = block.named_child_count() as u32;
    count
        .checked_sub(1)
        .and_then(|last| block.named_child(last))
        .is_some_and(|last| last.kind_name() == "raise_statement")
}

/// `statement` (in `block`) holds `lock.acquire(...)`, and the statement before it is
/// `lock = threading.Lock()` (or `RLock`, `Semaphore`, `BoundedSemaphore`).
fn is_fresh_lock(block: Node<'_>, statement: Node<'_>, receiver: &str, source: &str) -> bool {
    let mut cursor = block.walk();
    let mut previous = None;
    for sibling in block.named_children(&mut cursor) {
        if sibling.id() == statement.id() {
            break;
        }
        previous = Some(sibling);
    }
    let Some(previous) = previous else {
        return false;
    };
    let previous: String = source[previous.byte_range()]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    ["Lock()", "RLock()", "Semaphore()", "BoundedSemaphore()"]
        .iter()
        .any(|ctor| {
            previous == format!("{receiver}=threading.{ctor}")
                || previous == format!("{receiver}={ctor}")
        })
}

/// Every sync function of the project that reaches a blocking call, by qualified name, with the
/// chain after it: `["pkg.io.read_config", "builtins.open()"]` for a function that calls
/// `read_config`, which opens a file. The search runs backwards from the blocking calls over the
/// reversed call graph (linear, so cycles end it), and each function gets its shortest chain: one
/// that passes no guard when it has one (blocking), else one that does (possibly blocking, with
/// the chain's first guard).
pub fn blocking_functions<'a>(
    modules: impl IntoIterator<Item = &'a [FunctionCalls]>,
) -> BTreeMap<String, BlockingChain> {
    let mut functions: Vec<&FunctionCalls> = modules
        .into_iter()
        .flatten()
        .filter(|f| !f.is_async)
        .collect();
    functions.sort_by(|a, b| a.name.cmp(&b.name));
    functions.dedup_by(|a, b| a.name == b.name);
    let index: HashMap<&str, usize> = functions
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    // The callers of each function: the caller, the guard of the call, and the caller's
    // parameter it is made only with.
    type Caller<'f> = (usize, Option<Guard>, Option<&'f Gate>);
    let mut callers: Vec<Vec<Caller<'_>>> = vec![Vec::new(); functions.len()];
    for (caller, function) in functions.iter().enumerate() {
        for callee in &function.calls {
            if let Some(&callee_index) = index.get(callee.as_str()) {
                let generator = functions[callee_index].generator;
                callers[callee_index].push((
                    caller,
                    function.edge_guard(callee, generator),
                    function.gate_of(callee),
                ));
            }
        }
    }
    /// How a function reaches a blocking call: directly, or through the function at an index.
    #[derive(Clone, Copy)]
    enum Via {
        Unknown,
        Direct,
        Call(usize),
    }
    let mut via = vec![Via::Unknown; functions.len()];
    let mut guard: Vec<Option<Guard>> = vec![None; functions.len()];
    let mut gate: Vec<Option<&Gate>> = vec![None; functions.len()];
    // First over the common path only, then through calls made only with a parameter, then
    // through guards for the functions left. A call that does not pass the parameter its callee
    // blocks only with is no path at all.
    for phase in 0..3 {
        let (with_gates, through_guards) = (phase >= 1, phase == 2);
        let mut queue = std::collections::VecDeque::new();
        for (i, function) in functions.iter().enumerate() {
            if function.blocking.is_some()
                && matches!(via[i], Via::Unknown)
                && (through_guards || function.blocking_guard.is_none())
                && (with_gates || function.blocking_gate.is_none())
            {
                via[i] = Via::Direct;
                guard[i] = function.blocking_guard;
                gate[i] = function.blocking_gate.as_ref();
                queue.push_back(i);
            }
        }
        if phase > 0 {
            // The functions already found are sources too.
            queue.extend((0..functions.len()).filter(|&i| !matches!(via[i], Via::Unknown)));
        }
        while let Some(callee) = queue.pop_front() {
            for &(caller, call_guard, call_gate) in &callers[callee] {
                let passes = gate[callee]
                    .is_none_or(|needed| functions[caller].gives(&functions[callee].name, needed));
                if matches!(via[caller], Via::Unknown)
                    && passes
                    && (through_guards || call_guard.is_none())
                    && (with_gates || call_gate.is_none())
                {
                    via[caller] = Via::Call(callee);
                    guard[caller] = call_guard.or(guard[callee]);
                    gate[caller] = call_gate;
                    queue.push_back(caller);
                }
            }
        }
    }
    let mut found = BTreeMap::new();
    for (i, function) in functions.iter().enumerate() {
        let mut chain = Vec::new();
        let mut at = i;
        loop {
            match via[at] {
                Via::Unknown => break,
                Via::Direct => {
                    let call = functions[at].blocking.as_deref().unwrap_or_default();
                    chain.push(format!("{call}()"));
                    break;
                }
                Via::Call(next) => {
                    chain.push(functions[next].name.clone());
                    at = next;
                }
            }
        }
        if !chain.is_empty() {
            found.insert(
                function.name.clone(),
                BlockingChain {
                    chain,
                    guard: guard[i],
                    generator: function.generator,
                    gate: gate[i].cloned(),
                },
            );
        }
    }
    found
}

/// Every sync function of the project that reads the running loop or the stack, directly or
/// through the project's functions it calls, with the call that does.
pub fn context_readers<'a>(
    modules: impl IntoIterator<Item = &'a [FunctionCalls]>,
) -> BTreeMap<String, String> {
    let functions: Vec<&FunctionCalls> = modules.into_iter().flatten().collect();
    let mut callers: HashMap<&str, Vec<&str>> = HashMap::new();
    for function in &functions {
        for callee in &function.calls {
            callers
                .entry(callee.as_str())
                .or_default()
                .push(function.name.as_str());
        }
    }
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    let mut queue: std::collections::VecDeque<(&str, &str)> = functions
        .iter()
        .filter_map(|f| Some((f.name.as_str(), f.context_reader.as_deref()?)))
        .collect();
    while let Some((name, reader)) = queue.pop_front() {
        if found.contains_key(name) {
            continue;
        }
        found.insert(name.to_owned(), reader.to_owned());
        for caller in callers.get(name).into_iter().flatten() {
            if !found.contains_key(*caller) {
                queue.push_back((caller, reader));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn function(name: &str, blocking: Option<&str>, calls: &[&str]) -> FunctionCalls {
        FunctionCalls {
            name: name.into(),
            is_async: false,
            blocking: blocking.map(Into::into),
            blocking_guard: None,
            calls: calls.iter().map(|c| (*c).into()).collect(),
            guarded: Vec::new(),
            ..FunctionCalls::default()
        }
    }

    #[test]
    fn a_chain_that_needs_a_parameter_is_followed_only_by_calls_passing_it() {
        let gate = Gate {
            parameter: "persist".into(),
            position: Some(1),
            truth: true,
        };
        let mut load = function("m.load", None, &["m.save"]);
        load.needs = vec![("m.save".into(), gate.clone())];
        let save = function("m.save", Some("builtins.open"), &[]);
        let list = function("m.list", None, &["m.load"]);
        let mut keep = function("m.keep", None, &["m.load"]);
        let mut by_keyword = Passed::default();
        by_keyword.add_keyword("persist", Known::Nothing);
        keep.passes = vec![by_keyword];
        let mut by_position = function("m.by_position", None, &["m.load"]);
        let mut two = Passed::default();
        two.add_position(0, Known::Nothing);
        two.add_position(1, Known::Nothing);
        by_position.passes = vec![two];
        let modules = [vec![load, save, list, keep, by_position]];
        let found = blocking_functions(modules.iter().map(Vec::as_slice));
        assert_eq!(found["m.load"].gate.as_ref(), Some(&gate));
        assert!(!found.contains_key("m.list"));
        assert_eq!(
            found["m.keep"].chain,
            ["m.load", "m.save", "builtins.open()"]
        );
        assert_eq!(found["m.keep"].gate, None);
        assert!(found.contains_key("m.by_position"));
    }

    #[test]
    fn parameters_tested_as_given_gate_the_calls_under_them() {
        let source = "def f(self, a, b=None, *, c=False, d=1):\n    if b is not None and a:\n        g()\n    if c:\n        h()\n    if d:\n        k()\n";
        let parsed = crate::parse::parse(source, None);
        let function = parsed.tree.root_node().child(0).unwrap();
        let definition = Definition::of_function(function, source).unwrap();
        let gate = |parameter: &str, position, truth| Gate {
            parameter: parameter.into(),
            position,
            truth,
        };
        // `d` defaults to a true value: not passing it makes the call.
        assert_eq!(
            definition.gating,
            [
                gate("a", Some(0), true),
                gate("b", Some(1), true),
                gate("c", None, true)
            ]
        );
        assert_eq!(
            tested_parameter("b is not None and a", &definition.gating),
            Some(gate("b", Some(1), false))
        );
        assert_eq!(
            tested_parameter("(c)", &definition.gating),
            Some(gate("c", None, true))
        );
        assert_eq!(tested_parameter("not c", &definition.gating), None);
        assert_eq!(tested_parameter("b or a", &definition.gating), None);
        assert!(rebinds("if b is None:\n    b = 1\n", "b"));
        assert!(rebinds("for b in x:\n    pass\n", "b"));
        assert!(!rebinds("if b == 1:\n    g(b=2)\n", "b"));
        assert!(!rebinds("return open(b, encoding=\"utf-8\")\n", "b"));
        assert!(rebinds("a, b = 1, 2\n", "b"));
        assert!(rebinds("(a, b) = 1, 2\n", "b"));
        assert!(rebinds("if x:\n    [a, b] = pair\n", "b"));
        assert!(rebinds("for a, b in pairs:\n    pass\n", "b"));
        assert!(rebinds("for (a, b) in pairs:\n    pass\n", "b"));
        assert!(!rebinds("for a in b:\n    pass\n", "b"));
        assert!(!rebinds("(a, b) == c\n", "b"));
        assert!(!rebinds("(f(a), b)\nx = 1\n", "b"));
        assert!(!rebinds("[a, b]\n", "b"));
        assert!(!rebinds("if b:\n    message.b = load(b)\n", "b"));
    }

    #[test]
    fn chains_cross_modules_and_cycles_end() {
        let a = [
            function("a.load", None, &["b.read", "a.load"]),
            function("a.spin", None, &["a.spin2"]),
            function("a.spin2", None, &["a.spin"]),
        ];
        let b = [
            function("b.read", None, &["b.raw"]),
            function("b.raw", Some("builtins.open"), &[]),
        ];
        let found = blocking_functions([&a[..], &b[..]]);
        assert_eq!(
            found["a.load"].chain,
            ["b.read", "b.raw", "builtins.open()"]
        );
        assert_eq!(found["b.raw"].chain, ["builtins.open()"]);
        assert_eq!(found["a.load"].guard, None);
        assert!(!found.contains_key("a.spin"));
        assert!(!found.contains_key("a.spin2"));
    }

    #[test]
    fn async_functions_are_not_helpers() {
        let mut coroutine = function("a.fetch", Some("time.sleep"), &[]);
        coroutine.is_async = true;
        let caller = function("a.main", None, &["a.fetch"]);
        let found = blocking_functions([&[coroutine, caller][..]]);
        assert!(found.is_empty());
    }

    #[test]
    fn guarded_hops_make_chains_possible_and_common_paths_win() {
        let mut windows = function("a.win", Some("time.sleep"), &[]);
        windows.blocking_guard = Some(Guard::Platform);
        let mut once = function("a.once", None, &["a.raw"]);
        once.guarded = vec![("a.raw".into(), Guard::OnceOnly)];
        let both = function("a.both", None, &["a.once", "a.raw"]);
        let raw = function("a.raw", Some("builtins.open"), &[]);
        let found = blocking_functions([&[windows, once, both, raw][..]]);
        assert_eq!(found["a.win"].guard, Some(Guard::Platform));
        assert_eq!(found["a.once"].guard, Some(Guard::OnceOnly));
        assert_eq!(found["a.both"].guard, None);
        assert_eq!(found["a.both"].chain, ["a.raw", "builtins.open()"]);
    }

    /// Each of `yes` passes `test`, none of `no` does.
    fn sorts(test: fn(&str) -> bool, yes: &[&str], no: &[&str]) {
        for text in yes {
            assert!(test(text), "{text}");
        }
        for text in no {
            assert!(!test(text), "not {text}");
        }
    }

    #[test]
    fn setting_tests() {
        sorts(
            is_setting_test,
            &[
                "PREFECT_SERVER_EPHEMERAL_ENABLED",
                "not api and PREFECT_SERVER_EPHEMERAL_ENABLED",
                "config.get_option(\"server.enableStaticServing\")",
                "not self.allow_private_urls",
                "(DEBUG or settings.TRACE)",
                "PREFECT_API_URL.value()",
                "os.environ.get(\"X\") == \"1\"",
                "self.settings.debug",
                "CONFIG.mode is not None",
            ],
            &[
                "path",
                "path or self.strict",
                "self.enabled()",
                "self.client.ready",
                "path.exists()",
                "X.value(1)",
                "not api",
                "self.mode == other",
                "isinstance(content, PathLike)",
            ],
        );
        sorts(
            is_missing_module_test,
            &[
                "not importlib.util.find_spec(pkg)",
                "find_spec(\"rich\") is None",
                "find_spec(\"torch\") is None or find_spec(\"transformers\") is None",
            ],
            &[
                "importlib.util.find_spec(pkg)",
                "find_spec(\"x\") is not None",
                "find_spec(\"a\") is None or ready",
                "not find_spec(a) and b(c)",
                "not find_spec(a)(b)",
            ],
        );
        sorts(
            is_environment_list,
            &[
                "os.environ.get(\"PIPECAT_SETUP_FILES\", \"\").split(os.pathsep)",
                "os.getenv(\"PLUGINS\", \"\").strip().split(\",\")",
                "os.environ.get(\"X\")",
            ],
            &[
                "DEFAULT_PATHS",
                "paths.split(\",\")",
                "os.environ",
                "os.environ.get(\"X\").split(\",\")[1:]",
                "load(os.getenv(\"X\"))",
            ],
        );
    }

    #[test]
    fn generator_edges_need_a_consuming_call() {
        let mut gen = function("a.lines", Some("builtins.open"), &[]);
        gen.generator = true;
        let plain = function("a.plain", None, &["a.lines"]);
        let mut iterated = function("a.iterated", None, &["a.lines"]);
        iterated.consumed = vec!["a.lines".into()];
        let found = blocking_functions([&[gen, plain, iterated][..]]);
        assert_eq!(found["a.plain"].guard, Some(Guard::Generator));
        assert_eq!(found["a.iterated"].guard, None);
        assert!(found["a.lines"].generator);
    }

    #[test]
    fn context_readers_cross_calls() {
        let mut reader = function("b.loop", None, &[]);
        reader.context_reader = Some("asyncio.get_running_loop".into());
        let caller = function("a.helper", Some("time.sleep"), &["b.loop"]);
        let found = context_readers([&[reader][..], &[caller][..]]);
        assert_eq!(found["a.helper"], "asyncio.get_running_loop");
    }
}

#[cfg(test)]
mod guard_tests {
    use super::*;

    /// The guard of the first call of `method` (`x.method(...)`) in `source`.
    fn guard(source: &str, method: &str) -> Option<Guard> {
        let parsed = crate::parse::parse(source, None);
        let tree = &parsed.tree;
        let at = source
            .find(&format!(".{method}("))
            .expect("the call is in the source");
        let mut node = tree
            .root_node()
            .descendant_for_byte_range(at, at + 1)
            .unwrap();
        while node.kind_name() != "call" {
            node = node.parent().unwrap();
        }
        let callee = match method {
            "join" => "threading.Thread.join",
            "get" => "queue.Queue.get",
            "acquire" => "threading.Lock.acquire",
            _ => "os.path.exists",
        };
        guard_of_call(node, source, Some(callee))
    }

    #[test]
    fn waits_that_cannot_wait() {
        let drained = "async def f(q):\n    while not q.empty():\n        q.get()\n";
        assert_eq!(guard(drained, "get"), Some(Guard::DrainedQueue));
        let sized = "async def f(q):\n    if q.qsize() > 0 and ready:\n        q.get()\n";
        assert_eq!(guard(sized, "get"), Some(Guard::DrainedQueue));
        let other = "async def f(q, r):\n    while not r.empty():\n        q.get()\n";
        assert_eq!(guard(other, "get"), None);
        let polled = "async def f(q):\n    while q.empty():\n        await sleep(0)\n    q.get()\n";
        assert_eq!(guard(polled, "get"), Some(Guard::DrainedQueue));
        let polled =
            "async def f(t):\n    while t.is_alive():\n        await sleep(0)\n    t.join()\n";
        assert_eq!(guard(polled, "join"), Some(Guard::FinishedThread));
        let left = "async def f(t):\n    while t.is_alive():\n        break\n    t.join()\n";
        assert_eq!(guard(left, "join"), None);
        let signalled = "async def f(fut):\n    t = threading.Thread(target=g, args=(fut,))\n    \
                         t.start()\n    try:\n        await fut\n    finally:\n        t.join()\n";
        assert_eq!(guard(signalled, "join"), Some(Guard::FinishedThread));
        let prefix = "async def f(fut):\n    t = threading.Thread(target=g, args=(fut,))\n    \
                      await fut.other()\n    t.join()\n";
        assert_eq!(guard(prefix, "join"), None);
    }

    #[test]
    fn platform_tests_in_conjunctions() {
        let operand = "def f(p):\n    if x or (\n        os.name == \"nt\"\n        and y\n        and not os.path.exists(p)\n    ):\n        pass\n";
        assert_eq!(guard(operand, "exists"), Some(Guard::Platform));
        let body =
            "def f(p):\n    if sys.platform == \"win32\" and p:\n        os.path.exists(p)\n";
        assert_eq!(guard(body, "exists"), Some(Guard::Platform));
        let either =
            "def f(p):\n    if sys.platform == \"win32\" or p:\n        os.path.exists(p)\n";
        assert_eq!(guard(either, "exists"), None);
    }

    #[test]
    fn blocks_ending_in_raise_are_the_error_path() {
        let raised = "def f(t):\n    if bad:\n        t.join()\n        raise E\n    t.join()\n";
        assert_eq!(guard(raised, "join"), Some(Guard::BeforeRaise));
        let body = "def f(t):\n    t.join()\n    raise E\n";
        assert_eq!(guard(body, "join"), None);
    }
}
