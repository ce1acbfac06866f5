use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds file-system calls inside `async def`: `os.path` functions that stat, `pathlib.Path` methods that do I/O (`read_text`, `exists`, `iterdir`, `glob`, `stat`, ...), `shutil` copies, moves and `rmtree`.
    ///
    /// ## What it does
    /// Reports the call, with the qualified name it resolves to through imports and aliases (`from time import sleep as nap` is still `time.sleep`); a local function of the same name is not it. Calls in a nested `def` or `lambda` inside the `async def` are not reported: those run elsewhere (or in a thread).
    ///
    /// ## Why is this bad?
    /// Each of these waits for the file system with the thread, and every task waits too.
    ///
    /// ## Example
    /// ```python
    /// import os
    ///
    /// async def ready(path):
    ///     return os.path.exists(path)
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio, os
    ///
    /// async def ready(path):
    ///     return await asyncio.to_thread(os.path.exists, path)
    /// ```
    ///
    /// ## Fix safety
    /// The fix runs the call in a worker thread: `await asyncio.to_thread(f, ...)` (asyncio is
    /// imported when needed; in modules that use trio or anyio, `await trio.to_thread.run_sync(f, ...)` or
    /// `anyio.to_thread.run_sync`, through `functools.partial` when there are keyword arguments). It is
    /// unsafe: the call now runs concurrently with other tasks.
    pub struct BlockingPathCall {
        code: "TAU505",
        name: "blocking-path-call",
        family: Async,
        fix: Sometimes,
        equivalents: [("ruff", "ASYNC240")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    blocking::check(
        meta,
        |name| blocking::in_table(blocking::PATH, name),
        "touches the file system",
        blocking::Offer::ToThread,
        ctx,
        out,
    );
    blocking::check_with(
        meta,
        |name| blocking::in_table(blocking::PATH_RUFF_PARITY, name),
        |name| {
            let work = match name {
                "os.path.normpath" => "string work only",
                "os.path.expanduser" | "pathlib.Path.expanduser" => "it reads `$HOME`",
                _ => "string work and `os.getcwd()`",
            };
            format!(
                "`{name}()` does no disk I/O ({work}): reported inside `async def` for parity \
                 with ruff's ASYNC240, not a blocking call"
            )
        },
        blocking::Offer::None,
        ctx,
        out,
    );
    out.sort_by_key(|d| (d.range.start, d.range.end));
}
