use std::collections::HashMap;

use tauten_engine::config::LintSettings;
use tauten_engine::semantic::{Callee, SemanticModel};
use tauten_engine::{declare_rule, Context, Diagnostic, Related, RuleMeta, TextRange};

use super::blocking;

declare_rule! {
    /// Finds calls from `async def` to sync functions of the module that block, through any chain of sync calls.
    ///
    /// ## What it does
    /// Follows each call made in an `async def` into the module's own sync functions (called by
    /// name, or as methods through `self`/`cls` of the same class), and their calls in turn, until
    /// it reaches a blocking call of the TAU501-TAU507 tables. The message shows the chain:
    /// `load_settings -> read_config -> builtins.open()`. Recursion and cycles end the search.
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
    /// The fix runs the helper in a worker thread: `await asyncio.to_thread(helper, ...)` (asyncio
    /// is imported when needed; in modules that use trio or anyio, `await trio.to_thread.run_sync(f, ...)` or
    /// `anyio.to_thread.run_sync`, through `functools.partial` when there are keyword arguments). It is unsafe: the
    /// helper now runs concurrently with other tasks.
    ///
    /// Across modules: when tauten checks a tree, it gathers every module's functions and their
    /// calls, finds the sync functions of the project that reach a blocking call, and follows calls
    /// to them by imported name (`from pkg.io import read_config`, relative imports too) or by
    /// module attribute (`from pkg import io; io.read_config()`), and methods of imported classes
    /// called on the class or on an object built in the same expression.
    ///
    /// ## Limits
    /// A single file (`--stdin-filename`, the editor) is searched within itself. A name re-exported
    /// by a package's `__init__.py` is followed only under its defining module's name. Methods are
    /// followed on a class, an object built in the expression, or a variable bound to a
    /// constructor call; not on parameters or attributes (`self.client.get()`).
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
}

struct Search<'m> {
    semantic: &'m SemanticModel,
    settings: &'m LintSettings,
    project: &'m tauten_engine::project::ProjectView,
    /// Calls of each function, by caller index.
    calls: HashMap<u32, Vec<&'m Callee>>,
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
        (!functions[found].is_async).then_some(found as u32)
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
        let mut found = None;
        let callees = self.calls.get(&function).cloned().unwrap_or_default();
        for callee in callees {
            if let Callee::Qualified(name) = callee {
                if blocking::is_blocking(name, &self.settings.asyncio) {
                    found = Some(Chain {
                        names: vec![format!("{name}()")],
                        functions: Vec::new(),
                    });
                    break;
                }
                if let Some(chain) = self.project.blocking.get(name) {
                    found = Some(Chain {
                        names: std::iter::once(name.clone()).chain(chain.clone()).collect(),
                        functions: Vec::new(),
                    });
                    break;
                }
                continue;
            }
            let Some(next) = self.resolve(function, callee) else {
                continue;
            };
            if let Some(mut chain) = self.reach(next) {
                let name = self.semantic.functions[next as usize].name.clone();
                chain.names.insert(0, name);
                chain.functions.insert(0, next);
                found = Some(chain);
                break;
            }
        }
        self.on_stack.pop();
        self.memo.insert(function, found.clone());
        found
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let semantic = ctx.semantic;
    if semantic.calls.is_empty() {
        return;
    }
    let mut calls: HashMap<u32, Vec<&Callee>> = HashMap::new();
    for call in &semantic.calls {
        calls.entry(call.caller).or_default().push(&call.callee);
    }
    let mut search = Search {
        semantic,
        settings: ctx.settings,
        project: ctx.project,
        calls,
        memo: HashMap::new(),
        on_stack: Vec::new(),
    };
    for call in &semantic.calls {
        if !semantic.functions[call.caller as usize].is_async {
            continue;
        }
        let found = match &call.callee {
            Callee::Qualified(name) => ctx
                .project
                .blocking
                .get(name)
                .filter(|_| !blocking::is_blocking(name, &ctx.settings.asyncio))
                .map(|chain| {
                    let names = chain.clone();
                    (
                        name.clone(),
                        Chain {
                            names,
                            functions: Vec::new(),
                        },
                        None,
                    )
                }),
            callee => search.resolve(call.caller, callee).and_then(|target| {
                let chain = search.reach(target)?;
                let name = semantic.functions[target as usize].name.clone();
                Some((name, chain, Some(target)))
            }),
        };
        if let Some((name, chain, target)) = found {
            let message = format!(
                "`{name}()` blocks the event loop: {name} -> {}",
                chain.names.join(" -> ")
            );
            let related = target
                .map(|target| chain_steps(ctx, target, &name, &chain))
                .unwrap_or_default();
            let fix = blocking::to_thread_fix(ctx, call.range, true);
            out.push(
                Diagnostic::new(meta, message, call.range)
                    .with_fix(fix)
                    .with_related(related),
            );
        }
    }
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
