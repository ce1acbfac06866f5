//! The blocking chains the project-wide search finds (a sync function's path to a blocking call)
//! and the guards that make a chain only possibly blocking.

use serde::{Deserialize, Serialize};

/// Why a call in a helper may not run on the common path: the chains through it are only
/// possibly blocking (TAU511), not blocking (TAU510). The asyncio rule family's
/// `CallAnalysis::call_sites` finds them; TAU511's doc lists the patterns.
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
    /// In the body of an `if` whose condition finds a module missing (`if not find_spec(name):`,
    /// `if importlib.util.find_spec(name) is None:`): only when a package is not installed.
    MissingPackage,
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
            Guard::MissingPackage => "only when a package is not installed",
            Guard::Generator => "only when the generator it returns is run (iterated or entered)",
            Guard::ContextExit => "only at the exit of a `with` block",
        }
    }
}

/// A call a function makes only when one of its parameters is given a value: in the body of
/// `if p:` or `if p is not None:` (or an `and` of such tests), where `p` has no default or
/// defaults to `None`, `False`, `0` or an empty literal, and is not rebound. A call of the
/// function that does not pass `p`, or passes it a value the test rejects, never makes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Gate {
    pub parameter: String,
    /// Its position among a call's positional arguments (`self`/`cls` not counted); `None` for a
    /// keyword-only parameter.
    pub position: Option<u8>,
    /// The test is of truth (`if p:`): any false value fails it. Otherwise (`if p is not None:`)
    /// only `None` is known to.
    #[serde(default)]
    pub truth: bool,
}

/// What the calls of one function pass to it, put together: the positions and keywords any of
/// them may give a value that is true, and one that is not `None` (a false literal, or a local
/// name bound only to one, gives nothing true: `f(path=None)`, `files = {}; f(files=files)`; see
/// [`Known`]), and whether any unpacks arguments. Keywords are kept as bits of a 32-bit set (a
/// name's hash picks its bit): a collision can only make a parameter look passed, which keeps a
/// chain. A run keeps one for each function's callee in the project.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Passed {
    pub may_be_true: Given,
    pub not_none: Given,
    /// A `*args` or `**kwargs`: anything may be passed.
    pub splat: bool,
}

/// Arguments given by position and by keyword, as sets of bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Given {
    pub keywords: u32,
    /// Bit `i`: the positional argument at `i`; bit 15 stands for every position from 15 on.
    pub positions: u16,
}

impl Given {
    /// The last bit of [`Given::positions`], shared by every position from it on.
    const LAST_POSITION: usize = 15;

    fn position_bit(at: usize) -> u16 {
        1 << at.min(Self::LAST_POSITION)
    }

    /// The bit of `keyword` in [`Given::keywords`].
    fn keyword_bit(keyword: &str) -> u32 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        keyword.hash(&mut hasher);
        1 << (hasher.finish() % 32)
    }

    fn has(&self, gate: &Gate) -> bool {
        self.keywords & Self::keyword_bit(&gate.parameter) != 0
            || (gate.position).is_some_and(|at| self.positions & Self::position_bit(at.into()) != 0)
    }

    fn merge(&mut self, other: &Given) {
        self.keywords |= other.keywords;
        self.positions |= other.positions;
    }
}

impl Passed {
    /// A keyword argument whose value is `known`.
    pub fn add_keyword(&mut self, keyword: &str, known: Known) {
        let bit = Given::keyword_bit(keyword);
        match known {
            Known::Nothing => {
                self.may_be_true.keywords |= bit;
                self.not_none.keywords |= bit;
            }
            Known::IsFalse => self.not_none.keywords |= bit,
            Known::IsNone => {}
        }
    }

    /// The positional argument at `at`, whose value is `known`.
    pub fn add_position(&mut self, at: usize, known: Known) {
        let bit = Given::position_bit(at);
        match known {
            Known::Nothing => {
                self.may_be_true.positions |= bit;
                self.not_none.positions |= bit;
            }
            Known::IsFalse => self.not_none.positions |= bit,
            Known::IsNone => {}
        }
    }

    /// Whether these arguments may give the parameter of `gate` a value its test accepts.
    pub fn gives(&self, gate: &Gate) -> bool {
        let given = if gate.truth {
            &self.may_be_true
        } else {
            &self.not_none
        };
        self.splat || given.has(gate)
    }

    /// Add what another call passes.
    pub fn merge(&mut self, other: &Passed) {
        self.may_be_true.merge(&other.may_be_true);
        self.not_none.merge(&other.not_none);
        self.splat |= other.splat;
    }
}

/// What is known of an argument's value whenever a call is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    Nothing,
    /// It is `None`.
    IsNone,
    /// It is false but not `None` (`False`, `0`, an empty literal).
    IsFalse,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn false_arguments_give_nothing_to_a_truth_test_and_only_none_fails_an_is_not_none_test() {
        let gate = |truth| Gate {
            parameter: "mode".into(),
            position: Some(1),
            truth,
        };
        let mut passed = Passed::default();
        passed.add_position(1, Known::IsNone);
        assert!(!passed.gives(&gate(true)) && !passed.gives(&gate(false)));
        passed.add_keyword("mode", Known::IsFalse);
        assert!(!passed.gives(&gate(true)));
        assert!(passed.gives(&gate(false)));
        let mut other = Passed::default();
        other.add_position(1, Known::Nothing);
        passed.merge(&other);
        assert!(passed.gives(&gate(true)));
        // Positions from 15 on share one bit.
        let far = Gate {
            position: Some(20),
            ..gate(true)
        };
        let mut long = Passed::default();
        long.add_position(17, Known::Nothing);
        assert!(long.gives(&far));
    }
}
