//! The blocking chains the project-wide search finds (a sync function's path to a blocking call)
//! and the guards that make a chain only possibly blocking.

use serde::{Deserialize, Serialize};

/// Why a call in a helper may not run on the common path: the chains through it are only
/// possibly blocking (TAU511), not blocking (TAU510). See [`call_guards`] for the patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Guard {
    /// Under `if sys.platform == "win32":` and the like.
    Platform,
    /// After an `if ...: return` at the top level of the function's body.
    EarlyReturn,
    /// After `if self._started: return` or `if X is not None: return X`: once-only initialisation.
    OnceOnly,
    /// In a function decorated with `functools.cache`, `lru_cache` or `cached_property`.
    Memoised,
    /// `lock.acquire()` right after `lock = threading.Lock()`: nobody else can hold it.
    FreshLock,
    /// `t.join()` under `if not t.is_alive():`, after `while t.is_alive(): ...`, or after awaiting
    /// a future the thread was given: the thread has finished.
    FinishedThread,
    /// `q.get()` under `while not q.empty():` (or `q.qsize()`): an item is waiting.
    DrainedQueue,
    /// In an `except` clause: only when handling an error.
    ErrorPath,
    /// In the expression of a `raise` (an error message): only on the way to an exception.
    Raise,
    /// In a block (not the function's body) that ends with `raise`: only on the way to an
    /// exception.
    BeforeRaise,
    /// A sleep in a polling loop that returns or breaks first when its condition holds.
    Polling,
    /// In the body of an `if` whose condition reads a setting (`config.get_option(...)`, an
    /// ALL_CAPS constant, `settings.x`, a `self.flag`).
    Setting,
    /// A plain call of a generator function: it runs nothing until the generator is iterated.
    Generator,
    /// After the `yield` of a `@contextmanager`: it runs at the exit of the `with` block.
    ContextExit,
}

impl Guard {
    /// Why the call may not block, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Guard::Platform => "only on one platform",
            Guard::EarlyReturn => "only past an early `return`",
            Guard::OnceOnly => "only once (a started-guard returns early)",
            Guard::Memoised => "only on the first call (memoised)",
            Guard::FreshLock => "on a lock nobody else holds yet",
            Guard::FinishedThread => "on a thread that has finished",
            Guard::DrainedQueue => "on a queue that is not empty",
            Guard::ErrorPath => "only while handling an exception",
            Guard::Raise => "only while building an exception to raise",
            Guard::BeforeRaise => "only in a block that ends by raising an exception",
            Guard::Polling => "only if a polling loop's condition does not hold at once",
            Guard::Setting => "only when a setting turns it on",
            Guard::Generator => "only when the generator it returns is run (iterated or entered)",
            Guard::ContextExit => "only at the exit of a `with` block",
        }
    }
}

/// A call a function makes only when one of its optional parameters is given: in the body of
/// `if p:` or `if p is not None:` (or an `and` of such tests), where `p` defaults to `None`,
/// `False`, `0` or an empty literal and is not rebound. A call of the function that does not pass
/// `p` never makes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Gate {
    pub parameter: String,
    /// Its position among a call's positional arguments (`self`/`cls` not counted); `None` for a
    /// keyword-only parameter.
    pub position: Option<u8>,
}

/// What the calls of one function pass to it, put together (the positional arguments of the call
/// passing most, every keyword any passes). Keywords are kept as bits of a 32-bit set (a name's
/// hash picks its bit): a collision can only make a parameter look passed, which keeps a chain.
/// Eight bytes: a run keeps one for each function's callee in the project.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Passed {
    pub positional: u8,
    /// A `*args` or `**kwargs`: anything may be passed.
    pub splat: bool,
    pub keywords: u32,
}

impl Passed {
    /// The bit of `keyword` in [`Passed::keywords`].
    pub fn keyword_bit(keyword: &str) -> u32 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        keyword.hash(&mut hasher);
        1 << (hasher.finish() % 32)
    }

    pub fn add_keyword(&mut self, keyword: &str) {
        self.keywords |= Self::keyword_bit(keyword);
    }

    /// Whether these arguments may give the parameter of `gate`.
    pub fn gives(&self, gate: &Gate) -> bool {
        self.splat
            || self.keywords & Self::keyword_bit(&gate.parameter) != 0
            || gate.position.is_some_and(|at| at < self.positional)
    }

    /// Add what another call passes.
    pub fn merge(&mut self, other: &Passed) {
        self.positional = self.positional.max(other.positional);
        self.splat |= other.splat;
        self.keywords |= other.keywords;
    }
}

/// What the project-wide search tells of a sync function that reaches a blocking call.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BlockingChain {
    /// The chain after it: `["pkg.io.read_config", "builtins.open()"]`.
    pub chain: Vec<String>,
    /// The first guard the chain passes, when every chain it has passes one (possibly blocking).
    pub guard: Option<Guard>,
    /// The function itself is a generator: a plain call of it runs nothing.
    pub generator: bool,
    /// The chain starts with a call the function makes only when this parameter is given.
    #[serde(default)]
    pub gate: Option<Gate>,
}
