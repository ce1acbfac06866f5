//! Measured import costs: the report of `python -X importtime`, parsed, stored as JSON, and read
//! back as each module's self and cumulative cost.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One line of an `-X importtime` report: a module imported for the first time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportEntry {
    pub module: String,
    /// Microseconds spent in the module itself.
    pub self_us: u64,
    /// Microseconds including the modules it imported first.
    pub cumulative_us: u64,
    /// Nesting: 0 for a module the program imported, 1 for one that module imported, ...
    pub depth: usize,
}

/// What a module costs to import, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct ModuleCost {
    pub self_us: u64,
    pub cumulative_us: u64,
}

/// A stored profile: the command that was measured and its report, in the report's order
/// (a module's line comes after the lines of the modules it imported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProfile {
    pub command: Vec<String>,
    pub entries: Vec<ImportEntry>,
}

impl ImportProfile {
    /// Each module's cost (the largest, when a report names a module twice).
    pub fn costs(&self) -> BTreeMap<String, ModuleCost> {
        let mut costs: BTreeMap<String, ModuleCost> = BTreeMap::new();
        for entry in &self.entries {
            let cost = costs.entry(entry.module.clone()).or_default();
            cost.self_us = cost.self_us.max(entry.self_us);
            cost.cumulative_us = cost.cumulative_us.max(entry.cumulative_us);
        }
        costs
    }

    /// A profile written by `tauten profile-imports`, from its text.
    pub fn parse(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("not an import profile: {e}"))
    }
}

/// Parse the `import time:` lines of `python -X importtime` output (stderr); other lines are
/// ignored, so the program's own output may be mixed in.
pub fn parse_importtime(report: &str) -> Vec<ImportEntry> {
    let mut entries = Vec::new();
    for line in report.lines() {
        let Some(rest) = line.strip_prefix("import time:") else {
            continue;
        };
        let mut fields = rest.splitn(3, '|');
        let (Some(own), Some(cumulative), Some(name)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let (Ok(self_us), Ok(cumulative_us)) =
            (own.trim().parse::<u64>(), cumulative.trim().parse::<u64>())
        else {
            continue; // the header line
        };
        // One space follows the bar; two more per level of nesting.
        let indent = name.len() - name.trim_start().len();
        let module = name.trim();
        if module.is_empty() {
            continue;
        }
        entries.push(ImportEntry {
            module: module.to_owned(),
            self_us,
            cumulative_us,
            depth: indent.saturating_sub(1) / 2,
        });
    }
    entries
}

/// The cost of importing `module` from `importer` (a module name; `None` when unknown) according
/// to `costs`: its own entry, or the largest of the entries of the packages it is in (importing
/// `a.b` imports `a` first), but for the packages of `importer`, which are imported before it is
/// (`from ._exceptions import E` in `httpx._client` costs what `httpx._exceptions` costs, not
/// what all of `httpx` does).
pub fn cost_of(
    costs: &BTreeMap<String, ModuleCost>,
    module: &str,
    importer: Option<&str>,
) -> Option<ModuleCost> {
    let imported_first = |package: &str| {
        importer.is_some_and(|importer| {
            importer == package
                || importer
                    .strip_prefix(package)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    };
    let mut best: Option<ModuleCost> = None;
    let mut prefix = module;
    loop {
        if imported_first(prefix) {
            return best;
        }
        if let Some(cost) = costs.get(prefix) {
            if best.is_none_or(|b| cost.cumulative_us > b.cumulative_us) {
                best = Some(*cost);
            }
        }
        match prefix.rsplit_once('.') {
            Some((parent, _)) => prefix = parent,
            None => return best,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "\
import time: self [us] | cumulative | imported package
import time:       150 |        150 |   _io
import time:        40 |        190 | io
hello from the program
import time:      2000 |       2000 |     numpy._core
import time:       500 |       2500 |   numpy.linalg
import time:      1000 |       3500 | numpy
";

    #[test]
    fn reads_the_report_with_its_nesting() {
        let entries = parse_importtime(REPORT);
        assert_eq!(entries.len(), 5);
        assert_eq!(
            entries[4],
            ImportEntry {
                module: "numpy".into(),
                self_us: 1000,
                cumulative_us: 3500,
                depth: 0
            }
        );
        assert_eq!(entries[2].depth, 2);
        let profile = ImportProfile {
            command: vec![],
            entries,
        };
        let costs = profile.costs();
        assert_eq!(
            cost_of(&costs, "numpy.linalg", None).unwrap().cumulative_us,
            3500
        );
        assert_eq!(
            cost_of(&costs, "numpy.fft", None).unwrap().cumulative_us,
            3500
        );
        assert!(cost_of(&costs, "pandas", None).is_none());
        // From inside the package, `numpy` is imported already: only the submodule costs.
        assert_eq!(
            cost_of(&costs, "numpy.linalg", Some("numpy.random"))
                .unwrap()
                .cumulative_us,
            2500
        );
        assert!(cost_of(&costs, "numpy.fft", Some("numpy")).is_none());
    }
}
