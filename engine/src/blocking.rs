//! Which calls block the thread they run on, by qualified name: the tables the TAU5xx rules and
//! the project-wide search for blocking helpers share, with the user's additions and exceptions.

use crate::config::AsyncSettings;

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

pub fn matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

/// Every built-in table.
pub const TABLES: &[&[Pattern]] = &[SLEEP, HTTP, SUBPROCESS, OPEN, PATH, INPUT, OTHER];

/// True when `name` matches a pattern of `table`.
pub fn in_table(table: &[Pattern], name: &str) -> bool {
    table.iter().any(|p| matches(p, name))
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
        && (TABLES.iter().any(|table| in_table(table, name)) || is_extra_blocking(name, settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_patterns_match() {
        for table in TABLES {
            assert!(table.windows(2).all(|w| w[0] < w[1]), "{table:?}");
        }
        assert!(matches("os.wait*", "os.waitpid"));
        assert!(!matches("os.wait*", "os.walk"));
        assert!(matches("time.sleep", "time.sleep"));
        assert!(!matches("time.sleep", "time.sleeper"));
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
