//! The guard each call of a function body is under: the patterns that make a call run only on
//! some paths (TAU511's, not TAU510's).

use std::collections::HashMap;

use tauten_engine::callgraph::{CallSites, Gate, Guard, Passed};
use tauten_engine::edits::find_node;
use tauten_engine::semantic::{Callee, SemanticModel};
use tauten_engine::syntax::NodeKind;
use tree_sitter::{Node, Tree};

use super::conditions::{
    is_environment_list, is_missing_module_test, is_setting_test, loop_iterables, squeezed,
    tests_platform,
};
use super::gates::{argument_gate, argument_value, gating_parameters, literal_value, passed_of};
use crate::asyncio::tables;

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
                    .and_then(|definition| {
                        argument_gate(
                            &definition.gating,
                            definition.body,
                            &ancestors,
                            node,
                            source,
                        )
                    });
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
                    tables::does_no_io(name, node, source)
                        || tables::opens_kernel_file(name, node, source)
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
    any_decorator(decorated, source, |text| {
        matches!(text, "contextmanager" | "contextlib.contextmanager")
    })
}

/// `@cache`, `@functools.lru_cache(maxsize=None)`, `@cached_property` on a definition.
fn is_memoised(decorated: Node<'_>, source: &str) -> bool {
    any_decorator(decorated, source, |text| {
        let callee = text.split('(').next().unwrap_or_default().trim();
        let last = callee.rsplit('.').next().unwrap_or_default();
        matches!(last, "cache" | "lru_cache" | "cached_property")
            && (callee == last || callee == format!("functools.{last}"))
    })
}

/// Whether `test` holds for the text of one of the decorators of a `decorated_definition`
/// (without its `@`).
fn any_decorator(decorated: Node<'_>, source: &str, test: impl Fn(&str) -> bool) -> bool {
    let mut cursor = decorated.walk();
    let found = decorated
        .named_children(&mut cursor)
        .filter(|c| c.kind_name() == "decorator")
        .any(|decorator| {
            test(
                source[decorator.byte_range()]
                    .trim_start_matches('@')
                    .trim(),
            )
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
    let sleep = callee.is_some_and(|name| tables::in_table(tables::SLEEP, name));
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

/// The receiver of `call` when it is `x.<method>(...)`: `x`.
fn method_receiver<'s>(call: Node<'_>, source: &'s str, method: &str) -> Option<&'s str> {
    let function = call.child_by_field_name("function")?;
    source[function.byte_range()]
        .strip_suffix(method)?
        .strip_suffix('.')
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The guard of the first call of `method` (`x.method(...)`) in `source`.
    fn guard(source: &str, method: &str) -> Option<Guard> {
        let parsed = tauten_engine::parse::parse(source, None);
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
