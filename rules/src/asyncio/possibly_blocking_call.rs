use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;
use super::blocking_other_call::is_other_blocking;
use super::transitive_blocking_call::check_chains;

declare_rule! {
    /// Finds calls from `async def` to sync functions that block only on some paths: through a guard.
    ///
    /// ## What it does
    /// Follows calls from `async def` through sync helpers as TAU510 does, and reports the chains
    /// that TAU510 leaves out because every one of them passes a guard: the blocking call (or a
    /// call on the chain) runs only on one platform, only once, or only on a path the helper may
    /// not take. The message says which guard: `may block the event loop, only on one platform:
    /// ...`. A helper with a chain on the common path is TAU510's, not this rule's. The guards,
    /// looked for in the function making the call:
    ///
    /// - platform: the call is in the body of an `if` (not its `elif`/`else`) whose condition is
    ///   `sys.platform == "..."`, `sys.platform.startswith(...)`, `sys.platform in (...)`,
    ///   `os.name == "..."` or `platform.system() == "..."` (either side of `==`), alone or as
    ///   one part of an `and`; or the call is in an operand of `and` after such a test
    ///   (`os.name == "nt" and not os.path.exists(p)`);
    /// - early return: the statement holding the call comes, at the top level of the function's
    ///   body, after an `if` without `elif`/`else` whose body ends with `return`, so the call runs
    ///   only when that condition is false;
    /// - once-only: the same, when the condition is an attribute of `self`/`cls` (`if
    ///   self._started: return`) or `X is not None` (`if _client is not None: return _client`);
    /// - memoised: the function is decorated with `cache`, `lru_cache`, `lru_cache(...)` or
    ///   `cached_property` (of `functools`, or imported from it);
    /// - fresh lock: `lock.acquire()` in the statement right after `lock = threading.Lock()` (or
    ///   `RLock`, `Semaphore`, `BoundedSemaphore`) in the same block: nobody else holds it yet;
    /// - finished thread: `t.join()` in the body of `if not t.is_alive():`, after `while
    ///   t.is_alive(): ...` (a loop without `break`) in the same block, or after `await f` where
    ///   `f` is among the arguments of `t = threading.Thread(...)` (the thread sets the future as
    ///   its last step, as `shutdown_default_executor` does): the thread has finished;
    /// - drained queue: `q.get()` in the body of `while not q.empty():` or `if q.qsize() > 0:`
    ///   (`not q.empty()`, `q.qsize()`, `q.qsize() > 0`, alone or first in an `and`): an item is
    ///   waiting;
    /// - error path: the call is in an `except` clause (an error report, a repair), which runs
    ///   only while handling an exception;
    /// - before raise: the call is in a block (not the function's body) that ends with `raise`
    ///   (`if proc.poll() is not None: log(...); raise Died()`), which runs only on the way to
    ///   an exception;
    /// - raise: the call is in the expression of a `raise` statement (`raise
    ///   ffmpeg_failed(code, stderr)`): it builds the error, only on the way to an exception;
    /// - setting: the call is in the body of an `if` or `elif` (not `else`) whose condition reads
    ///   a setting: each part of an `or`, or one part of an `and` (through `not` and
    ///   parentheses), alone or compared with a literal, is a call of `get_option`,
    ///   `getoption`, `get_setting`, `getenv` or `os.environ.get`; an ALL_CAPS name or a dotted
    ///   name starting with one (`PREFECT_SERVER_EPHEMERAL_ENABLED`, `CONFIG.debug`) or its
    ///   `.value()`; a dotted name through `settings`, `config` or `conf` (`settings.DEBUG`); or
    ///   an attribute of `self` (`if not self.allow_private_urls:`, not a call nor a deeper
    ///   attribute). An opt-in feature, off in the common configuration. Also a call in the body
    ///   of a `for` loop or comprehension over an environment variable's entries (`for f in
    ///   os.environ.get("SETUP_FILES", "").split(",")`, `os.getenv(...)`): an opt-in list, empty
    ///   unless set;
    /// - missing package: the call is in the body of an `if` or `elif` whose condition finds a
    ///   module missing, `not find_spec(name)` or `find_spec(name) is None` (of
    ///   `importlib.util`), or an `or` of such tests: an install-on-demand helper runs `pip`
    ///   only when the package is not installed, not on a working install;
    /// - polling: a `time.sleep` in the body of a `while`/`for` loop, after a statement of that
    ///   body holding a `return` or a `break` of that loop (`wait_until(fn)` tests `fn()` first
    ///   and returns when it holds): it sleeps only when the condition does not hold at once;
    /// - generator: the function called is a generator function (its body has a `yield`) and
    ///   the call is a statement of its own or the value of an assignment (`gen = lines(path)`):
    ///   nothing of its body runs until the generator is iterated or entered. Iterating it
    ///   (`for`, a comprehension), entering it in a `with`, passing it to a call (`list(...)`),
    ///   returning or yielding it keeps the chain TAU510's;
    /// - context exit: the call comes after the first `yield` of a `@contextmanager` function
    ///   (`finally: thread.join()`): it runs when the `with` block ends, at shutdown or clean-up,
    ///   not when it is entered. What comes before the `yield` runs at `__enter__` and stays
    ///   TAU510's.
    ///
    /// The call from the `async def` itself counts too (a call under a platform guard or past an
    /// early return). This rule also reports TAU507's calls (thread waits, sync database and
    /// socket calls) made in the `async def` itself on the error path (an `except` clause, a
    /// block ending in `raise`, a `raise` expression) or under a platform test, which TAU507
    /// leaves out: "`threading.Thread.join()` may block inside `async def`, stalling the event
    /// loop, only while handling an exception". A fresh lock, a finished thread or a drained
    /// queue is no wait at all: neither rule reports it. Across modules the guards travel with the project's call graph. A helper
    /// reported once for its many callers (TAU510's "Many callers") is this rule's when every one
    /// of its call sites is under a guard and no other module calls it (the guard named is that
    /// of the first call site).
    ///
    /// Not in the default selection: it runs only when selected by its full code (`--select
    /// TAU511`, `extend-select = ["TAU511"]`); no prefix (`TAU5`) nor `ALL` enables it.
    ///
    /// ## Why is this bad?
    /// When the guarded path is taken, the helper stalls the event loop as TAU510's do; whether it
    /// matters (a Windows-only branch, a first call that warms a cache) is for the reader to judge.
    ///
    /// ## Example
    /// ```python
    /// import functools
    ///
    /// @functools.cache
    /// def settings():
    ///     with open("settings.toml") as f:
    ///         return f.read()
    ///
    /// async def handler():
    ///     return settings()
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio
    ///
    /// async def handler():
    ///     return await asyncio.to_thread(settings)
    /// ```
    ///
    /// ## Fix safety
    /// The same fixes as TAU510, withheld in the same places; both are unsafe.
    ///
    /// ## Limits
    /// The patterns are syntactic: a guard spelled another way (`IS_WINDOWS = sys.platform ==
    /// "win32"`, a flag checked in a caller) is not seen, and the chain is TAU510's. A setting
    /// guard does not know the setting's default: a flag that is on in most configurations
    /// still makes the chain possible only. A generator kept in a variable and iterated later
    /// (`gen = lines(p)`, then `for line in gen:`) is reported here, not by TAU510. A `thread.join()`
    /// after the thread signalled completion through an `Event` or a queue, not a future it was
    /// given, is not told from any other join. `with threading.Lock():` is no blocking call to begin with.
    pub struct PossiblyBlockingCall {
        code: "TAU511",
        name: "possibly-blocking-call",
        family: Async,
        fix: Sometimes,
        equivalents: [],
        check: check,
    }
}

fn check(meta: &'static RuleMeta, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    check_chains(meta, ctx, out, true);
    blocking::check(
        meta,
        |name| is_other_blocking(ctx, name),
        "may block",
        blocking::Offer::ToThread,
        blocking::Paths::Guarded,
        ctx,
        out,
    );
}
