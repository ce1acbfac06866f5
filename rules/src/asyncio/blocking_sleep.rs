use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds `time.sleep()` calls inside `async def`.
    ///
    /// ## What it does
    /// Reports the call, with the qualified name it resolves to through imports and aliases (`from time import sleep as nap` is still `time.sleep`); a local function of the same name is not it. Calls in a nested `def` or `lambda` inside the `async def` are not reported: those run elsewhere (or in a thread).
    ///
    /// ## Why is this bad?
    /// `time.sleep` blocks the thread, and with it every task of the event loop, for the whole delay.
    ///
    /// ## Example
    /// ```python
    /// import time
    ///
    /// async def poll():
    ///     time.sleep(1)
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio
    ///
    /// async def poll():
    ///     await asyncio.sleep(1)
    /// ```
    pub struct BlockingSleep {
        code: "TAU501",
        name: "blocking-sleep",
        family: Async,
        fix: None,
        equivalents: [("ruff", "ASYNC251"), ("flake8-async", "ASYNC251")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    blocking::check(meta, blocking::SLEEP, "sleeps", ctx, out);
}
