use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds files opened with blocking calls inside `async def`: `open`, `io.open`, `io.open_code`, `codecs.open`, `os.fdopen`, `Path(...).open`.
    ///
    /// ## What it does
    /// Reports the call, with the qualified name it resolves to through imports and aliases (`from time import sleep as nap` is still `time.sleep`); a local function of the same name is not it. Calls in a nested `def` or `lambda` inside the `async def` are not reported: those run elsewhere (or in a thread).
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
    /// The fix runs the call in a worker thread: `await asyncio.to_thread(f, ...)` (asyncio is
    /// imported when needed; in modules that use trio or anyio, `await trio.to_thread.run_sync(f, ...)` or
    /// `anyio.to_thread.run_sync`, through `functools.partial` when there are keyword arguments).
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
        ctx,
        out,
    );
}
