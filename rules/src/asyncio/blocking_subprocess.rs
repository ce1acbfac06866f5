use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds blocking process calls inside `async def`: `subprocess.run`/`call`/`check_call`/`check_output`/`Popen`/`getoutput`, `os.system`, `os.popen`, `os.spawn*`, `os.posix_spawn*`, `os.wait*`.
    ///
    /// ## What it does
    /// Reports the call, with the qualified name it resolves to through imports and aliases (`from time import sleep as nap` is still `time.sleep`); a local function of the same name is not it. Calls in a nested `def` or `lambda` inside the `async def` are not reported: those run elsewhere (or in a thread).
    ///
    /// A call whose result is awaited (`await x.get(...)`) returns an awaitable: it is not a
    /// blocking call and is not reported (in `await x.get_code(f).wait()`, `x.get_code(f)` is not
    /// awaited and can be). A parameter annotated with a class (`p: Path`, `pathlib.Path`, `Path |
    /// None`, `Optional[Path]`, `"Path"`) gives its method calls a receiver type, as a variable
    /// bound to a constructor call does.
    ///
    /// ## Calls
    /// `os.popen`, `os.posix_spawn*`, `os.spawn*`, `os.system`, `os.wait`, `os.wait3`, `os.wait4`,
    /// `os.waitid`, `os.waitpid`, `subprocess.Popen`, `subprocess.call`, `subprocess.check_call`,
    /// `subprocess.check_output`, `subprocess.getoutput`, `subprocess.getstatusoutput`,
    /// `subprocess.run`.
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
    /// The fix runs the call in a worker thread: `await asyncio.to_thread(f, ...)`, importing
    /// asyncio when needed. In a module that imports anyio in any form (`import anyio`, `import
    /// anyio.to_thread`, `from anyio import ...`), or in a project one of whose
    /// modules does, it is `await anyio.to_thread.run_sync(f, ...)`;
    /// where the module or its package imports trio (or the project does and the module
    /// does not import asyncio), `await trio.to_thread.run_sync(f, ...)`;
    /// these go through `functools.partial` when there are keyword arguments. The setting
    /// `[tool.tauten.async] to-thread-runner` (a function called as `await runner(func, *args)`,
    /// such as `starlette.concurrency.run_in_threadpool`) replaces them all. The fix replaces the
    /// call node itself, parenthesized where the result is used (`(await ...).text`). It is not
    /// offered where it cannot be right, and the message says why: inside a generator expression
    /// (past its first iterable, `await` would make it asynchronous), for the expression of a
    /// `with` item (the work of a context manager happens at `__enter__`), while a
    /// `threading.Lock`/`RLock` is held (`with lock:`, or after `lock.acquire()` in an enclosing
    /// block, for a name or `self.name` assigned only such locks). It is unsafe: the call now runs
    /// concurrently with other tasks.
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
    let first = out.len();
    blocking::check(
        meta,
        |name| blocking::in_table(blocking::SUBPROCESS, name),
        "runs or waits for a process",
        blocking::Offer::ToThread,
        blocking::Paths::All,
        ctx,
        out,
    );
    blocking::set_kinds(ctx, &mut out[first..], ruff_kind);
}

/// Ruff's code for a call: ASYNC222 waits for a process, ASYNC220 starts one without waiting
/// (`Popen`, `popen`, `posix_spawn`, `spawn*` with `P_NOWAIT`), ASYNC221 runs one to its end.
fn ruff_kind(callee: &str, call: &str) -> &'static str {
    let function = callee.rsplit('.').next().unwrap_or(callee);
    if callee.starts_with("os.wait") {
        "ASYNC222"
    } else if callee == "subprocess.Popen"
        || callee == "os.popen"
        || function.starts_with("posix_spawn")
        || (function.starts_with("spawn") && call.contains("P_NOWAIT"))
    {
        "ASYNC220"
    } else {
        "ASYNC221"
    }
}
