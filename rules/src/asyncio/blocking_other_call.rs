use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds other well-known blocking calls inside `async def`: synchronous database drivers, DNS and socket connections, files opened by descriptor, and waits on thread primitives.
    ///
    /// ## What it does
    /// Reports `sqlite3.connect`, `psycopg.connect`, `psycopg2.connect`, `pymysql.connect`,
    /// `MySQLdb.connect`, `pymongo.MongoClient`, `redis.Redis`, `socket.create_connection`,
    /// `socket.getaddrinfo`, `socket.gethostbyname`, `os.open`, `tempfile.mkstemp`,
    /// `tempfile.mkdtemp` (they open or create a file on disk; ruff's ASYNC230 has only `open`
    /// and its kin), and, on objects built in the same expression,
    /// `threading.Lock().acquire`, `threading.Event().wait`, `threading.Thread().join`,
    /// `queue.Queue().get/join`. No other linter has these.
    ///
    /// ## Calls
    /// `MySQLdb.connect`, `os.open`, `psycopg.connect`, `psycopg2.connect`, `pymongo.MongoClient`,
    /// `pymysql.connect`, `queue.Queue.get`, `queue.Queue.join`,
    /// `redis.Redis.*`, `redis.StrictRedis.*`, `socket.create_connection`, `socket.getaddrinfo`,
    /// `socket.gethostbyname`, `sqlite3.connect`, `tempfile.mkdtemp`, `tempfile.mkstemp`,
    /// `threading.Barrier.wait`,
    /// `threading.BoundedSemaphore.acquire`, `threading.Condition.acquire`,
    /// `threading.Condition.wait`, `threading.Condition.wait_for`, `threading.Event.wait`,
    /// `threading.Lock.acquire`, `threading.RLock.acquire`, `threading.Semaphore.acquire`,
    /// `threading.Thread.join`.
    ///
    /// ## Not blocking
    /// Covered by a pattern above but doing no round trip, so never reported nor followed:
    /// `redis.Redis.bf`, `redis.Redis.cf`, `redis.Redis.close`, `redis.Redis.cms`,
    /// `redis.Redis.from_url`, `redis.Redis.ft`, `redis.Redis.json`, `redis.Redis.lock`,
    /// `redis.Redis.pipeline`, `redis.Redis.pubsub`, `redis.Redis.register_script`,
    /// `redis.Redis.tdigest`, `redis.Redis.topk`, `redis.Redis.ts`, `redis.StrictRedis.bf`,
    /// `redis.StrictRedis.cf`, `redis.StrictRedis.close`, `redis.StrictRedis.cms`,
    /// `redis.StrictRedis.from_url`, `redis.StrictRedis.ft`, `redis.StrictRedis.json`,
    /// `redis.StrictRedis.lock`, `redis.StrictRedis.pipeline`, `redis.StrictRedis.pubsub`,
    /// `redis.StrictRedis.register_script`, `redis.StrictRedis.tdigest`, `redis.StrictRedis.topk`,
    /// `redis.StrictRedis.ts` (a `redis.Redis(...)` client connects at its first command, not when
    /// built; `close()` releases its connections; `ft()`, `json()`, `ts()` and the other module
    /// helpers only build a command object).
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
    /// block, for a name or `self.name` assigned only such locks), in a function that calls
    /// `shutdown_default_executor` or `set_default_executor` (the thread may be asked of an
    /// executor that is shut down). It is unsafe: the call now runs concurrently with other tasks.
    ///
    /// ## Limits
    /// Methods are recognised on an object constructed in the same expression, on a variable
    /// bound to a constructor call (`lock = threading.Lock()`, `with httpx.Client() as c:`), or on
    /// a parameter annotated with the class (`lock: threading.Lock`); unannotated parameters,
    /// attributes and return values of other calls have no known type. Calls that do no I/O by
    /// their arguments are not reported: `sqlite3.connect(":memory:")` (or a `file::memory:` or
    /// `mode=memory` URI), `socket.getaddrinfo` with `AI_NUMERICHOST` in its flags (or a
    /// constant named `..._NUMERIC_ONLY`), and thread primitives asked not to wait
    /// (`lock.acquire(blocking=False)`, `acquire(False)`, `acquire(timeout=0)`,
    /// `q.get(block=False)`, `event.wait(0)`, `t.join(timeout=0)`). Nor are calls in a branch that never runs (the `else` of
    /// `if True:`, or a test of a module-level flag assigned once to `True`/`False`, as code
    /// generated in a sync and an async flavour has; this holds for TAU501-TAU507).
    /// Nor are waits that cannot wait (see TAU511's guards): `lock.acquire()` right after `lock =
    /// threading.Lock()`, `t.join()` of a thread known to have finished (under `if not
    /// t.is_alive():`, after a `while t.is_alive():` loop, or after awaiting a future the thread
    /// was given), `q.get()` under `while not q.empty():` or after `while q.empty(): await ...`.
    /// Calls on the error path (an `except` clause, a block ending in `raise`, a `raise`
    /// expression) or under a platform test are TAU511's, not this rule's.
    /// `queue.Queue.put` is not
    /// reported: it blocks only on a full bounded queue, and most queues are unbounded (wrapping
    /// the `put` that releases a worker thread in a thread hop hung trio's own test suite).
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
        |name| is_other_blocking(ctx, name),
        "blocks",
        blocking::Offer::ToThread,
        blocking::Paths::Common,
        ctx,
        out,
    );
}

/// A call of TAU507's table, or one of the user's extra blocking functions.
pub(super) fn is_other_blocking(ctx: &Context<'_>, name: &str) -> bool {
    blocking::in_table(blocking::OTHER, name)
        || blocking::is_extra_blocking(name, &ctx.settings.asyncio)
}
