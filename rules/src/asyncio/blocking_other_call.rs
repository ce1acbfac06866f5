use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds other well-known blocking calls inside `async def`: synchronous database drivers, DNS and socket connections, and waits on thread primitives.
    ///
    /// ## What it does
    /// Reports `sqlite3.connect`, `psycopg.connect`, `psycopg2.connect`, `pymysql.connect`,
    /// `MySQLdb.connect`, `pymongo.MongoClient`, `redis.Redis`, `socket.create_connection`,
    /// `socket.getaddrinfo`, `socket.gethostbyname`, and, on objects built in the same expression,
    /// `threading.Lock().acquire`, `threading.Event().wait`, `threading.Thread().join`,
    /// `queue.Queue().get/put/join`. No other linter has these.
    ///
    /// ## Why is this bad?
    /// Each waits for the network, a database or another thread with the event loop's thread.
    ///
    /// ## Example
    /// ```python
    /// import sqlite3
    ///
    /// async def count(path):
    ///     return sqlite3.connect(path).execute("select count(*) from t").fetchone()
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio, sqlite3
    ///
    /// async def count(path):
    ///     return await asyncio.to_thread(lambda: sqlite3.connect(path).execute("select count(*) from t").fetchone())
    /// ```
    ///
    /// ## Fix safety
    /// The fix runs the call in a worker thread: `await asyncio.to_thread(f, ...)` (asyncio is
    /// imported when needed; in modules that use trio or anyio, `await trio.to_thread.run_sync(f, ...)` or
    /// `anyio.to_thread.run_sync`, through `functools.partial` when there are keyword arguments). It is unsafe: the call
    /// now runs concurrently with other tasks.
    ///
    /// ## Limits
    /// Methods are recognised on an object constructed in the same expression, or on a variable
    /// bound to a constructor call (`lock = threading.Lock()`, `with httpx.Client() as c:`);
    /// parameters, attributes and return values of other calls have no known type.
    pub struct BlockingOtherCall {
        code: "TAU507",
        name: "blocking-other-call",
        family: Async,
        fix: Sometimes,
        equivalents: [],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    blocking::check(
        meta,
        |name| {
            blocking::in_table(blocking::OTHER, name)
                || blocking::is_extra_blocking(name, &ctx.settings.asyncio)
        },
        "blocks",
        blocking::Offer::ToThread,
        ctx,
        out,
    );
}
