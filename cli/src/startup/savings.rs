//! What each deferred module saves a command, read from its import profiles: the modules the
//! command no longer imports with the fixes applied, each costing what it cost before them.
//!
//! Timing each deferred module's fixes on and off measures the whole command for a saving of a
//! few milliseconds, which a busy machine's noise hides or invents; the profile times those
//! modules alone. A module still imported later saves nothing, whoever imports it.

use std::collections::{HashMap, HashSet};

use tauten_engine::import_profile::ImportEntry;

use super::measure::median;

/// A saving in milliseconds and its spread (the median absolute deviation over the runs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Saving {
    pub ms: f64,
    pub spread_ms: f64,
}

/// The parent of each entry of a report whose lines come children first, each with its depth.
fn parents(entries: &[ImportEntry]) -> Vec<Option<usize>> {
    let mut parent = vec![None; entries.len()];
    let mut open: Vec<usize> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        while let Some(&child) = open.last() {
            if entries[child].depth <= entry.depth {
                break;
            }
            parent[child] = Some(index);
            open.pop();
        }
        open.push(index);
    }
    parent
}

/// What deferring each group saves: `before` are the command's profiles without the fixes (one
/// per run), `after` its profiles with them. A module imported before and in no run after is
/// saved. It counts for the group (`group_of`; `None`: a module no judged group holds) of the
/// outermost saved module among itself and the modules that imported it: the import cut off there
/// is the deferral that saved it (deferring `rich` saves `rich.console` and `pygments` under it,
/// whether or not `pygments`' own imports were deferred too). Each group's saving is the median
/// over the runs before of what its saved modules took there.
pub fn savings(
    before: &[Vec<ImportEntry>],
    after: &[Vec<ImportEntry>],
    groups: usize,
    group_of: impl Fn(&str) -> Option<usize>,
) -> Vec<Saving> {
    let still: HashSet<&str> = after.iter().flatten().map(|e| e.module.as_str()).collect();
    let Some(first) = before.first() else {
        return vec![
            Saving {
                ms: 0.0,
                spread_ms: 0.0
            };
            groups
        ];
    };
    let parent = parents(first);
    // The group each saved module of the first run counts for.
    let mut counted: HashMap<&str, usize> = HashMap::new();
    for (index, entry) in first.iter().enumerate() {
        if still.contains(entry.module.as_str()) {
            continue;
        }
        let (mut at, mut outermost) = (Some(index), None);
        while let Some(i) = at.filter(|&i| !still.contains(first[i].module.as_str())) {
            outermost = group_of(&first[i].module).or(outermost);
            at = parent[i];
        }
        if let Some(group) = outermost {
            counted.insert(entry.module.as_str(), group);
        }
    }
    let mut per_run = vec![Vec::with_capacity(before.len()); groups];
    for run in before {
        let mut sums = vec![0u64; groups];
        let mut seen = HashSet::new();
        for entry in run {
            if let Some(&group) = counted.get(entry.module.as_str()) {
                if seen.insert(entry.module.as_str()) {
                    sums[group] += entry.self_us;
                }
            }
        }
        for (group, sum) in sums.into_iter().enumerate() {
            per_run[group].push(sum as f64 / 1000.0);
        }
    }
    per_run
        .into_iter()
        .map(|runs| {
            let ms = median(&runs);
            let deviations: Vec<f64> = runs.iter().map(|r| (r - ms).abs()).collect();
            Saving {
                ms,
                spread_ms: median(&deviations),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(module: &str, self_us: u64, depth: usize) -> ImportEntry {
        ImportEntry {
            module: module.into(),
            self_us,
            cumulative_us: self_us,
            depth,
        }
    }

    /// `app` imports `rich` (which imports `pygments`) and `requests` (which imports `urllib3`).
    fn run(scale: u64) -> Vec<ImportEntry> {
        vec![
            entry("pygments", 20_000 * scale, 2),
            entry("rich", 10_000 * scale, 1),
            entry("urllib3", 30_000 * scale, 2),
            entry("requests", 5_000 * scale, 1),
            entry("app", 1_000 * scale, 0),
        ]
    }

    fn group(module: &str) -> Option<usize> {
        match module {
            "rich" => Some(0),
            "requests" => Some(1),
            "urllib3" => Some(2),
            _ => None,
        }
    }

    fn ms(saved: &[Saving]) -> Vec<f64> {
        saved.iter().map(|s| s.ms).collect()
    }

    #[test]
    fn a_group_saves_the_modules_its_deferral_cut_off() {
        let after = vec![vec![entry("app", 1_000, 0)]];
        let saved = savings(&[run(1), run(1), run(2)], &after, 3, group);
        // `rich` with `pygments`; `requests` with `urllib3`, whose own deferrals saved nothing more.
        assert_eq!(ms(&saved), [30.0, 35.0, 0.0]);
        assert_eq!(saved[0].spread_ms, 0.0);
    }

    #[test]
    fn a_module_still_imported_keeps_the_saving_of_the_deferrals_inside_it() {
        let after = vec![vec![entry("requests", 5_000, 1), entry("app", 1_000, 0)]];
        let saved = savings(&[run(1)], &after, 3, group);
        assert_eq!(ms(&saved), [30.0, 0.0, 30.0]);
    }

    #[test]
    fn a_module_imported_later_anyway_saves_nothing() {
        // With the fixes, `urllib3` is still imported (by something else, later).
        let after = vec![vec![entry("urllib3", 30_000, 1), entry("app", 1_000, 0)]];
        let saved = savings(&[run(1)], &after, 3, group);
        assert_eq!(ms(&saved), [30.0, 5.0, 0.0]);
    }

    #[test]
    fn the_spread_is_the_median_deviation_over_the_runs() {
        let after: Vec<Vec<ImportEntry>> = vec![Vec::new()];
        let saved = savings(&[run(1), run(2), run(4)], &after, 3, group);
        // rich + pygments: 30, 60 and 120 ms.
        assert_eq!((saved[0].ms, saved[0].spread_ms), (60.0, 30.0));
    }

    #[test]
    fn parents_follow_the_depths_of_a_post_order_report() {
        assert_eq!(
            parents(&run(1)),
            vec![Some(1), Some(4), Some(3), Some(4), None]
        );
    }
}
