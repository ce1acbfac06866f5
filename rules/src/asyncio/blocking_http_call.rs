use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds synchronous HTTP requests inside `async def`: `requests`, `httpx`'s module functions and `Client` methods, `urllib.request.urlopen`, `urllib3`, `http.client` connections.
    ///
    /// ## What it does
    /// Reports the call, with the qualified name it resolves to through imports and aliases (`from time import sleep as nap` is still `time.sleep`); a local function of the same name is not it. Calls in a nested `def` or `lambda` inside the `async def` are not reported: those run elsewhere (or in a thread).
    ///
    /// ## Why is this bad?
    /// A synchronous request waits for the network with the thread, so every other task waits too.
    ///
    /// ## Example
    /// ```python
    /// import requests
    ///
    /// async def fetch(url):
    ///     return requests.get(url).text
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import httpx
    ///
    /// async def fetch(url):
    ///     async with httpx.AsyncClient() as client:
    ///         return (await client.get(url)).text
    /// ```
    ///
    /// ## Fix safety
    /// The fix runs the call in a worker thread: `await asyncio.to_thread(f, ...)` (asyncio is
    /// imported when needed; in modules that use trio or anyio, `await trio.to_thread.run_sync(f, ...)` or
    /// `anyio.to_thread.run_sync`, through `functools.partial` when there are keyword arguments). It is
    /// unsafe: the call now runs concurrently with other tasks.
    pub struct BlockingHttpCall {
        code: "TAU502",
        name: "blocking-http-call",
        family: Async,
        fix: Sometimes,
        equivalents: [("ruff", "ASYNC210"), ("ruff", "ASYNC212"), ("flake8-async", "ASYNC210")],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    blocking::check(
        meta,
        |name| blocking::in_table(blocking::HTTP, name),
        "makes a blocking HTTP request",
        blocking::Offer::ToThread,
        ctx,
        out,
    );
}
