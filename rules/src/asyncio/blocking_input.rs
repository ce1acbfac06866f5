use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds `input()` calls inside `async def`.
    ///
    /// ## What it does
    /// Reports the call, with the qualified name it resolves to through imports and aliases (`from time import sleep as nap` is still `time.sleep`); a local function of the same name is not it. Calls in a nested `def` or `lambda` inside the `async def` are not reported: those run elsewhere (or in a thread).
    ///
    /// ## Why is this bad?
    /// `input()` blocks until the user types a line: nothing else on the event loop runs meanwhile.
    ///
    /// ## Example
    /// ```python
    /// async def main():
    ///     name = input("name? ")
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio
    ///
    /// async def main():
    ///     name = await asyncio.to_thread(input, "name? ")
    /// ```
    ///
    /// ## Fix safety
    /// The fix runs the call in a worker thread: `await asyncio.to_thread(f, ...)` (asyncio is
    /// imported when needed; in modules that use trio or anyio, `await trio.to_thread.run_sync(f, ...)` or
    /// `anyio.to_thread.run_sync`, through `functools.partial` when there are keyword arguments). It is
    /// unsafe: the call now runs concurrently with other tasks.
    pub struct BlockingInput {
        code: "TAU506",
        name: "blocking-input",
        family: Async,
        fix: Sometimes,
        equivalents: [("ruff", "ASYNC250"), ("flake8-async", "ASYNC250")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    blocking::check(
        meta,
        |name| blocking::in_table(blocking::INPUT, name),
        "waits for the terminal",
        blocking::Offer::ToThread,
        ctx,
        out,
    );
}
