//! The blocking calls the TAU5xx rules look for, by qualified name, and the check they share.

use tauten_engine::edits::{add_module_statement, find_node};
use tauten_engine::semantic::SemanticModel;
use tauten_engine::syntax::{Field, NodeFields};
use tauten_engine::{Applicability, Context, Diagnostic, Edit, Fix, RuleMeta, TextRange};
use tree_sitter::Node;

/// A qualified name: exact, or a prefix when it ends with `*` (`os.wait*`).
pub type Pattern = &'static str;

pub const SLEEP: &[Pattern] = &["time.sleep"];

pub const HTTP: &[Pattern] = &[
    "http.client.HTTPConnection.request",
    "http.client.HTTPSConnection.request",
    "httpx.Client.*",
    "httpx.delete",
    "httpx.get",
    "httpx.head",
    "httpx.options",
    "httpx.patch",
    "httpx.post",
    "httpx.put",
    "httpx.request",
    "httpx.stream",
    "requests.*",
    "urllib.request.urlopen",
    "urllib3.PoolManager.request",
    "urllib3.request",
];

pub const SUBPROCESS: &[Pattern] = &[
    "os.popen",
    "os.posix_spawn*",
    "os.spawn*",
    "os.system",
    "os.wait*",
    "subprocess.Popen",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "subprocess.run",
];

pub const OPEN: &[Pattern] = &[
    "builtins.open",
    "codecs.open",
    "io.open",
    "io.open_code",
    "os.fdopen",
    "pathlib.Path.open",
];

/// `os.path`: as ruff's ASYNC240, also `abspath`, `expanduser`, `normpath` and `relpath` (which
/// may read the working directory or the environment).
pub const PATH: &[Pattern] = &[
    "os.path.abspath",
    "os.path.exists",
    "os.path.expanduser",
    "os.path.getatime",
    "os.path.getctime",
    "os.path.getmtime",
    "os.path.getsize",
    "os.path.isdir",
    "os.path.isfile",
    "os.path.islink",
    "os.path.ismount",
    "os.path.lexists",
    "os.path.normpath",
    "os.path.realpath",
    "os.path.relpath",
    "os.path.samefile",
    "os.path.sameopenfile",
    "os.path.samestat",
    "pathlib.Path.absolute",
    "pathlib.Path.chmod",
    "pathlib.Path.exists",
    "pathlib.Path.expanduser",
    "pathlib.Path.glob",
    "pathlib.Path.group",
    "pathlib.Path.hardlink_to",
    "pathlib.Path.is_block_device",
    "pathlib.Path.is_char_device",
    "pathlib.Path.is_dir",
    "pathlib.Path.is_fifo",
    "pathlib.Path.is_file",
    "pathlib.Path.is_junction",
    "pathlib.Path.is_mount",
    "pathlib.Path.is_socket",
    "pathlib.Path.is_symlink",
    "pathlib.Path.iterdir",
    "pathlib.Path.lchmod",
    "pathlib.Path.lstat",
    "pathlib.Path.mkdir",
    "pathlib.Path.owner",
    "pathlib.Path.read_bytes",
    "pathlib.Path.read_text",
    "pathlib.Path.readlink",
    "pathlib.Path.rename",
    "pathlib.Path.replace",
    "pathlib.Path.resolve",
    "pathlib.Path.rglob",
    "pathlib.Path.rmdir",
    "pathlib.Path.samefile",
    "pathlib.Path.stat",
    "pathlib.Path.symlink_to",
    "pathlib.Path.touch",
    "pathlib.Path.unlink",
    "pathlib.Path.walk",
    "pathlib.Path.write_bytes",
    "pathlib.Path.write_text",
    "shutil.copy",
    "shutil.copy2",
    "shutil.copyfile",
    "shutil.copytree",
    "shutil.move",
    "shutil.rmtree",
];

pub const INPUT: &[Pattern] = &["builtins.input"];

/// Blockers no other linter reports: synchronous database drivers, sockets, and waits without a
/// timeout on thread primitives.
pub const OTHER: &[Pattern] = &[
    "MySQLdb.connect",
    "psycopg.connect",
    "psycopg2.connect",
    "pymongo.MongoClient",
    "pymysql.connect",
    "queue.Queue.get",
    "queue.Queue.join",
    "queue.Queue.put",
    "redis.Redis",
    "redis.StrictRedis",
    "socket.create_connection",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "sqlite3.connect",
    "threading.Event.wait",
    "threading.Lock.acquire",
    "threading.Semaphore.acquire",
    "threading.Thread.join",
];

fn matches(pattern: Pattern, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

/// True when `name` is in any of the blocking tables.
pub fn is_blocking(name: &str) -> bool {
    [SLEEP, HTTP, SUBPROCESS, OPEN, PATH, INPUT, OTHER]
        .iter()
        .any(|table| table.iter().any(|p| matches(p, name)))
}

/// How a rule offers to fix the blocking calls it reports.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    None,
    /// `f(args)` -> `await asyncio.to_thread(f, args)`.
    ToThread,
    /// The same, except for a call opening a `with` block (its reads would still block).
    ToThreadOutsideWith,
}

/// Report every call in an `async def` body to one of `patterns`.
pub fn check(
    meta: &'static RuleMeta,
    patterns: &[Pattern],
    what: &str,
    offer: Offer,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for call in &ctx.semantic.async_calls {
        let Some(name) = &call.callee else { continue };
        if patterns.iter().any(|p| matches(p, name)) {
            let message = format!("`{name}()` {what} inside `async def`, stalling the event loop");
            let fix = match offer {
                Offer::None => None,
                Offer::ToThread => to_thread_fix(ctx, call.range, false),
                Offer::ToThreadOutsideWith => to_thread_fix(ctx, call.range, true),
            };
            out.push(Diagnostic::new(meta, message, call.range).with_fix(fix));
        }
    }
}

/// The call node spanning exactly `range` (the outermost node there may be its statement).
pub fn call_node<'t>(ctx: &Context<'t>, range: TextRange) -> Option<Node<'t>> {
    let mut node = find_node(ctx.tree, range)?;
    while node.kind() != "call" {
        node = node
            .named_child(0)
            .filter(|c| TextRange::of_node(*c) == range)?;
    }
    Some(node)
}

/// The event loop library the module uses, and whether it is imported as a plain name.
pub fn event_loop_library(semantic: &SemanticModel) -> (&'static str, bool) {
    let imported = |module: &str| {
        semantic
            .lookup(SemanticModel::MODULE, module)
            .and_then(|b| semantic.binding(b).as_import().map(|i| i.module == module))
            .unwrap_or(false)
    };
    for library in ["asyncio", "trio", "anyio"] {
        if imported(library) {
            return (library, true);
        }
    }
    ("asyncio", false)
}

/// `f(a, k=b)` -> `await asyncio.to_thread(f, a, k=b)`, importing asyncio when needed. Not offered
/// in a module that uses trio or anyio (their `run_sync` takes no keyword arguments), nor for a
/// generator argument; with `outside_with`, not for the expression of a `with` item.
pub fn to_thread_fix(ctx: &Context<'_>, range: TextRange, outside_with: bool) -> Option<Fix> {
    let (library, bound) = event_loop_library(ctx.semantic);
    if library != "asyncio" {
        return None;
    }
    let call = call_node(ctx, range)?;
    if outside_with
        && call
            .parent()
            .is_some_and(|p| matches!(p.kind(), "with_item" | "as_pattern"))
    {
        return None;
    }
    let function = call.field(Field::Function)?;
    let arguments = call
        .field(Field::Arguments)
        .filter(|a| a.kind() == "argument_list")?;
    let inner = ctx
        .source
        .get(arguments.start_byte() + 1..arguments.end_byte() - 1)?
        .trim();
    let callee = ctx.source.get(function.byte_range())?;
    let replacement = if inner.is_empty() {
        format!("await asyncio.to_thread({callee})")
    } else {
        format!("await asyncio.to_thread({callee}, {inner})")
    };
    let mut edits = vec![Edit::replacement(range, replacement)];
    if !bound {
        edits.push(add_module_statement(ctx.tree, ctx.source, "import asyncio"));
    }
    Some(Fix::new(
        "Run it in a thread: `await asyncio.to_thread(...)`",
        Applicability::Unsafe,
        edits,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_patterns_match() {
        for table in [SLEEP, HTTP, SUBPROCESS, OPEN, PATH, INPUT, OTHER] {
            assert!(table.windows(2).all(|w| w[0] < w[1]), "{table:?}");
        }
        assert!(matches("os.wait*", "os.waitpid"));
        assert!(!matches("os.wait*", "os.walk"));
        assert!(matches("time.sleep", "time.sleep"));
        assert!(!matches("time.sleep", "time.sleeper"));
    }
}
