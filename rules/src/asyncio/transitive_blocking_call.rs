use std::collections::HashMap;
use tauten_engine::syntax::NodeKind;

use super::calls::generator_functions;
use tauten_engine::callgraph::{Gate, Guard, Passed};
use tauten_engine::config::LintSettings;
use tauten_engine::edits::find_node;
use tauten_engine::semantic::{CallFact, Callee, ScopeId, SemanticModel};
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::{
    declare_rule, Applicability, Context, Diagnostic, Edit, Fix, Related, RuleMeta, TextRange,
};
use tree_sitter::Node;

use super::blocking;

declare_rule! {
    /// Finds calls from `async def` to sync functions of the module that block, through any chain of sync calls.
    ///
    /// ## What it does
    /// Follows each call made in an `async def` into the module's own sync functions (called by
    /// name, or as methods through `self`/`cls` of the same class), and their calls in turn, until
    /// it reaches a blocking call of the TAU501-TAU507 tables (see each rule's "Calls"), or the
    /// user's `extra-blocking-functions`. The message shows the chain, ending in the first call of
    /// the last helper that really blocks: `load_settings -> read_config -> builtins.open()`.
    /// Calls that do no disk I/O are never a chain's end, even where TAU505 reports them for ruff
    /// parity (`os.path.abspath`, `normpath`, `relpath`, `expanduser`, `Path.absolute`,
    /// `Path.expanduser`), nor `os.fdopen` (it wraps a descriptor already open, which TAU504
    /// reports for parity with ASYNC230), nor are TAU507's "Not blocking" names, nor calls that by
    /// their arguments do no I/O: those TAU507 skips (`sqlite3.connect(":memory:")`,
    /// `lock.acquire(blocking=False)`, ...) and opens of a `/proc` or `/sys` file by a literal
    /// path (answered from the kernel's memory; TAU504 still reports them, as ASYNC230 does). Recursion and cycles end the
    /// search. A call whose result is awaited returns an awaitable and is not reported.
    /// Functions handed to `asyncio.to_thread`, `loop.run_in_executor`, `anyio.to_thread.run_sync`
    /// or `trio.to_thread.run_sync` are not called by the coroutine, so they are not followed; nor
    /// are nested `def`s and `lambda`s, which are their own context.
    ///
    /// ## Why is this bad?
    /// A blocking call stalls the event loop just as much when it hides in a helper: no linter
    /// looking only at the body of the `async def` sees it.
    ///
    /// ## Example
    /// ```python
    /// def read_config(path):
    ///     with open(path) as f:
    ///         return f.read()
    ///
    /// async def load_settings(path):
    ///     return read_config(path)
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio
    ///
    /// async def load_settings(path):
    ///     return await asyncio.to_thread(read_config, path)
    /// ```
    ///
    /// ## Fix safety
    /// Where the helper has an async sibling in the same module or class (`aacquire_lock` or
    /// `async_acquire_lock` for `acquire_lock`), an `async def` with the same parameters (names,
    /// kinds, defaults) that is not the caller itself, the fix awaits it: `await
    /// aacquire_lock(...)`. Otherwise it runs the helper in a worker thread: `await
    /// asyncio.to_thread(helper, ...)`, or `anyio.to_thread.run_sync` in a module that imports
    /// anyio in any form, `trio.to_thread.run_sync` where it imports trio (not anyio), or the
    /// `[tool.tauten.async] to-thread-runner` function (called as `await runner(func, *args)`),
    /// through `functools.partial` for keyword arguments where the runner takes none. Both replace
    /// the call node itself, parenthesized where the result is used. Neither is offered, and the
    /// message says why, inside a generator expression, for the expression of a `with` item (a
    /// context manager's work happens at `__enter__`), or while a `threading` lock is held; a
    /// thread is not offered for a helper that reads the running loop or the stack
    /// (`asyncio.get_running_loop`, `get_event_loop`, `current_task`, `inspect.stack`,
    /// `inspect.currentframe`, `sys._getframe`, `traceback.extract_stack`, ...), directly or
    /// through the project's functions it calls. Both fixes are unsafe: the helper now runs
    /// concurrently with other tasks.
    ///
    /// Across modules: when tauten checks a tree, it gathers every module's functions and their
    /// calls, finds the sync functions of the project that reach a blocking call, and follows calls
    /// to them by imported name (`from pkg.io import read_config`, relative imports too) or by
    /// module attribute (`from pkg import io; io.read_config()`), and methods of imported classes
    /// called on the class or on an object built in the same expression.
    ///
    /// Many callers: a helper called from more coroutines than `[tool.tauten.async]
    /// group-callers-above` (5 by default; distinct `async def`s, counted over the whole project)
    /// is reported once, at its call on the chain inside the helper (so its `# noqa` goes on that
    /// line), in the module defining it, naming the coroutines of other modules in the message and
    /// giving the module's own call sites as related information; its call sites are not
    /// reported, and there is no fix: the remedy is a design change (an async version of the
    /// helper, or one thread hop where its callers meet). `--statistics` counts it once. When every
    /// call site of the module is under a guard and no other module calls it, the finding is
    /// TAU511's instead.
    ///
    /// ## Limits
    /// A single file (`--stdin-filename`, the editor) is searched within itself. A name re-exported
    /// by a package's `__init__.py` is followed only under its defining module's name. Methods are
    /// followed on a class, an object built in the expression, a variable bound to a constructor
    /// call, or a parameter annotated with the class; not on attributes (`self.client.get()`).
    /// A chain that passes a guard (a platform test, an early `return`, a started-guard, a
    /// memoised helper, a lock just created, a finished thread, an `except` clause, a `raise`
    /// expression, an `if` on a setting, a polling loop's sleep, a generator created but not run, the exit half of a
    /// `@contextmanager`) is not reported here but by TAU511, which is not in the default
    /// selection; TAU511's page lists the patterns.
    ///
    /// A call a helper makes only when one of its parameters is given a value (in the body of
    /// `if p:` or `if p is not None:`, or of such an `elif`, or an `and` of such tests, where `p`
    /// has no default or defaults to `None`, `False`, `0` or an empty literal and the helper
    /// never rebinds it) is followed only from calls that may give `p` a value the test accepts:
    /// by keyword, at its position, or through `*args`/`**kwargs`. A `None` argument fails both
    /// tests, and `False`, `0` or an empty literal fails `if p:`; so does a name of the calling
    /// function bound only to such a literal (not to an empty list or dict, which the helper may
    /// fill). `add_part("f", data=b)` and `add_part("f", local_path=None)` are not reported when
    /// `add_part` looks at the disk only under `if local_path is not None:`;
    /// `add_part("f", local_path=p)` is.
    pub struct TransitiveBlockingCall {
        code: "TAU510",
        name: "transitive-blocking-call",
        family: Async,
        fix: Sometimes,
        equivalents: [],
        check: check,
    }
}

/// What a function reaches: a chain of names ending in a blocking call, or nothing.
type Reach = Option<Chain>;

#[derive(Clone)]
struct Chain {
    /// The names called, the last one the blocking call (`read_config`, `builtins.open()`).
    names: Vec<String>,
    /// The module's own functions among them, in order.
    functions: Vec<u32>,
    /// The first guard the chain passes (see [`super::calls`]): it only possibly blocks.
    guard: Option<Guard>,
    /// Where the function whose chain it is makes its call on the chain (none for a chain the
    /// project view gives).
    at: Option<TextRange>,
    /// The parameter of the function whose chain it is that the chain needs given ([`Gate`]).
    gate: Option<Gate>,
}

impl Chain {
    /// Whether a call passing `passed` can follow the chain.
    fn passable(&self, passed: &Passed) -> bool {
        self.gate.as_ref().is_none_or(|gate| passed.gives(gate))
    }
}

/// A call a function makes: its callee, the guard it is under, where it is, whether it
/// iterates, enters or passes on what it gets ([`CallSites::consumed`]), the caller's parameter
/// it is made only with, what it passes, and whether its arguments make it do no I/O.
type GuardedCall<'m> = (
    &'m Callee,
    Option<Guard>,
    TextRange,
    bool,
    Option<&'m Gate>,
    &'m Passed,
    bool,
);

struct Search<'m> {
    semantic: &'m SemanticModel,
    settings: &'m LintSettings,
    project: &'m tauten_engine::project::ProjectView,
    /// Calls of each function, by caller index, with the guard each is under.
    calls: HashMap<u32, Vec<GuardedCall<'m>>>,
    /// Whether each function is a generator function.
    generators: Vec<bool>,
    memo: HashMap<u32, Reach>,
    on_stack: Vec<u32>,
}

impl Search<'_> {
    /// The sync function a callee of `caller` names, if the module defines it.
    fn resolve(&self, caller: u32, callee: &Callee) -> Option<u32> {
        let functions = &self.semantic.functions;
        let found = match callee {
            Callee::Local { scope, name } => functions
                .iter()
                .rposition(|f| f.parent == *scope && f.name == *name && !f.parent_is_class),
            Callee::Method(name) => {
                let class = functions
                    .get(caller as usize)
                    .filter(|f| f.parent_is_class)?
                    .parent;
                functions
                    .iter()
                    .rposition(|f| f.parent == class && f.name == *name)
            }
            Callee::Qualified(_) => None,
        }?;
        // A function a decorator runs in a worker thread (`@work(thread=True)`) blocks no caller.
        let found_function = &functions[found];
        (!found_function.is_async && !found_function.runs_in_thread).then_some(found as u32)
    }

    /// A call to one of [`super::blocking::CONTEXT_READERS`] that `function` makes, directly or through
    /// the module's own functions it calls.
    fn context_reader(&self, function: u32, seen: &mut Vec<u32>) -> Option<String> {
        if seen.contains(&function) || seen.len() > 256 {
            return None;
        }
        seen.push(function);
        for (callee, ..) in self.calls.get(&function).into_iter().flatten() {
            if let Callee::Qualified(name) = callee {
                if blocking::CONTEXT_READERS.contains(&name.as_str()) {
                    return Some(name.clone());
                }
                if let Some(reader) = self.project.context_readers.get(name) {
                    return Some(reader.clone());
                }
            } else if let Some(next) = self.resolve(function, callee) {
                if let Some(found) = self.context_reader(next, seen) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// The blocking chain `function` reaches. Each function is searched once (memo); the recursion
    /// follows calls, not the syntax tree, and stops at 64 levels and at cycles.
    fn reach(&mut self, function: u32) -> Reach {
        if let Some(known) = self.memo.get(&function) {
            return known.clone();
        }
        if self.on_stack.contains(&function) || self.on_stack.len() > 64 {
            return None; // a cycle, or a chain too long to be worth following
        }
        self.on_stack.push(function);
        // The first chain on the common path, else the first made only with a parameter, else
        // the first through a guard.
        let mut found: Option<Chain> = None;
        let rank = |chain: &Chain| match (chain.guard, &chain.gate) {
            (None, None) => 0,
            (None, Some(_)) => 1,
            (Some(_), _) => 2,
        };
        let callees = self.calls.get(&function).cloned().unwrap_or_default();
        for (callee, call_guard, range, consumed, call_gate, passed, no_io) in callees {
            let candidate = if let Callee::Qualified(name) = callee {
                if no_io {
                    None
                } else if blocking::is_blocking(name, &self.settings.asyncio) {
                    Some(Chain {
                        names: vec![format!("{name}()")],
                        functions: Vec::new(),
                        guard: None,
                        at: None,
                        gate: None,
                    })
                } else {
                    self.project.blocking.get(name).map(|chain| Chain {
                        names: std::iter::once(name.clone())
                            .chain(chain.chain.clone())
                            .collect(),
                        functions: Vec::new(),
                        guard: generator_guard(chain.generator, consumed).or(chain.guard),
                        at: None,
                        gate: chain.gate.clone(),
                    })
                }
            } else if let Some(next) = self.resolve(function, callee) {
                let generator = self.generators[next as usize];
                self.reach(next).map(|mut chain| {
                    let name = self.semantic.functions[next as usize].name.clone();
                    chain.names.insert(0, name);
                    chain.functions.insert(0, next);
                    chain.guard = generator_guard(generator, consumed).or(chain.guard);
                    chain
                })
            } else {
                None
            };
            // A call that does not pass the parameter its callee blocks only with is no path.
            let Some(mut chain) = candidate.filter(|chain| chain.passable(passed)) else {
                continue;
            };
            chain.guard = call_guard.or(chain.guard);
            chain.gate = call_gate.cloned();
            chain.at = Some(range);
            let common = rank(&chain) == 0;
            if found.as_ref().is_none_or(|f| rank(&chain) < rank(f)) {
                found = Some(chain);
            }
            if common {
                break;
            }
        }
        self.on_stack.pop();
        self.memo.insert(function, found.clone());
        found
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    check_chains(meta, ctx, out, false);
}

/// The findings of TAU510 (`possible` false: chains that block on the common path) or of TAU511
/// (`possible`: chains that pass a guard).
pub(super) fn check_chains(
    meta: &'static RuleMeta,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
    possible: bool,
) {
    let semantic = ctx.semantic;
    if semantic.calls.is_empty() || blocking::drives_coroutines_by_hand(ctx) {
        return;
    }
    let sites = ctx.call_sites();
    let guards = &sites.guards;
    let mut calls: HashMap<u32, Vec<GuardedCall<'_>>> = HashMap::new();
    for (index, ((call, guard), &consumed)) in (semantic.calls.iter().zip(guards))
        .zip(&sites.consumed)
        .enumerate()
    {
        let gate = sites.gates[index].as_ref();
        calls.entry(call.caller).or_default().push((
            &call.callee,
            *guard,
            call.range,
            consumed,
            gate,
            &sites.passed[index],
            sites.no_io[index],
        ));
    }
    let mut search = Search {
        semantic,
        settings: ctx.settings,
        project: ctx.project,
        calls,
        generators: generator_functions(semantic),
        memo: HashMap::new(),
        on_stack: Vec::new(),
    };
    let module = ctx.module.name.as_deref();
    // The qualified name of one of the module's functions, as the project pass knows it.
    let qualified = |function: u32| -> Option<String> {
        let path = semantic.functions[function as usize].path.as_deref()?;
        Some(format!("{}.{path}", module?))
    };
    let mut found_calls = Vec::new();
    for (index, ((call, site_guard), &consumed)) in (semantic.calls.iter().zip(guards))
        .zip(&sites.consumed)
        .enumerate()
    {
        let passed = &sites.passed[index];
        if !semantic.functions[call.caller as usize].is_async {
            continue;
        }
        let Some(node) = blocking::call_node(ctx, call.range) else {
            continue;
        };
        if blocking::is_awaited(node) {
            continue; // it returns an awaitable: not a sync call
        }
        let found = match &call.callee {
            Callee::Qualified(name) => ctx
                .project
                .blocking
                .get(name)
                .filter(|_| !blocking::is_blocking(name, &ctx.settings.asyncio))
                .filter(|chain| chain.gate.as_ref().is_none_or(|gate| passed.gives(gate)))
                .map(|chain| {
                    (
                        name.clone(),
                        Chain {
                            names: chain.chain.clone(),
                            functions: Vec::new(),
                            guard: generator_guard(chain.generator, consumed).or(chain.guard),
                            at: None,
                            gate: None,
                        },
                        None,
                    )
                }),
            callee => search.resolve(call.caller, callee).and_then(|target| {
                let mut chain = search
                    .reach(target)
                    .filter(|chain| chain.passable(passed))?;
                chain.guard =
                    generator_guard(search.generators[target as usize], consumed).or(chain.guard);
                let name = semantic.functions[target as usize].name.clone();
                Some((name, chain, Some(target)))
            }),
        };
        if let Some((name, chain, target)) = found {
            // The helper's key: its qualified name, or (not callable from elsewhere) its index.
            let key = match target {
                Some(target) => qualified(target).unwrap_or_else(|| format!("#{target}")),
                None => name.clone(),
            };
            found_calls.push(FoundCall {
                call,
                node,
                site_guard: *site_guard,
                name,
                chain,
                target,
                key,
            });
        }
    }

    // Helpers called from more coroutines than the limit: one finding each, in the helper.
    let limit = ctx.settings.asyncio.group_callers_above();
    let mut local_callers: HashMap<String, Vec<u32>> = HashMap::new();
    for found in &found_calls {
        let callers = local_callers.entry(found.key.clone()).or_default();
        if !callers.contains(&found.call.caller) {
            callers.push(found.call.caller);
        }
    }
    let callers_of = |key: &str| -> usize {
        let local = local_callers.get(key).map_or(0, Vec::len);
        let project = ctx.project.blocking_callers.get(key).map_or(0, Vec::len);
        local.max(project)
    };
    let mut grouped: Vec<String> = local_callers
        .keys()
        .chain(ctx.project.blocking_callers.keys())
        .filter(|key| callers_of(key) > limit)
        .cloned()
        .collect();
    grouped.sort();
    grouped.dedup();
    for key in &grouped {
        let key = key.as_str();
        // Only the module defining the helper reports it.
        let target = match key.strip_prefix('#') {
            Some(index) => index.parse::<u32>().ok(),
            None => semantic
                .functions
                .iter()
                .position(|f| {
                    !f.is_async && qualified_path(module, f.path.as_deref()).as_deref() == Some(key)
                })
                .map(|i| i as u32),
        };
        if let Some(target) = target {
            group_finding(
                meta,
                ctx,
                &mut search,
                target,
                key,
                &found_calls,
                possible,
                out,
            );
        }
    }

    for found in found_calls {
        if grouped.contains(&found.key) {
            continue; // reported once, in the helper
        }
        let FoundCall {
            call,
            node,
            site_guard,
            name,
            mut chain,
            target,
            ..
        } = found;
        chain.guard = site_guard.or(chain.guard);
        if chain.guard.is_some() != possible {
            continue;
        }
        let message = match chain.guard {
            None => format!(
                "`{name}()` blocks the event loop: {name} -> {}",
                chain.names.join(" -> ")
            ),
            Some(guard) => format!(
                "`{name}()` may block the event loop, {}: {name} -> {}",
                guard.describe(),
                chain.names.join(" -> ")
            ),
        };
        let related = target
            .map(|target| chain_steps(ctx, target, &name, &chain))
            .unwrap_or_default();
        let fix = match target {
            Some(target) => fix_local(ctx, &mut search, call.caller, target, node),
            None => match ctx.project.context_readers.get(&name) {
                Some(reader) => Err(format!(
                    "it calls `{reader}()`, which fails or answers differently in a worker thread"
                )),
                None => blocking::to_thread_fix(ctx, node),
            },
        };
        out.push(
            blocking::with_fix_or_reason(Diagnostic::new(meta, message, call.range), fix.map(Some))
                .with_related(related),
        );
    }
}

/// The guard of a call of a function that is a generator or not, made where its result is
/// consumed or not: a generator that is only created runs nothing.
fn generator_guard(generator: bool, consumed: bool) -> Option<Guard> {
    (generator && !consumed).then_some(Guard::Generator)
}

/// A call from an `async def` to a helper that blocks.
struct FoundCall<'a, 't> {
    call: &'a CallFact,
    node: Node<'t>,
    /// The guard the call itself is under.
    site_guard: Option<Guard>,
    /// The helper's name as the message shows it.
    name: String,
    chain: Chain,
    /// The helper, when the module defines it.
    target: Option<u32>,
    /// The helper's qualified name (`#index` for one other modules cannot call).
    key: String,
}

/// `module.path`, for a function with a path in a module with a name.
fn qualified_path(module: Option<&str>, path: Option<&str>) -> Option<String> {
    Some(format!("{}.{}", module?, path?))
}

/// The one finding of a helper (the module's function `target`, known as `key`) called from more
/// coroutines than the limit: at its call on the chain, with every call site of the module as
/// related information, and no fix.
#[allow(clippy::too_many_arguments)]
fn group_finding(
    meta: &'static RuleMeta,
    ctx: &Context<'_>,
    search: &mut Search<'_>,
    target: u32,
    key: &str,
    found_calls: &[FoundCall<'_, '_>],
    possible: bool,
    out: &mut Vec<Diagnostic>,
) {
    let semantic = ctx.semantic;
    let Some(mut chain) = search.reach(target) else {
        return;
    };
    let Some(at) = chain.at else {
        return;
    };
    let name = &semantic.functions[target as usize].name;
    // In the order of the text (a model updated in place may list calls in another order).
    let mut sites: Vec<&FoundCall<'_, '_>> = found_calls.iter().filter(|f| f.key == key).collect();
    sites.sort_by_key(|site| (site.call.range.start, site.call.range.end));
    let mut local: Vec<String> = Vec::new();
    for site in &sites {
        let caller = &semantic.functions[site.call.caller as usize];
        let caller_name = qualified_path(ctx.module.name.as_deref(), caller.path.as_deref())
            .unwrap_or_else(|| caller.name.clone());
        if !local.contains(&caller_name) {
            local.push(caller_name);
        }
    }
    let elsewhere: Vec<String> = (ctx.project.blocking_callers.get(key).into_iter().flatten())
        .filter(|c| !local.contains(c))
        .cloned()
        .collect();
    // Every call site under a guard (and none in other modules, whose guards are not known
    // here): the helper is reached only past those guards.
    let site_guards: Vec<Option<Guard>> = sites
        .iter()
        .map(|site| site.site_guard.or(site.chain.guard))
        .collect();
    if chain.guard.is_none() && elsewhere.is_empty() && site_guards.iter().all(Option::is_some) {
        chain.guard = site_guards.first().copied().flatten();
    }
    if chain.guard.is_some() != possible {
        return;
    }
    let count = local.len() + elsewhere.len();
    let mut message = match chain.guard {
        None => format!("`{name}()` blocks the event loop and is called from {count} coroutines"),
        Some(guard) => format!(
            "`{name}()` may block the event loop, {}, and is called from {count} coroutines",
            guard.describe()
        ),
    };
    if !elsewhere.is_empty() {
        message.push_str(&format!(
            " ({} in other modules: {})",
            elsewhere.len(),
            tauten_engine::project::describe_modules(&elsewhere)
        ));
    }
    message.push_str(&format!(": {name} -> {}", chain.names.join(" -> ")));
    let related = sites
        .iter()
        .map(|site| {
            let caller = &semantic.functions[site.call.caller as usize];
            Related {
                range: site.call.range,
                message: format!("called from `{}`", caller.name),
            }
        })
        .collect();
    out.push(
        blocking::with_fix_or_reason(
            Diagnostic::new(meta, message, at),
            Err(
                "a helper called from so many coroutines wants an async version (or one \
                 thread hop where its callers meet), not a hop at each call"
                    .into(),
            ),
        )
        .with_related(related),
    );
}

/// The fix of a call from `caller` to the module's own blocking helper `target`: `await` its
/// async sibling when it has one, else run it in a thread, unless it reads the running loop or
/// the stack.
fn fix_local(
    ctx: &Context<'_>,
    search: &mut Search<'_>,
    caller: u32,
    target: u32,
    call: Node<'_>,
) -> Result<Fix, String> {
    if let Some(fix) = async_sibling_fix(ctx, caller, target, call)? {
        return Ok(fix);
    }
    if let Some(reader) = search.context_reader(target, &mut Vec::new()) {
        return Err(format!(
            "it calls `{reader}()`, which fails or answers differently in a worker thread"
        ));
    }
    blocking::to_thread_fix(ctx, call)
}

/// `foo(...)` -> `await afoo(...)` (or `async_foo`) where the scope defining `foo` defines an
/// `async def` of that name with the same parameters (names, kinds, defaults), other than the
/// caller itself. `Ok(None)` when there is none; `Err` when there is one but `await` cannot go
/// where the call is.
fn async_sibling_fix(
    ctx: &Context<'_>,
    caller: u32,
    target: u32,
    call: Node<'_>,
) -> Result<Option<Fix>, String> {
    let functions = &ctx.semantic.functions;
    let helper = &functions[target as usize];
    let Some((index, sibling)) = functions.iter().enumerate().find(|(_, f)| {
        f.is_async
            && f.parent == helper.parent
            && (f.name == format!("a{}", helper.name) || f.name == format!("async_{}", helper.name))
    }) else {
        return Ok(None);
    };
    if index as u32 == caller {
        return Ok(None); // `async def afoo(): foo()` awaiting itself would recurse
    }
    let Some(function) = call.field(Field::Function) else {
        return Ok(None);
    };
    let name_node = match function.kind_name() {
        "identifier" => function,
        "attribute" => match function.field(Field::Attribute) {
            Some(attribute) => attribute,
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    if ctx.source[name_node.byte_range()] != helper.name {
        return Ok(None);
    }
    if function.kind_name() == "identifier" {
        // The sibling's name must reach the module's function from the caller's body.
        let caller_scope = functions[caller as usize].scope;
        if ctx.semantic.lookup(caller_scope, &sibling.name).is_some() {
            return Ok(None);
        }
    }
    if parameters(ctx, helper.scope) != parameters(ctx, sibling.scope)
        || parameters(ctx, helper.scope).is_none()
    {
        return Ok(None);
    }
    let parenthesize = blocking::await_site(ctx, call)?;
    let (start, end) = (call.start_byte(), call.end_byte());
    let text = format!(
        "await {}{}{}",
        &ctx.source[start..name_node.start_byte()],
        sibling.name,
        &ctx.source[name_node.end_byte()..end]
    );
    let edit = Edit::replacement(
        TextRange::of_node(call),
        blocking::parenthesized(text, parenthesize),
    );
    Ok(Some(Fix::new(
        format!("Await its async sibling: `await {}(...)`", sibling.name),
        Applicability::Unsafe,
        vec![edit],
    )))
}

/// The parameters of the function whose scope is `scope`: each one's kind, name and whether it
/// has a default.
fn parameters(ctx: &Context<'_>, scope: ScopeId) -> Option<Vec<(&'static str, String, bool)>> {
    let range = ctx.semantic.scope(scope).range;
    let mut node = find_node(ctx.tree, range)?;
    if node.kind_name() == "decorated_definition" {
        node = node.child_by_field_name("definition")?;
    }
    let params = node
        .field(Field::Parameters)
        .filter(|_| node.kind_name() == "function_definition")?;
    let mut cursor = params.walk();
    let list = params
        .named_children(&mut cursor)
        .map(|p| {
            let kind = match p.kind_name() {
                "list_splat_pattern" => "*",
                "dictionary_splat_pattern" => "**",
                "keyword_separator" => "*sep",
                "positional_separator" => "/",
                _ => "",
            };
            let has_default = matches!(
                p.kind_name(),
                "default_parameter" | "typed_default_parameter"
            );
            let name = match p.kind_name() {
                "identifier" => ctx.source[p.byte_range()].to_owned(),
                "default_parameter" | "typed_default_parameter" => p
                    .field(Field::Name)
                    .map(|n| ctx.source[n.byte_range()].to_owned())
                    .unwrap_or_default(),
                _ => {
                    // `name: T`, `*args`, `**kwargs`: the first identifier.
                    let mut cursor = p.walk();
                    let first = p
                        .named_children(&mut cursor)
                        .find(|c| c.kind_name() == "identifier");
                    first
                        .map(|n| ctx.source[n.byte_range()].to_owned())
                        .unwrap_or_default()
                }
            };
            (kind, name, has_default)
        })
        .collect();
    Some(list)
}

/// Where each of the module's own functions of a chain is defined, and what it calls next.
fn chain_steps(ctx: &Context<'_>, target: u32, name: &str, chain: &Chain) -> Vec<Related> {
    let functions = std::iter::once(target).chain(chain.functions.iter().copied());
    let names = std::iter::once(name).chain(chain.names.iter().map(String::as_str));
    let callees = chain.names.iter();
    functions
        .zip(names)
        .zip(callees)
        .filter_map(|((function, name), callee)| {
            let scope = ctx
                .semantic
                .scope(ctx.semantic.functions[function as usize].scope);
            let text = &ctx.source[scope.range.start..scope.range.end];
            let at = scope.range.start + text.find(&format!("def {name}"))? + "def ".len();
            Some(Related {
                range: TextRange::new(at, at + name.len()),
                message: format!("`{name}` calls `{callee}`"),
            })
        })
        .collect()
}
