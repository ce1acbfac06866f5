//! The project-wide search for blocking helpers: each module says which of its functions block
//! directly and what they call; the driver puts the modules together and finds the sync functions
//! that reach a blocking call through any chain of calls, across modules.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::blocking;
use crate::config::LintSettings;
use crate::project::ModuleInfo;
use crate::semantic::{Callee, SemanticModel};

/// A function other modules can call, as the search sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionCalls {
    /// Its qualified name (`pkg.mod.f`, `pkg.mod.C.m`).
    pub name: String,
    pub is_async: bool,
    /// The first blocking call it makes directly (`builtins.open`).
    pub blocking: Option<String>,
    /// The qualified names of the other calls it makes (calls to this module's functions
    /// qualified with the module's name; methods through `self`/`cls` with the class's).
    pub calls: Vec<String>,
}

/// The module-level functions and methods of module-level classes of a module with a name, with
/// their calls (only as many as the model recorded: every function body, in a run with async code).
pub fn module_functions(
    semantic: &SemanticModel,
    module: &ModuleInfo,
    settings: &LintSettings,
) -> Vec<FunctionCalls> {
    let Some(module) = module.name.as_deref() else {
        return Vec::new();
    };
    if semantic.calls.is_empty() {
        return Vec::new();
    }
    let mut functions: Vec<Option<FunctionCalls>> = semantic
        .functions
        .iter()
        .map(|f| {
            f.path.as_ref().map(|path| FunctionCalls {
                name: format!("{module}.{path}"),
                is_async: f.is_async,
                blocking: None,
                calls: Vec::new(),
            })
        })
        .collect();
    for call in &semantic.calls {
        let caller = &semantic.functions[call.caller as usize];
        let Some(entry) = functions[call.caller as usize].as_mut() else {
            continue;
        };
        let callee = match &call.callee {
            Callee::Local { scope, name } if *scope == SemanticModel::MODULE => {
                format!("{module}.{name}")
            }
            Callee::Local { .. } => continue,
            Callee::Method(name) => match caller.path.as_deref().and_then(|p| p.rsplit_once('.')) {
                Some((class, _)) => format!("{module}.{class}.{name}"),
                None => continue,
            },
            Callee::Qualified(name) => {
                if blocking::is_blocking(name, &settings.asyncio) {
                    entry.blocking.get_or_insert_with(|| name.clone());
                    continue;
                }
                if name.starts_with("builtins.") {
                    continue;
                }
                name.clone()
            }
        };
        if !entry.calls.contains(&callee) {
            entry.calls.push(callee);
        }
    }
    functions
        .into_iter()
        .flatten()
        .filter(|f| f.blocking.is_some() || !f.calls.is_empty())
        .collect()
}

/// Every sync function of the project that reaches a blocking call, by qualified name, with the
/// chain after it: `["pkg.io.read_config", "builtins.open()"]` for a function that calls
/// `read_config`, which opens a file. The search runs backwards from the blocking calls over the
/// reversed call graph (linear, so cycles end it), and each function gets its shortest chain.
pub fn blocking_functions<'a>(
    modules: impl IntoIterator<Item = &'a [FunctionCalls]>,
) -> BTreeMap<String, Vec<String>> {
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
    let mut callers: Vec<Vec<usize>> = vec![Vec::new(); functions.len()];
    for (caller, function) in functions.iter().enumerate() {
        for callee in &function.calls {
            if let Some(&callee) = index.get(callee.as_str()) {
                callers[callee].push(caller);
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
    let mut queue = std::collections::VecDeque::new();
    for (i, function) in functions.iter().enumerate() {
        if function.blocking.is_some() {
            via[i] = Via::Direct;
            queue.push_back(i);
        }
    }
    while let Some(callee) = queue.pop_front() {
        for &caller in &callers[callee] {
            if matches!(via[caller], Via::Unknown) {
                via[caller] = Via::Call(callee);
                queue.push_back(caller);
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
            found.insert(function.name.clone(), chain);
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
            calls: calls.iter().map(|c| (*c).into()).collect(),
        }
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
        assert_eq!(found["a.load"], ["b.read", "b.raw", "builtins.open()"]);
        assert_eq!(found["b.raw"], ["builtins.open()"]);
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
}
