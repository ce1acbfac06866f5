use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds blocking process calls inside `async def`: `subprocess.run`/`call`/`check_call`/`check_output`/`Popen`/`getoutput`, `os.system`, `os.popen`, `os.spawn*`, `os.posix_spawn*`, `os.wait*`.
    ///
    /// ## What it does
    /// Reports the call, with the qualified name it resolves to through imports and aliases (`from time import sleep as nap` is still `time.sleep`); a local function of the same name is not it. Calls in a nested `def` or `lambda` inside the `async def` are not reported: those run elsewhere (or in a thread).
    ///
    /// ## Why is this bad?
    /// Starting or waiting for a process blocks the thread, and every task on the event loop with it.
    ///
    /// ## Example
    /// ```python
    /// import subprocess
    ///
    /// async def build():
    ///     subprocess.run(["make"])
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio
    ///
    /// async def build():
    ///     process = await asyncio.create_subprocess_exec("make")
    ///     await process.wait()
    /// ```
    ///
    /// ## Fix safety
    /// The fix runs the call in a worker thread: `await asyncio.to_thread(f, ...)` (asyncio is
    /// imported when needed; in modules that use trio or anyio, `await trio.to_thread.run_sync(f, ...)` or
    /// `anyio.to_thread.run_sync`, through `functools.partial` when there are keyword arguments). It is
    /// unsafe: the call now runs concurrently with other tasks.
    pub struct BlockingSubprocess {
        code: "TAU503",
        name: "blocking-subprocess",
        family: Async,
        fix: Sometimes,
        equivalents: [("ruff", "ASYNC220"), ("ruff", "ASYNC221"), ("ruff", "ASYNC222")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    blocking::check(
        meta,
        |name| blocking::in_table(blocking::SUBPROCESS, name),
        "runs or waits for a process",
        blocking::Offer::ToThread,
        ctx,
        out,
    );
}
