use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds files opened with blocking calls inside `async def`: `open`, `io.open`, `io.open_code`, `codecs.open`, `os.fdopen`, `Path(...).open`.
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
    /// `builtins.open`, `codecs.open`, `io.open`, `io.open_code`, `os.fdopen`, `pathlib.Path.open`.
    ///
    /// ## Why is this bad?
    /// Opening, reading and writing files block the thread; on slow or network file systems, for long.
    ///
    /// ## Example
    /// ```python
    /// async def load(path):
    ///     with open(path) as f:
    ///         return f.read()
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio
    ///
    /// async def load(path):
    ///     return await asyncio.to_thread(read, path)
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
    /// block, for a name or `self.name` assigned only such locks).
    /// For `with open(...) as f:`, whose reads would still block, a thread is not offered; when the
    /// project uses aiofiles (it imports it, lists it among its pyproject's dependencies, or sets
    /// `[tool.tauten.async] aiofiles = true`), the block becomes `async with aiofiles.open(...) as f:`
    /// with `await` on each `f.read()`/`f.write()`/... and `async for` over `f`, provided `f` is
    /// used in no other way. Both are unsafe: the call now runs concurrently with other tasks.
    pub struct BlockingFileOpen {
        code: "TAU504",
        name: "blocking-file-open",
        family: Async,
        fix: Sometimes,
        equivalents: [("ruff", "ASYNC230"), ("flake8-async", "ASYNC230")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    blocking::check(
        meta,
        |name| blocking::in_table(blocking::OPEN, name),
        "opens a file",
        blocking::Offer::AiofilesOrToThread,
        blocking::Paths::All,
        ctx,
        out,
    );
}
