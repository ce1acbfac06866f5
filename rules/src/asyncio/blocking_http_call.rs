use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds synchronous HTTP requests inside `async def`: `requests`, `httpx`'s module functions and `Client` methods, `urllib.request.urlopen`, `urllib3`, `http.client` connections.
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
    /// `http.client.HTTPConnection.request`, `http.client.HTTPSConnection.request`,
    /// `httpx.Client.close`, `httpx.Client.delete`, `httpx.Client.get`, `httpx.Client.head`,
    /// `httpx.Client.options`, `httpx.Client.patch`, `httpx.Client.post`, `httpx.Client.put`,
    /// `httpx.Client.request`, `httpx.Client.send`, `httpx.Client.stream`, `httpx.delete`,
    /// `httpx.get`, `httpx.head`, `httpx.options`, `httpx.patch`, `httpx.post`, `httpx.put`,
    /// `httpx.request`, `httpx.stream`, `requests.Session.delete`, `requests.Session.get`,
    /// `requests.Session.head`, `requests.Session.options`, `requests.Session.patch`,
    /// `requests.Session.post`, `requests.Session.put`, `requests.Session.request`,
    /// `requests.Session.send`, `requests.api.*`, `requests.connect`, `requests.delete`,
    /// `requests.get`, `requests.head`, `requests.options`, `requests.patch`, `requests.post`,
    /// `requests.put`, `requests.request`, `requests.trace`, `urllib.request.urlopen`,
    /// `urllib3.PoolManager.request`, `urllib3.request`.
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
    let first = out.len();
    blocking::check(
        meta,
        |name| blocking::in_table(blocking::HTTP, name),
        "makes a blocking HTTP request",
        blocking::Offer::ToThread,
        blocking::Paths::All,
        ctx,
        out,
    );
    // Ruff's ASYNC212 is a call on an httpx client, ASYNC210 any other.
    let kind = |callee: &str, _: &str| {
        if callee.starts_with("httpx.Client.") {
            "ASYNC212"
        } else {
            "ASYNC210"
        }
    };
    blocking::set_kinds(ctx, &mut out[first..], kind);
}
