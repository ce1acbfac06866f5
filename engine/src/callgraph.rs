//! The project-wide search for blocking helpers. Each module's summary says which of its
//! functions block directly and what they call ([`FunctionCalls`], made by the [`CallAnalysis`]
//! the asyncio rule family provides); [`blocking_functions`] and [`context_readers`] put the
//! modules together and find the sync functions that reach a blocking call, or read the running
//! loop, through any chain of calls, across modules.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use tree_sitter::Tree;

use crate::module::ModuleInfo;
use crate::semantic::SemanticModel;
use crate::settings::LintSettings;

pub use crate::chains::{BlockingChain, Gate, Given, Guard, Known, Passed};

/// What the engine asks of the rule family that knows which calls block and which guards a call
/// can be under: the engine holds no table of its own. Front ends get it from the rules' registry
/// and give it to every check, so that a file's summary does not depend on the rules selected.
pub trait CallAnalysis: Sync {
    /// The guard of each of `semantic.calls`, whether it uses its result, the parameter it is
    /// made only with and what it passes, in the model's order.
    fn call_sites(&self, tree: &Tree, source: &str, semantic: &SemanticModel) -> CallSites;

    /// The module's functions with their blocking calls and other calls, for its summary.
    fn functions(
        &self,
        semantic: &SemanticModel,
        sites: &CallSites,
        module: &ModuleInfo,
        settings: &LintSettings,
    ) -> Vec<FunctionCalls>;
}

/// No call analysis (the engine's own tests, a run without the asyncio rules): no call is known
/// to be guarded, and no function is summarised.
pub struct NoCallAnalysis;

impl CallAnalysis for NoCallAnalysis {
    fn call_sites(&self, _: &Tree, _: &str, semantic: &SemanticModel) -> CallSites {
        let calls = semantic.calls.len();
        CallSites {
            guards: vec![None; calls],
            consumed: vec![true; calls],
            gates: vec![None; calls],
            passed: vec![Passed::default(); calls],
            no_io: vec![false; calls],
        }
    }

    fn functions(
        &self,
        _: &SemanticModel,
        _: &CallSites,
        _: &ModuleInfo,
        _: &LintSettings,
    ) -> Vec<FunctionCalls> {
        Vec::new()
    }
}

/// A function other modules can call, as the search sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionCalls {
    /// Its qualified name (`pkg.mod.f`, `pkg.mod.C.m`).
    pub name: String,
    pub is_async: bool,
    /// The first blocking call it makes directly (`builtins.open`): the first one on the common
    /// path, else the first one under a guard.
    pub blocking: Option<String>,
    /// The guard that call is under, if every direct blocking call is under one.
    pub blocking_guard: Option<Guard>,
    /// The qualified names of the other calls it makes (calls to this module's functions
    /// qualified with the module's name; methods through `self`/`cls` with the class's).
    pub calls: Vec<String>,
    /// Those of `calls` it makes only under a guard, with the guard of the first.
    pub guarded: Vec<(String, Guard)>,
    /// A call it makes directly that reads the running loop or the stack
    /// (the asyncio family's `CONTEXT_READERS`): it must not be moved to a thread.
    pub context_reader: Option<String>,
    /// Its body has a `yield`: calling it runs nothing until the generator is iterated.
    pub generator: bool,
    /// Those of `calls` it makes at least once where the result is iterated, entered or passed
    /// on ([`CallSites::consumed`]): a generator called there runs.
    pub consumed: Vec<String>,
    /// The parameter its blocking call is made only with, when it is made only with one.
    #[serde(default)]
    pub blocking_gate: Option<Gate>,
    /// Those of `calls` it makes (off guards) only when one of its parameters is given.
    #[serde(default)]
    pub needs: Vec<(String, Gate)>,
    /// What its calls of each of `calls` pass, put together, in the same order.
    #[serde(default)]
    pub passes: Vec<Passed>,
}

impl FunctionCalls {
    /// The guard of its call to `callee`, when it makes that call only under guards.
    pub fn guard_of(&self, callee: &str) -> Option<Guard> {
        self.guarded
            .iter()
            .find(|(name, _)| name == callee)
            .map(|(_, guard)| *guard)
    }

    /// Whether its calls of `callee` may give the parameter of `gate`.
    pub fn gives(&self, callee: &str, gate: &Gate) -> bool {
        let at = self.calls.iter().position(|name| name == callee);
        at.and_then(|at| self.passes.get(at))
            .is_some_and(|passed| passed.gives(gate))
    }

    /// The parameter its call of `callee` is made only with, when it is.
    pub fn gate_of(&self, callee: &str) -> Option<&Gate> {
        self.needs
            .iter()
            .find(|(name, _)| name == callee)
            .map(|(_, gate)| gate)
    }

    /// The guard of its call to `callee`, a function that is a generator or not: a generator
    /// that it never iterates, enters or passes on runs nothing.
    pub fn edge_guard(&self, callee: &str, callee_is_generator: bool) -> Option<Guard> {
        self.guard_of(callee).or_else(|| {
            (callee_is_generator && !self.consumed.iter().any(|c| c == callee))
                .then_some(Guard::Generator)
        })
    }
}

/// What [`CallAnalysis::call_sites`] finds of each of `semantic.calls`, in the same order.
#[derive(Debug, Clone, Default)]
pub struct CallSites {
    /// The guard the call is under, if any.
    pub guards: Vec<Option<Guard>>,
    /// The call uses the object it returns ([`uses_result`]): a generator called there runs.
    pub consumed: Vec<bool>,
    /// The optional parameter of the calling function the call is made only with ([`Gate`]);
    /// none for a call under a guard.
    pub gates: Vec<Option<Gate>>,
    /// What the call passes.
    pub passed: Vec<Passed>,
    /// A blocking function called so that it does no I/O (the asyncio family's `does_no_io`
    /// and `opens_kernel_file`): no chain ends in it.
    pub no_io: Vec<bool>,
}

/// Every sync function of the project that reaches a blocking call, by qualified name, with the
/// chain after it: `["pkg.io.read_config", "builtins.open()"]` for a function that calls
/// `read_config`, which opens a file. The search runs backwards from the blocking calls over the
/// reversed call graph (linear, so cycles end it), and each function gets its shortest chain: one
/// that passes no guard when it has one (blocking), else one that does (possibly blocking, with
/// the chain's first guard).
pub fn blocking_functions<'a>(
    modules: impl IntoIterator<Item = &'a [FunctionCalls]>,
) -> BTreeMap<String, BlockingChain> {
    let mut functions: Vec<&FunctionCalls> = modules
        .into_iter()
        .flatten()
        .filter(|f| !f.is_async)
        .collect();
    functions.sort_by(|a, b| a.name.cmp(&b.name));
    functions.dedup_by(|a, b| a.name == b.name);
    let index: HashMap<&str, usize> = functions
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    // The callers of each function: the caller, the guard of the call, and the caller's
    // parameter it is made only with.
    type Caller<'f> = (usize, Option<Guard>, Option<&'f Gate>);
    let mut callers: Vec<Vec<Caller<'_>>> = vec![Vec::new(); functions.len()];
    for (caller, function) in functions.iter().enumerate() {
        for callee in &function.calls {
            if let Some(&callee_index) = index.get(callee.as_str()) {
                let generator = functions[callee_index].generator;
                callers[callee_index].push((
                    caller,
                    function.edge_guard(callee, generator),
                    function.gate_of(callee),
                ));
            }
        }
    }
    /// How a function reaches a blocking call: directly, or through the function at an index.
    #[derive(Clone, Copy)]
    enum Via {
        Unknown,
        Direct,
        Call(usize),
    }
    let mut via = vec![Via::Unknown; functions.len()];
    let mut guard: Vec<Option<Guard>> = vec![None; functions.len()];
    let mut gate: Vec<Option<&Gate>> = vec![None; functions.len()];
    // First over the common path only, then through calls made only with a parameter, then
    // through guards for the functions left. A call that does not pass the parameter its callee
    // blocks only with is no path at all.
    for phase in 0..3 {
        let (with_gates, through_guards) = (phase >= 1, phase == 2);
        let mut queue = std::collections::VecDeque::new();
        for (i, function) in functions.iter().enumerate() {
            if function.blocking.is_some()
                && matches!(via[i], Via::Unknown)
                && (through_guards || function.blocking_guard.is_none())
                && (with_gates || function.blocking_gate.is_none())
            {
                via[i] = Via::Direct;
                guard[i] = function.blocking_guard;
                gate[i] = function.blocking_gate.as_ref();
                queue.push_back(i);
            }
        }
        if phase > 0 {
            // The functions already found are sources too.
            queue.extend((0..functions.len()).filter(|&i| !matches!(via[i], Via::Unknown)));
        }
        while let Some(callee) = queue.pop_front() {
            for &(caller, call_guard, call_gate) in &callers[callee] {
                let passes = gate[callee]
                    .is_none_or(|needed| functions[caller].gives(&functions[callee].name, needed));
                if matches!(via[caller], Via::Unknown)
                    && passes
                    && (through_guards || call_guard.is_none())
                    && (with_gates || call_gate.is_none())
                {
                    via[caller] = Via::Call(callee);
                    guard[caller] = call_guard.or(guard[callee]);
                    gate[caller] = call_gate;
                    queue.push_back(caller);
                }
            }
        }
    }
    let mut found = BTreeMap::new();
    for (i, function) in functions.iter().enumerate() {
        let mut chain = Vec::new();
        let mut at = i;
        loop {
            match via[at] {
                Via::Unknown => break,
                Via::Direct => {
                    let call = functions[at].blocking.as_deref().unwrap_or_default();
                    chain.push(format!("{call}()"));
                    break;
                }
                Via::Call(next) => {
                    chain.push(functions[next].name.clone());
                    at = next;
                }
            }
        }
        if !chain.is_empty() {
            found.insert(
                function.name.clone(),
                BlockingChain {
                    chain,
                    guard: guard[i],
                    generator: function.generator,
                    gate: gate[i].cloned(),
                },
            );
        }
    }
    found
}

/// Every sync function of the project that reads the running loop or the stack, directly or
/// through the project's functions it calls, with the call that does.
pub fn context_readers<'a>(
    modules: impl IntoIterator<Item = &'a [FunctionCalls]>,
) -> BTreeMap<String, String> {
    let functions: Vec<&FunctionCalls> = modules.into_iter().flatten().collect();
    let mut callers: HashMap<&str, Vec<&str>> = HashMap::new();
    for function in &functions {
        for callee in &function.calls {
            callers
                .entry(callee.as_str())
                .or_default()
                .push(function.name.as_str());
        }
    }
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    let mut queue: std::collections::VecDeque<(&str, &str)> = functions
        .iter()
        .filter_map(|f| Some((f.name.as_str(), f.context_reader.as_deref()?)))
        .collect();
    while let Some((name, reader)) = queue.pop_front() {
        if found.contains_key(name) {
            continue;
        }
        found.insert(name.to_owned(), reader.to_owned());
        for caller in callers.get(name).into_iter().flatten() {
            if !found.contains_key(*caller) {
                queue.push_back((caller, reader));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn function(name: &str, blocking: Option<&str>, calls: &[&str]) -> FunctionCalls {
        FunctionCalls {
            name: name.into(),
            is_async: false,
            blocking: blocking.map(Into::into),
            blocking_guard: None,
            calls: calls.iter().map(|c| (*c).into()).collect(),
            guarded: Vec::new(),
            ..FunctionCalls::default()
        }
    }

    #[test]
    fn a_chain_that_needs_a_parameter_is_followed_only_by_calls_passing_it() {
        let gate = Gate {
            parameter: "persist".into(),
            position: Some(1),
            truth: true,
        };
        let mut load = function("m.load", None, &["m.save"]);
        load.needs = vec![("m.save".into(), gate.clone())];
        let save = function("m.save", Some("builtins.open"), &[]);
        let list = function("m.list", None, &["m.load"]);
        let mut keep = function("m.keep", None, &["m.load"]);
        let mut by_keyword = Passed::default();
        by_keyword.add_keyword("persist", Known::Nothing);
        keep.passes = vec![by_keyword];
        let mut by_position = function("m.by_position", None, &["m.load"]);
        let mut two = Passed::default();
        two.add_position(0, Known::Nothing);
        two.add_position(1, Known::Nothing);
        by_position.passes = vec![two];
        let modules = [vec![load, save, list, keep, by_position]];
        let found = blocking_functions(modules.iter().map(Vec::as_slice));
        assert_eq!(found["m.load"].gate.as_ref(), Some(&gate));
        assert!(!found.contains_key("m.list"));
        assert_eq!(
            found["m.keep"].chain,
            ["m.load", "m.save", "builtins.open()"]
        );
        assert_eq!(found["m.keep"].gate, None);
        assert!(found.contains_key("m.by_position"));
    }

    #[test]
    fn chains_cross_modules_and_cycles_end() {
        let a = [
            function("a.load", None, &["b.read", "a.load"]),
            function("a.spin", None, &["a.spin2"]),
            function("a.spin2", None, &["a.spin"]),
        ];
        let b = [
            function("b.read", None, &["b.raw"]),
            function("b.raw", Some("builtins.open"), &[]),
        ];
        let found = blocking_functions([&a[..], &b[..]]);
        assert_eq!(
            found["a.load"].chain,
            ["b.read", "b.raw", "builtins.open()"]
        );
        assert_eq!(found["b.raw"].chain, ["builtins.open()"]);
        assert_eq!(found["a.load"].guard, None);
        assert!(!found.contains_key("a.spin"));
        assert!(!found.contains_key("a.spin2"));
    }

    #[test]
    fn async_functions_are_not_helpers() {
        let mut coroutine = function("a.fetch", Some("time.sleep"), &[]);
        coroutine.is_async = true;
        let caller = function("a.main", None, &["a.fetch"]);
        let found = blocking_functions([&[coroutine, caller][..]]);
        assert!(found.is_empty());
    }

    #[test]
    fn guarded_hops_make_chains_possible_and_common_paths_win() {
        let mut windows = function("a.win", Some("time.sleep"), &[]);
        windows.blocking_guard = Some(Guard::Platform);
        let mut once = function("a.once", None, &["a.raw"]);
        once.guarded = vec![("a.raw".into(), Guard::OnceOnly)];
        let both = function("a.both", None, &["a.once", "a.raw"]);
        let raw = function("a.raw", Some("builtins.open"), &[]);
        let found = blocking_functions([&[windows, once, both, raw][..]]);
        assert_eq!(found["a.win"].guard, Some(Guard::Platform));
        assert_eq!(found["a.once"].guard, Some(Guard::OnceOnly));
        assert_eq!(found["a.both"].guard, None);
        assert_eq!(found["a.both"].chain, ["a.raw", "builtins.open()"]);
    }

    #[test]
    fn generator_edges_need_a_consuming_call() {
        let mut gen = function("a.lines", Some("builtins.open"), &[]);
        gen.generator = true;
        let plain = function("a.plain", None, &["a.lines"]);
        let mut iterated = function("a.iterated", None, &["a.lines"]);
        iterated.consumed = vec!["a.lines".into()];
        let found = blocking_functions([&[gen, plain, iterated][..]]);
        assert_eq!(found["a.plain"].guard, Some(Guard::Generator));
        assert_eq!(found["a.iterated"].guard, None);
        assert!(found["a.lines"].generator);
    }

    #[test]
    fn context_readers_cross_calls() {
        let mut reader = function("b.loop", None, &[]);
        reader.context_reader = Some("asyncio.get_running_loop".into());
        let caller = function("a.helper", Some("time.sleep"), &["b.loop"]);
        let found = context_readers([&[reader][..], &[caller][..]]);
        assert_eq!(found["a.helper"], "asyncio.get_running_loop");
    }
}
