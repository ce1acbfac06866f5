use tauten_engine::{declare_rule, Context, Diagnostic, RuleMeta};

use super::blocking;

declare_rule! {
    /// Finds file-system calls inside `async def`: `os.path` functions that stat, `pathlib.Path` methods that do I/O (`read_text`, `exists`, `iterdir`, `glob`, `stat`, ...), `shutil` copies, moves and `rmtree`.
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
    /// `os.path.exists`, `os.path.getatime`, `os.path.getctime`, `os.path.getmtime`,
    /// `os.path.getsize`, `os.path.isdir`, `os.path.isfile`, `os.path.islink`, `os.path.ismount`,
    /// `os.path.lexists`, `os.path.realpath`, `os.path.samefile`, `os.path.sameopenfile`,
    /// `pathlib.Path.chmod`, `pathlib.Path.exists`, `pathlib.Path.glob`, `pathlib.Path.group`,
    /// `pathlib.Path.hardlink_to`, `pathlib.Path.is_block_device`, `pathlib.Path.is_char_device`,
    /// `pathlib.Path.is_dir`, `pathlib.Path.is_fifo`, `pathlib.Path.is_file`,
    /// `pathlib.Path.is_junction`, `pathlib.Path.is_mount`, `pathlib.Path.is_socket`,
    /// `pathlib.Path.is_symlink`, `pathlib.Path.iterdir`, `pathlib.Path.lchmod`,
    /// `pathlib.Path.lstat`, `pathlib.Path.mkdir`, `pathlib.Path.owner`, `pathlib.Path.read_bytes`,
    /// `pathlib.Path.read_text`, `pathlib.Path.readlink`, `pathlib.Path.rename`,
    /// `pathlib.Path.replace`, `pathlib.Path.resolve`, `pathlib.Path.rglob`, `pathlib.Path.rmdir`,
    /// `pathlib.Path.samefile`, `pathlib.Path.stat`, `pathlib.Path.symlink_to`,
    /// `pathlib.Path.touch`, `pathlib.Path.unlink`, `pathlib.Path.walk`,
    /// `pathlib.Path.write_bytes`, `pathlib.Path.write_text`, `shutil.copy`, `shutil.copy2`,
    /// `shutil.copyfile`, `shutil.copytree`, `shutil.move`, `shutil.rmtree`.
    ///
    /// ## Not reported: path calls without disk I/O
    /// ruff's ASYNC240 also reports `os.path.abspath`, `os.path.expanduser`, `os.path.normpath`,
    /// `os.path.relpath`, `pathlib.Path.absolute` and `pathlib.Path.expanduser`, which in CPython
    /// do no disk I/O (string work, `os.getcwd()`, `$HOME`). TAU505 leaves them to TAU508, an
    /// opt-in rule for parity with ruff; `os.path.samestat` (it compares two stat results) is
    /// reported by neither.
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
        blocking::Paths::All,
        ctx,
        out,
    );
}
