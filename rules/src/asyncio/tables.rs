//! Which calls block the thread they run on, by qualified name: the tables the TAU5xx rules and
//! the project-wide search for blocking helpers share, with the user's additions and exceptions.

use tauten_engine::facts::ProjectView;
use tauten_engine::module::ModuleInfo;
use tauten_engine::semantic::SemanticModel;
use tauten_engine::settings::AsyncSettings;
use tauten_engine::syntax::{Field, NodeFields, NodeKind};
use tree_sitter::Node;

/// Calls that read the running event loop or the current stack: in a thread they fail or see
/// another stack.
pub const CONTEXT_READERS: &[&str] = &[
    "asyncio.current_task",
    "asyncio.get_event_loop",
    "asyncio.get_running_loop",
    "inspect.currentframe",
    "inspect.stack",
    "sniffio.current_async_library",
    "sys._getframe",
    "traceback.extract_stack",
    "traceback.format_stack",
    "traceback.print_stack",
];

/// A qualified name: exact, or a prefix when it ends with `*` (`os.wait*`).
pub type Pattern = &'static str;

pub const SLEEP: &[Pattern] = &["time.sleep"];

pub const HTTP: &[Pattern] = &[
    "http.client.HTTPConnection.request",
    "http.client.HTTPSConnection.request",
    "httpx.Client.close",
    "httpx.Client.delete",
    "httpx.Client.get",
    "httpx.Client.head",
    "httpx.Client.options",
    "httpx.Client.patch",
    "httpx.Client.post",
    "httpx.Client.put",
    "httpx.Client.request",
    "httpx.Client.send",
    "httpx.Client.stream",
    "httpx.delete",
    "httpx.get",
    "httpx.head",
    "httpx.options",
    "httpx.patch",
    "httpx.post",
    "httpx.put",
    "httpx.request",
    "httpx.stream",
    "requests.Session.delete",
    "requests.Session.get",
    "requests.Session.head",
    "requests.Session.options",
    "requests.Session.patch",
    "requests.Session.post",
    "requests.Session.put",
    "requests.Session.request",
    "requests.Session.send",
    "requests.api.*",
    "requests.connect",
    "requests.delete",
    "requests.get",
    "requests.head",
    "requests.options",
    "requests.patch",
    "requests.post",
    "requests.put",
    "requests.request",
    "requests.trace",
    "urllib.request.urlopen",
    "urllib3.PoolManager.request",
    "urllib3.request",
];

pub const SUBPROCESS: &[Pattern] = &[
    "os.popen",
    "os.posix_spawn*",
    "os.spawn*",
    "os.system",
    "os.wait",
    "os.wait3",
    "os.wait4",
    "os.waitid",
    "os.waitpid",
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

/// `os.path` functions and `pathlib.Path` methods that ask the file system: they stat, read,
/// write, list directories or resolve symbolic links.
pub const PATH: &[Pattern] = &[
    "os.path.exists",
    "os.path.getatime",
    "os.path.getctime",
    "os.path.getmtime",
    "os.path.getsize",
    "os.path.isdir",
    "os.path.isfile",
    "os.path.islink",
    "os.path.ismount",
    "os.path.lexists",
    "os.path.realpath",
    "os.path.samefile",
    "os.path.sameopenfile",
    "pathlib.Path.chmod",
    "pathlib.Path.exists",
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

/// Path functions that do no disk I/O, which ruff's ASYNC240 reports all the same. TAU505 reports
/// them inside `async def` for parity (with no fix: a thread hop buys nothing), but they do not
/// block: TAU510 never follows them and no chain ends in one. What each does, in CPython:
///
/// - `os.path.normpath`: string work only.
/// - `os.path.abspath`, `pathlib.Path.absolute`: string work, plus `os.getcwd()` when the path is
///   relative (one system call answered from the kernel's memory, no disk read).
/// - `os.path.relpath`: `abspath` of both paths.
/// - `os.path.expanduser`, `pathlib.Path.expanduser`: read `$HOME`; only for `~user`, or without
///   `$HOME`, the password database (`pwd`), which is environment, not the file system in use.
pub const PATH_RUFF_PARITY: &[Pattern] = &[
    "os.path.abspath",
    "os.path.expanduser",
    "os.path.normpath",
    "os.path.relpath",
    "pathlib.Path.absolute",
    "pathlib.Path.expanduser",
];

pub const INPUT: &[Pattern] = &["builtins.input"];

/// Blockers no other linter reports: synchronous database drivers, sockets, and waits without a
/// timeout on thread primitives.
pub const OTHER: &[Pattern] = &[
    "MySQLdb.connect",
    "os.open",
    "psycopg.connect",
    "psycopg2.connect",
    "pymongo.MongoClient",
    "pymysql.connect",
    "queue.Queue.get",
    "queue.Queue.join",
    "redis.Redis.*",
    "redis.StrictRedis.*",
    "socket.create_connection",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "sqlite3.connect",
    "tempfile.mkdtemp",
    "tempfile.mkstemp",
    "threading.Barrier.wait",
    "threading.BoundedSemaphore.acquire",
    "threading.Condition.acquire",
    "threading.Condition.wait",
    "threading.Condition.wait_for",
    "threading.Event.wait",
    "threading.Lock.acquire",
    "threading.RLock.acquire",
    "threading.Semaphore.acquire",
    "threading.Thread.join",
];

/// Names a pattern of the tables covers that do not block: constructors and helpers that do no
/// I/O (a `redis.Redis(...)` client connects at its first command, not when built). Never
/// reported, never followed.
pub const NOT_BLOCKING: &[Pattern] = &[
    "redis.Redis.bf",
    "redis.Redis.cf",
    "redis.Redis.close",
    "redis.Redis.cms",
    "redis.Redis.from_url",
    "redis.Redis.ft",
    "redis.Redis.json",
    "redis.Redis.lock",
    "redis.Redis.pipeline",
    "redis.Redis.pubsub",
    "redis.Redis.register_script",
    "redis.Redis.tdigest",
    "redis.Redis.topk",
    "redis.Redis.ts",
    "redis.StrictRedis.bf",
    "redis.StrictRedis.cf",
    "redis.StrictRedis.close",
    "redis.StrictRedis.cms",
    "redis.StrictRedis.from_url",
    "redis.StrictRedis.ft",
    "redis.StrictRedis.json",
    "redis.StrictRedis.lock",
    "redis.StrictRedis.pipeline",
    "redis.StrictRedis.pubsub",
    "redis.StrictRedis.register_script",
    "redis.StrictRedis.tdigest",
    "redis.StrictRedis.topk",
    "redis.StrictRedis.ts",
];

pub fn matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

/// Every built-in table.
pub const TABLES: &[&[Pattern]] = &[SLEEP, HTTP, SUBPROCESS, OPEN, PATH, INPUT, OTHER];

/// Calls of [`OPEN`] that open nothing: `os.fdopen` wraps a descriptor that is already open (its
/// `fstat` and `lseek` are answered from the kernel's memory). TAU504 reports it inside `async
/// def` for parity with ruff's ASYNC230, but it does not block: no chain ends in it (the
/// `os.open` or `tempfile.mkstemp` that opened the descriptor does, see [`OTHER`]).
pub const WRAPS_OPEN_DESCRIPTOR: &[Pattern] = &["os.fdopen"];

/// True when `name` matches a pattern of `table` and is not one of the [`NOT_BLOCKING`] names.
pub fn in_table(table: &[Pattern], name: &str) -> bool {
    table.iter().any(|p| matches(p, name)) && !NOT_BLOCKING.iter().any(|p| matches(p, name))
}

/// True when `name` is in the user's allow list: never reported, never followed as blocking.
pub fn is_allowed(name: &str, settings: &AsyncSettings) -> bool {
    settings
        .allowed_blocking_functions
        .iter()
        .any(|p| matches(p, name))
}

/// True when `name` is one of the user's extra blocking functions (and not allowed).
pub fn is_extra_blocking(name: &str, settings: &AsyncSettings) -> bool {
    settings
        .extra_blocking_functions
        .iter()
        .any(|p| matches(p, name))
        && !is_allowed(name, settings)
}

/// True when a call to `name` blocks: it is in a built-in table or the user's extra list, and not
/// in the allow list.
pub fn is_blocking(name: &str, settings: &AsyncSettings) -> bool {
    !is_allowed(name, settings)
        && (TABLES.iter().any(|table| in_table(table, name))
            && !WRAPS_OPEN_DESCRIPTOR.iter().any(|p| matches(p, name))
            || is_extra_blocking(name, settings))
}

/// A call of a blocking function that, by its arguments, does no I/O nor waits: a thread
/// primitive asked not to wait (`lock.acquire(blocking=False)`, `acquire(timeout=0)`,
/// `q.get(block=False)`, `event.wait(0)`, `t.join(timeout=0)`);
/// `sqlite3.connect(":memory:")` (or a `file::memory:` / `mode=memory` URI) opens an in-memory
/// database; `socket.getaddrinfo(..., flags=...)` with `AI_NUMERICHOST` in its flags (or a
/// constant named `..._NUMERIC_ONLY`, as trio spells it) resolves no name.
pub fn does_no_io(name: &str, call: Node<'_>, source: &str) -> bool {
    let argument = |position: usize, keyword: &str| argument(call, source, position, keyword);
    match name {
        "sqlite3.connect" => argument(0, "database")
            .filter(|a| a.kind_name() == "string")
            .map(|a| &source[a.byte_range()])
            .is_some_and(|text| {
                let text = text.trim_matches(|c| c == '"' || c == '\'');
                text == ":memory:"
                    || text.starts_with("file::memory:")
                    || text.contains("mode=memory")
            }),
        "socket.getaddrinfo" => argument(5, "flags")
            .map(|a| &source[a.byte_range()])
            .is_some_and(|text| text.contains("NUMERICHOST") || text.contains("NUMERIC_ONLY")),
        _ => {
            let text = |node: Option<Node<'_>>| node.map(|a| source[a.byte_range()].trim());
            let is_false = |text: Option<&str>| matches!(text, Some("False" | "0"));
            let is_zero = |text: Option<&str>| matches!(text, Some("0" | "0.0" | "0."));
            let method = name.rsplit('.').next().unwrap_or_default();
            let thread_primitive = name.starts_with("threading.") || name.starts_with("queue.");
            thread_primitive
                && match method {
                    "acquire" => {
                        is_false(text(argument(0, "blocking")))
                            || is_zero(text(argument(1, "timeout")))
                    }
                    "get" => is_false(text(argument(0, "block"))),
                    "wait" | "join" => is_zero(text(argument(0, "timeout"))),
                    _ => false,
                }
        }
    }
}

/// The argument of `call` at `position` (counting positional arguments only) or passed as
/// `keyword`.
pub fn argument<'t>(
    call: Node<'t>,
    source: &str,
    position: usize,
    keyword: &str,
) -> Option<Node<'t>> {
    let arguments = call.field(Field::Arguments)?;
    let mut cursor = arguments.walk();
    let mut positional = 0;
    for child in arguments.named_children(&mut cursor) {
        match child.kind_name() {
            "keyword_argument" => {
                let named = child.field(Field::Name);
                if named.is_some_and(|n| &source[n.byte_range()] == keyword) {
                    return child.field(Field::Value);
                }
            }
            "list_splat" | "dictionary_splat" | "comment" => {}
            _ => {
                if positional == position {
                    return Some(child);
                }
                positional += 1;
            }
        }
    }
    None
}

/// An open of a file of `/proc` or `/sys` (by a string or f-string literal): the kernel answers
/// from memory, no disk is read. TAU504 reports such an open inside `async def` all the same, as
/// ruff's ASYNC230 does; no chain ends in one.
pub fn opens_kernel_file(name: &str, call: Node<'_>, source: &str) -> bool {
    if !matches!(name, "builtins.open" | "io.open" | "codecs.open") {
        return false;
    }
    argument(call, source, 0, "file")
        .filter(|path| path.kind_name() == "string")
        .map(|path| source[path.byte_range()].trim_start_matches(['f', 'r', 'b', 'F', 'R', 'B']))
        .is_some_and(|text| {
            let text = text.trim_start_matches(['"', '\'']);
            text.starts_with("/proc/") || text.starts_with("/sys/")
        })
}

/// True when the module imports `package` in any form, anywhere: `import anyio`, `import
/// anyio.to_thread`, `import anyio as a`, `from anyio import to_thread`, `from anyio.abc import ...`.
pub fn imports_package(semantic: &SemanticModel, package: &str) -> bool {
    semantic.bindings.iter().any(|b| {
        b.as_import().is_some_and(|i| {
            i.module == package
                || i.module
                    .strip_prefix(package)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

/// The event loop library a module's fixes use, from what the module imports (or the package it
/// belongs to), then what its project imports: anyio (its calls run on asyncio and trio alike)
/// where the module, its package or its project uses anyio; trio where the module or its package
/// uses trio, or the project does and the module does not import asyncio; asyncio otherwise.
pub fn event_loop_library(
    semantic: &SemanticModel,
    module: &ModuleInfo,
    project: &ProjectView,
) -> &'static str {
    let uses = |package: &str| imports_package(semantic, package) || module.contains_in(package);
    if uses("anyio") {
        "anyio"
    } else if uses("trio") {
        "trio"
    } else if project.uses_anyio {
        "anyio"
    } else if project.uses_trio && !imports_package(semantic, "asyncio") {
        "trio"
    } else {
        "asyncio"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_patterns_match() {
        for table in TABLES.iter().chain([&PATH_RUFF_PARITY, &NOT_BLOCKING]) {
            assert!(table.windows(2).all(|w| w[0] < w[1]), "{table:?}");
        }
        assert!(matches("os.wait*", "os.waitpid"));
        assert!(!matches("os.wait*", "os.walk"));
    }

    #[test]
    fn calls_without_io_do_not_block() {
        let settings = AsyncSettings::default();
        for name in PATH_RUFF_PARITY {
            assert!(!is_blocking(name, &settings), "{name}");
        }
        for name in [
            "os.path.samestat",
            "os.waitstatus_to_exitcode",
            "requests.Session",
            "requests.exceptions.HTTPError",
            "requests.utils.quote",
            "httpx.Client.build_request",
            "redis.Redis",
            "redis.Redis.pipeline",
        ] {
            assert!(!is_blocking(name, &settings), "{name}");
        }
        for name in [
            "os.path.realpath",
            "os.waitpid",
            "requests.get",
            "requests.Session.get",
            "httpx.Client.send",
            "redis.Redis.get",
            "threading.RLock.acquire",
        ] {
            assert!(is_blocking(name, &settings), "{name}");
        }
        assert!(matches("time.sleep", "time.sleep"));
        assert!(!matches("time.sleep", "time.sleeper"));
        // Reported by TAU504 for parity, never a chain's end.
        assert!(in_table(OPEN, "os.fdopen"));
        assert!(!is_blocking("os.fdopen", &settings));
    }

    #[test]
    fn settings_add_and_allow() {
        let settings = AsyncSettings {
            extra_blocking_functions: vec!["legacy.db.*".into()],
            allowed_blocking_functions: vec!["time.sleep".into(), "legacy.db.fast".into()],
            ..AsyncSettings::default()
        };
        assert!(!is_blocking("time.sleep", &settings));
        assert!(is_blocking("subprocess.run", &settings));
        assert!(is_blocking("legacy.db.query", &settings));
        assert!(!is_blocking("legacy.db.fast", &settings));
        assert!(!is_blocking("legacy.other", &settings));
    }
}
