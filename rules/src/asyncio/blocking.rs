//! The blocking calls the TAU5xx rules look for, by qualified name, and the check and fixes they
//! share.

use tauten_engine::callgraph::Guard;
use tauten_engine::edits::{add_module_statement, find_node};
use tauten_engine::semantic::{BindingKind, ImportKind, SemanticModel};
use tauten_engine::syntax::NodeKind;
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::{Applicability, Context, Diagnostic, Edit, Fix, RuleMeta, TextRange};
use tree_sitter::Node;

use super::calls::guard_of_call;
pub use super::tables::*;

/// How a rule offers to fix the blocking calls it reports.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    None,
    /// `f(args)` -> `await asyncio.to_thread(f, args)`.
    ToThread,
    /// For a call opening a `with` block (whose reads would still block in a thread), the
    /// aiofiles rewrite where the project uses aiofiles; otherwise as `ToThread`.
    AiofilesOrToThread,
}

/// Report every call in an `async def` body to a function `reported` accepts (and the user's
/// settings do not allow): "`name()` {what} inside `async def`, stalling the event loop".
pub fn check(
    meta: &'static RuleMeta,
    reported: impl Fn(&str) -> bool,
    what: &str,
    offer: Offer,
    paths: Paths,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    check_with(
        meta,
        reported,
        |name| format!("`{name}()` {what} inside `async def`, stalling the event loop"),
        offer,
        paths,
        ctx,
        out,
    );
}

/// Which calls under a guard a rule reports ([`Guard`]s of the call in its own `async def`).
/// Guards that show the call does not wait (a fresh lock, a finished thread, a queue known not
/// to be empty) hide it from every rule.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Paths {
    /// Every other call (the rules with a ruff or flake8-async equivalent, which report these).
    All,
    /// Only calls on the common path: not on the error path (an `except` clause, a block that
    /// ends in `raise`, a `raise` expression) nor under a platform test. TAU511 reports those.
    Common,
    /// Only the calls `Common` leaves out (TAU511).
    Guarded,
}

/// The module runs coroutines without an event loop, by hand (`coro.send(None)`), as a sync
/// client built over async code does (gel's and edgedb's `blocking_client`): its `async def`s
/// may never run on a loop, so TAU507, TAU510 and TAU511 leave them alone. (The rules with a
/// ruff equivalent still report them, as ruff does.)
pub fn drives_coroutines_by_hand(ctx: &Context<'_>) -> bool {
    ctx.source.contains(".send(None)")
}

/// The guards under which a call is not waiting at all.
fn waits_for_nothing(guard: Guard) -> bool {
    matches!(
        guard,
        Guard::FreshLock | Guard::FinishedThread | Guard::DrainedQueue
    )
}

/// The guards that take a call off the common path for [`Paths::Common`].
fn off_common_path(guard: Guard) -> bool {
    matches!(
        guard,
        Guard::ErrorPath | Guard::Raise | Guard::BeforeRaise | Guard::Platform
    )
}

/// Whether a call under `guard` is left out of a rule reporting `paths`.
fn guard_hides(guard: Guard, paths: Paths) -> bool {
    waits_for_nothing(guard)
        || match paths {
            Paths::All => false,
            Paths::Common => off_common_path(guard),
            Paths::Guarded => !off_common_path(guard),
        }
}

/// The guard of a blocking call in an `async def` body (see [`guard_of_call`]).
pub fn direct_guard(ctx: &Context<'_>, name: &str, call: Node<'_>) -> Option<Guard> {
    guard_of_call(call, ctx.source, Some(name))
}

/// As [`check`], with the whole message made from the callee's name. A call whose result is
/// awaited returns an awaitable: it is not a blocking call and is never reported.
pub fn check_with(
    meta: &'static RuleMeta,
    reported: impl Fn(&str) -> bool,
    message: impl Fn(&str) -> String,
    offer: Offer,
    paths: Paths,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    // Asked once a candidate is found: most files have none.
    let hand_driven = std::cell::OnceCell::new();
    for call in &ctx.semantic.async_calls {
        let Some(name) = &call.callee else { continue };
        if !reported(name) || is_allowed(name, &ctx.settings.asyncio) {
            continue;
        }
        let Some(node) = call_node(ctx, call.range) else {
            continue;
        };
        if is_awaited(node) || does_no_io(ctx, name, node) || in_dead_branch(ctx, node) {
            continue;
        }
        if paths != Paths::All && *hand_driven.get_or_init(|| drives_coroutines_by_hand(ctx)) {
            return;
        }
        let guard = direct_guard(ctx, name, node);
        if guard.map_or(paths == Paths::Guarded, |guard| guard_hides(guard, paths)) {
            continue;
        }
        let fix = match offer {
            Offer::None => Ok(None),
            Offer::ToThread => to_thread_fix(ctx, node).map(Some),
            Offer::AiofilesOrToThread => match super::aiofiles_fix::aiofiles_fix(ctx, node, name) {
                Some(fix) => Ok(Some(fix)),
                None => to_thread_fix(ctx, node).map(Some),
            },
        };
        let message = match guard.filter(|_| paths == Paths::Guarded) {
            Some(guard) => format!("{}, {}", message(name), guard.describe()),
            None => message(name),
        };
        out.push(with_fix_or_reason(
            Diagnostic::new(meta, message, call.range),
            fix,
        ));
    }
}

/// Give each of `found` (findings at calls of the module's coroutines) the code another tool has
/// for its kind: `kind` of the callee's name and the call's text.
pub fn set_kinds(
    ctx: &Context<'_>,
    found: &mut [Diagnostic],
    kind: impl Fn(&str, &str) -> &'static str,
) {
    for diagnostic in found {
        let callee = (ctx.semantic.async_calls.iter())
            .find(|call| call.range == diagnostic.range)
            .and_then(|call| call.callee.as_deref());
        if let Some(callee) = callee {
            let text = &ctx.source[diagnostic.range.start..diagnostic.range.end];
            diagnostic.kind = Some(kind(callee, text));
        }
    }
}

/// The diagnostic with its fix, or with the reason the fix is withheld added to its message.
pub fn with_fix_or_reason(diagnostic: Diagnostic, fix: Result<Option<Fix>, String>) -> Diagnostic {
    match fix {
        Ok(fix) => diagnostic.with_fix(fix),
        Err(reason) => {
            let message = format!("{} (no fix: {reason})", diagnostic.message);
            Diagnostic {
                message,
                ..diagnostic
            }
        }
    }
}

/// The call node spanning exactly `range` (the outermost node there may be its statement).
pub fn call_node<'t>(ctx: &Context<'t>, range: TextRange) -> Option<Node<'t>> {
    let mut node = find_node(ctx.tree, range)?;
    while node.kind_name() != "call" {
        node = node
            .named_child(0)
            .filter(|c| TextRange::of_node(*c) == range)?;
    }
    Some(node)
}

/// `node` without the parentheses around it: the outermost `parenthesized_expression` holding
/// only it (or itself).
fn unparenthesized(node: Node<'_>) -> Node<'_> {
    let mut node = node;
    while let Some(parent) = node
        .parent()
        .filter(|p| p.kind_name() == "parenthesized_expression")
    {
        node = parent;
    }
    node
}

/// True when the call's own result is awaited (`await x.get()`, `await (x.get())`); the calls
/// inside it (`x.get_code(f)` in `await x.get_code(f).wait()`) are not.
pub fn is_awaited(call: Node<'_>) -> bool {
    unparenthesized(call)
        .parent()
        .is_some_and(|p| p.kind_name() == "await")
}

/// Where an `await ...` replacing `call` would go: `Ok(true)` when it needs parentheses (the call
/// is the object of an attribute, the value of a subscript, or itself called), `Ok(false)` when
/// it stands as it is, `Err(reason)` where no such fix can be right: in a lambda, in a generator
/// expression (past its first iterable, `await` would make it an asynchronous generator), as the
/// expression of a `with` item (the work of a context manager happens at `__enter__`), or while a
/// `threading` lock is held.
pub fn await_site(ctx: &Context<'_>, call: Node<'_>) -> Result<bool, String> {
    let outer = unparenthesized(call);
    let parent = outer.parent();
    if let Some(parent) = parent {
        let item = if parent.kind_name() == "as_pattern" {
            parent.parent()
        } else {
            Some(parent)
        };
        if item.is_some_and(|i| i.kind_name() == "with_item") {
            return Err(
                "it is a `with` item: a thread would run the call alone, not `__enter__` nor the block"
                    .into(),
            );
        }
    }
    let mut grandchild = outer;
    let mut child = outer;
    let mut ancestor = outer.parent();
    while let Some(node) = ancestor {
        match node.kind_name() {
            "lambda" => return Err("inside a lambda, where `await` is not allowed".into()),
            "generator_expression" => {
                // Its first iterable is evaluated where the generator is made.
                let first = node
                    .named_child(1)
                    .filter(|c| c.kind_name() == "for_in_clause");
                let in_first_iterable =
                    first == Some(child) && child.field(Field::Right) == Some(grandchild);
                if !in_first_iterable {
                    return Err(
                        "inside a generator expression, which `await` would make asynchronous"
                            .into(),
                    );
                }
            }
            "function_definition" => break,
            _ => {}
        }
        grandchild = child;
        child = node;
        ancestor = node.parent();
    }
    if let Some(lock) = held_lock(ctx, outer) {
        return Err(format!(
            "`{lock}` (a `threading` lock) is held here: other tasks waiting for it would block the loop"
        ));
    }
    let needs_parentheses = parent.is_some_and(|p| match p.kind_name() {
        "attribute" => p.field(Field::Object) == Some(outer),
        "subscript" => p.field(Field::Value) == Some(outer),
        "call" => p.field(Field::Function) == Some(outer),
        _ => false,
    });
    Ok(needs_parentheses)
}

/// The function around `call` calls `shutdown_default_executor` or `set_default_executor`: a
/// hop to a thread there could land on an executor that is shut down (`RuntimeError: Executor
/// shutdown has been called`, as in anyio's own copy of `asyncio.Runner`).
fn replaces_default_executor(ctx: &Context<'_>, call: Node<'_>) -> bool {
    let mut function = call.parent();
    while let Some(node) = function.filter(|n| n.kind_name() != "function_definition") {
        function = node.parent();
    }
    let Some(function) = function else {
        return false;
    };
    let body = &ctx.source[function.byte_range()];
    ["shutdown_default_executor(", "set_default_executor("]
        .iter()
        .any(|needle| body.contains(needle))
}

/// The call sits in a branch that never runs: the `else` of `if True:`, or the other branch of
/// a test of a module-level flag assigned once to `True` or `False` (`if not _IS_SYNC:` ...
/// `else:`), as code generated for both a sync and an async flavour has (psycopg, pymongo).
fn in_dead_branch(ctx: &Context<'_>, call: Node<'_>) -> bool {
    let mut child = call;
    while let Some(parent) = child.parent() {
        match parent.kind_name() {
            "function_definition" | "lambda" | "class_definition" => return false,
            "if_statement" => {
                let condition = parent
                    .field(Field::Condition)
                    .and_then(|c| constant_truth(ctx, &ctx.source[c.byte_range()]));
                let in_consequence = parent.field(Field::Consequence) == Some(child);
                let in_else = child.kind_name() == "else_clause";
                if condition == Some(!in_consequence) && (in_consequence || in_else) {
                    return true;
                }
            }
            _ => {}
        }
        child = parent;
    }
    false
}

/// The value of a condition that is constant: `True`, `False`, `not` of one, or a module-level
/// name assigned exactly once, to `True` or `False`.
fn constant_truth(ctx: &Context<'_>, condition: &str) -> Option<bool> {
    let condition = condition.trim();
    if let Some(negated) = condition.strip_prefix("not ") {
        return constant_truth(ctx, negated).map(|value| !value);
    }
    match condition {
        "True" => return Some(true),
        "False" => return Some(false),
        _ => {}
    }
    if !condition.chars().all(|c| c.is_alphanumeric() || c == '_') || condition.is_empty() {
        return None;
    }
    let module = ctx.semantic.scope(SemanticModel::MODULE);
    let mut bindings = (module.bindings.iter())
        .map(|id| ctx.semantic.binding(*id))
        .filter(|b| b.name == condition);
    let binding = bindings.next()?;
    if bindings.next().is_some() {
        return None;
    }
    let line = ctx.lines().line_of(binding.range.start);
    let text = ctx.source[ctx.lines().line_start(line)..]
        .lines()
        .next()
        .unwrap_or_default();
    let value = text
        .strip_prefix(condition)?
        .trim_start()
        .strip_prefix('=')?
        .split('#')
        .next()?
        .trim();
    match value {
        "True" => Some(true),
        "False" => Some(false),
        _ => None,
    }
}

/// A call of a blocking function that, by its arguments, does no I/O nor waits (see
/// [`does_no_io`]).
fn does_no_io(ctx: &Context<'_>, name: &str, call: Node<'_>) -> bool {
    super::tables::does_no_io(name, call, ctx.source)
}

/// `text`, parenthesized when `parenthesize`.
pub fn parenthesized(text: String, parenthesize: bool) -> String {
    if parenthesize {
        format!("({text})")
    } else {
        text
    }
}

/// How a module-level name stands for an import the fix needs.
enum Name {
    /// Bound to it: use it.
    Bound(String),
    /// Unbound: add the import and use this name.
    Free,
    /// Bound to something else.
    Taken,
}

/// How the module-level name `module` stands for `import module`.
fn module_name(semantic: &SemanticModel, module: &str) -> Name {
    let Some(binding) = semantic.lookup(SemanticModel::MODULE, module) else {
        return Name::Free;
    };
    match semantic.binding(binding).as_import() {
        Some(i) if i.kind == ImportKind::Import && i.module == module && i.alias.is_none() => {
            Name::Bound(module.to_owned())
        }
        Some(i)
            if i.kind == ImportKind::SubmoduleImport
                && i.module.split('.').next() == Some(module) =>
        {
            Name::Bound(module.to_owned())
        }
        _ => Name::Taken,
    }
}

/// The expression naming the module-level `module` (importing it when unbound), or the reason
/// the fix cannot name it.
fn use_module(
    ctx: &Context<'_>,
    module: &str,
    imports: &mut Vec<String>,
) -> Result<String, String> {
    match module_name(ctx.semantic, module) {
        Name::Bound(name) => Ok(name),
        Name::Free => {
            imports.push(format!("import {module}"));
            Ok(module.to_owned())
        }
        Name::Taken => Err(format!("`{module}` names something else in this module")),
    }
}

/// The function that runs a sync call in a thread here: its expression, the imports it needs,
/// and whether it passes keyword arguments on. The user's `to-thread-runner` first; else anyio's
/// where the module or its project imports anyio, trio's where the module imports trio, asyncio's
/// otherwise.
fn runner(ctx: &Context<'_>, imports: &mut Vec<String>) -> Result<(String, bool), String> {
    if let Some(qualified) = &ctx.settings.asyncio.to_thread_runner {
        let (module, function) = qualified
            .rsplit_once('.')
            .ok_or_else(|| format!("`{qualified}` is not a qualified name"))?;
        let semantic = ctx.semantic;
        let module_scope = semantic.scope(SemanticModel::MODULE);
        let bound = module_scope.bindings.iter().find_map(|&id| {
            let binding = semantic.binding(id);
            let import = binding.as_import()?;
            (import.kind == ImportKind::FromImport
                && import.qualified_name() == *qualified
                && semantic.lookup(SemanticModel::MODULE, &binding.name) == Some(id))
            .then(|| binding.name.clone())
        });
        return match bound {
            Some(name) => Ok((name, false)),
            None if semantic.lookup(SemanticModel::MODULE, function).is_none() => {
                imports.push(format!("from {module} import {function}"));
                Ok((function.to_owned(), false))
            }
            None => Err(format!("`{function}` names something else in this module")),
        };
    }
    match event_loop_library(ctx.semantic, ctx.module, ctx.project) {
        "anyio" => Ok((
            format!("{}.to_thread.run_sync", use_module(ctx, "anyio", imports)?),
            false,
        )),
        "trio" => Ok((
            format!("{}.to_thread.run_sync", use_module(ctx, "trio", imports)?),
            false,
        )),
        _ => Ok((
            format!("{}.to_thread", use_module(ctx, "asyncio", imports)?),
            true,
        )),
    }
}

/// `f(a, k=b)` -> `await asyncio.to_thread(f, a, k=b)`, importing asyncio when needed; with
/// anyio, trio or the user's runner, `await anyio.to_thread.run_sync(f, a)` (they pass no
/// keyword arguments on: with some, the call goes through `functools.partial`). Built from the
/// call node; parenthesized where the result is used (`(await ...).text`). `Err` says why no fix
/// is offered.
pub fn to_thread_fix(ctx: &Context<'_>, call: Node<'_>) -> Result<Fix, String> {
    let parenthesize = await_site(ctx, call)?;
    if replaces_default_executor(ctx, call) {
        return Err(
            "the function shuts down or replaces the loop's default executor, which a thread hop may need"
                .into(),
        );
    }
    if let Some(reader) = reads_context(ctx, call) {
        return Err(reader);
    }
    let (function, arguments) = call
        .field(Field::Function)
        .zip(call.field(Field::Arguments))
        .ok_or("not a plain call")?;
    if arguments.kind_name() != "argument_list" {
        return Err("its argument is a bare generator expression".into());
    }
    let source = ctx.source;
    let inner = source
        .get(arguments.start_byte() + 1..arguments.end_byte() - 1)
        .ok_or("no argument text")?
        .trim();
    let callee = source.get(function.byte_range()).ok_or("no callee text")?;
    let mut cursor = arguments.walk();
    let has_keywords = arguments
        .named_children(&mut cursor)
        .any(|a| matches!(a.kind_name(), "keyword_argument" | "dictionary_splat"));
    let mut imports = Vec::new();
    let (runner, keywords) = runner(ctx, &mut imports)?;
    let arguments = if has_keywords && !keywords {
        let functools = use_module(ctx, "functools", &mut imports)?;
        format!("{functools}.partial({})", join_call(callee, inner))
    } else {
        join_call(callee, inner)
    };
    let text = parenthesized(format!("await {runner}({arguments})"), parenthesize);
    let mut edits = vec![Edit::replacement(TextRange::of_node(call), text)];
    edits.extend(
        imports
            .iter()
            .map(|statement| add_module_statement(ctx.tree, ctx.source, statement)),
    );
    Ok(Fix::new(
        format!("Run it in a thread: `await {runner}(...)`"),
        Applicability::Unsafe,
        edits,
    ))
}

/// A reason not to move the call to a thread when it reads the loop or the stack itself (its
/// arguments are evaluated before the hop). The helpers TAU510 follows are checked there.
fn reads_context(ctx: &Context<'_>, call: Node<'_>) -> Option<String> {
    let range = TextRange::of_node(call);
    let name = ctx
        .semantic
        .async_calls
        .iter()
        .find(|c| c.range == range)?
        .callee
        .as_deref()?;
    CONTEXT_READERS.contains(&name).then(|| {
        format!("`{name}()` reads the running loop or the stack, which differ in a thread")
    })
}

/// `f, a, k=b`: the callee followed by the call's arguments, if any.
fn join_call(callee: &str, inner: &str) -> String {
    if inner.is_empty() {
        callee.to_owned()
    } else {
        format!("{callee}, {inner}")
    }
}

/// The module-level name bound to `import module`, if any.
pub fn module_name_for(semantic: &SemanticModel, module: &str) -> Option<String> {
    match module_name(semantic, module) {
        Name::Bound(name) => Some(name),
        _ => None,
    }
}

/// True when the module binds `module` by a plain `import module`.
pub(super) fn imports_module(semantic: &SemanticModel, module: &str) -> bool {
    matches!(module_name(semantic, module), Name::Bound(_))
}

/// The text of a `threading` lock held where `node` runs: a `with lock:` around it, or a
/// `lock.acquire()` statement before it in an enclosing block of the same function with no
/// `lock.release()` between. Only locks known to be `threading.Lock`/`RLock` count: a name or
/// `self.name` assigned nothing but `threading.Lock()`/`threading.RLock()`.
fn held_lock(ctx: &Context<'_>, node: Node<'_>) -> Option<String> {
    let mut child = node;
    let mut ancestor = node.parent();
    while let Some(parent) = ancestor {
        match parent.kind_name() {
            "function_definition" | "lambda" | "class_definition" => return None,
            "with_statement" if parent.field(Field::Body) == Some(child) => {
                let clause = parent
                    .named_child(0)
                    .filter(|c| c.kind_name() == "with_clause")?;
                let mut cursor = clause.walk();
                for item in clause.named_children(&mut cursor) {
                    let Some(value) = item.named_child(0) else {
                        continue;
                    };
                    let value = if value.kind_name() == "as_pattern" {
                        value.named_child(0).unwrap_or(value)
                    } else {
                        value
                    };
                    if is_threading_lock(ctx, value) {
                        return ctx.source.get(value.byte_range()).map(str::to_owned);
                    }
                }
            }
            "block" => {
                if let Some(lock) = acquired_before(ctx, parent, child) {
                    return Some(lock);
                }
            }
            _ => {}
        }
        child = parent;
        ancestor = parent.parent();
    }
    None
}

/// A lock acquired by a statement of `block` before `statement` and not released since.
fn acquired_before(ctx: &Context<'_>, block: Node<'_>, statement: Node<'_>) -> Option<String> {
    let mut held: Option<String> = None;
    let mut cursor = block.walk();
    for stmt in block.named_children(&mut cursor) {
        if stmt.id() == statement.id() {
            break;
        }
        let Some((receiver, method)) = method_statement(ctx, stmt) else {
            continue;
        };
        let text = ctx.source.get(receiver.byte_range())?.to_owned();
        match method {
            "acquire" if is_threading_lock(ctx, receiver) => held = Some(text),
            "release" if held.as_deref() == Some(text.as_str()) => held = None,
            _ => {}
        }
    }
    held
}

/// `receiver.method(...)` as an expression statement (not awaited).
fn method_statement<'t>(ctx: &Context<'t>, stmt: Node<'t>) -> Option<(Node<'t>, &'t str)> {
    let call = (stmt.kind_name() == "expression_statement")
        .then(|| stmt.named_child(0))
        .flatten()
        .filter(|c| c.kind_name() == "call")?;
    let function = call
        .field(Field::Function)
        .filter(|f| f.kind_name() == "attribute")?;
    let method = ctx
        .source
        .get(function.field(Field::Attribute)?.byte_range())?;
    Some((function.field(Field::Object)?, method))
}

/// True when `expr` (a name, or `self.name`) holds a `threading.Lock()` or `threading.RLock()`.
fn is_threading_lock(ctx: &Context<'_>, expr: Node<'_>) -> bool {
    let semantic = ctx.semantic;
    let source = ctx.source;
    let is_lock_call = |value: Node<'_>| {
        value.kind_name() == "call"
            && value
                .field(Field::Function)
                .and_then(|f| module_qualified_name(ctx, f))
                .is_some_and(|q| matches!(q.as_str(), "threading.Lock" | "threading.RLock"))
    };
    match expr.kind_name() {
        "identifier" => {
            let Some(name) = source.get(expr.byte_range()) else {
                return false;
            };
            let scope = enclosing_function_scope(ctx, expr);
            let binding = scope
                .and_then(|s| semantic.lookup(s, name))
                .or_else(|| semantic.lookup(SemanticModel::MODULE, name));
            let Some(binding) = binding else { return false };
            let binding = semantic.binding(binding);
            if binding.kind != BindingKind::Assignment {
                return false;
            }
            // Every assignment of the name in its scope builds a lock.
            semantic
                .scope(binding.scope)
                .bindings
                .iter()
                .map(|id| semantic.binding(*id))
                .filter(|b| b.name == binding.name)
                .all(|b| {
                    b.kind == BindingKind::Assignment
                        && find_node(ctx.tree, b.range)
                            .and_then(|n| n.parent())
                            .filter(|a| a.kind_name() == "assignment")
                            .and_then(|a| a.field(Field::Right))
                            .is_some_and(is_lock_call)
                })
        }
        "attribute" => {
            let (Some(object), Some(attribute)) =
                (expr.field(Field::Object), expr.field(Field::Attribute))
            else {
                return false;
            };
            if source.get(object.byte_range()) != Some("self") {
                return false;
            }
            let Some(class) = ancestor_of_kind(expr, "class_definition") else {
                return false;
            };
            let attribute = &source[attribute.byte_range()];
            let mut found = false;
            let mut stack = vec![class];
            while let Some(node) = stack.pop() {
                if node.kind_name() == "assignment" {
                    let target = node
                        .field(Field::Left)
                        .filter(|l| l.kind_name() == "attribute");
                    let assigned = target.is_some_and(|t| {
                        t.field(Field::Object)
                            .is_some_and(|o| source.get(o.byte_range()) == Some("self"))
                            && t.field(Field::Attribute)
                                .is_some_and(|a| source.get(a.byte_range()) == Some(attribute))
                    });
                    if assigned {
                        if !node.field(Field::Right).is_some_and(is_lock_call) {
                            return false;
                        }
                        found = true;
                    }
                }
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor));
            }
            found
        }
        _ => false,
    }
}

/// The innermost ancestor of `node` of `kind`.
fn ancestor_of_kind<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut ancestor = node.parent();
    while let Some(n) = ancestor {
        if n.kind_name() == kind {
            return Some(n);
        }
        ancestor = n.parent();
    }
    None
}

/// The scope of the function whose body holds `node`.
fn enclosing_function_scope(
    ctx: &Context<'_>,
    node: Node<'_>,
) -> Option<tauten_engine::semantic::ScopeId> {
    let function = TextRange::of_node(ancestor_of_kind(node, "function_definition")?);
    ctx.semantic
        .scope_ids()
        .find(|id| ctx.semantic.scope(*id).range == function)
}

/// The qualified name of `a.b.c` through the module-level imports (`threading.Lock`).
fn module_qualified_name(ctx: &Context<'_>, expr: Node<'_>) -> Option<String> {
    let mut parts = Vec::new();
    let mut node = expr;
    while node.kind_name() == "attribute" {
        parts.push(ctx.source.get(node.field(Field::Attribute)?.byte_range())?);
        node = node.field(Field::Object)?;
    }
    if node.kind_name() != "identifier" {
        return None;
    }
    let binding = ctx
        .semantic
        .lookup(SemanticModel::MODULE, ctx.source.get(node.byte_range())?)?;
    let import = ctx.semantic.binding(binding).as_import()?;
    let mut qualified = match import.kind {
        ImportKind::SubmoduleImport => import.module.split('.').next()?.to_owned(),
        _ => import.qualified_name(),
    };
    for part in parts.iter().rev() {
        qualified.push('.');
        qualified.push_str(part);
    }
    Some(qualified)
}
