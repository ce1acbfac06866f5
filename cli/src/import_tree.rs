//! The import tree of an `-X importtime` report, printed heaviest first.

use tauten_engine::import_profile::ImportEntry;

/// A module with the modules it imported first, heaviest first.
#[derive(Debug, serde::Serialize)]
pub struct ImportNode {
    pub module: String,
    pub self_ms: f64,
    pub cumulative_ms: f64,
    pub children: Vec<ImportNode>,
}

/// The forest of a report, whose lines come children first (post-order), each with its depth.
pub fn build(entries: &[ImportEntry]) -> Vec<ImportNode> {
    let mut stack: Vec<(usize, ImportNode)> = Vec::new();
    for entry in entries {
        // The deeper lines just before this one are the modules it imported.
        let first_child = stack
            .iter()
            .rposition(|(depth, _)| *depth <= entry.depth)
            .map_or(0, |i| i + 1);
        let mut children: Vec<ImportNode> = stack
            .split_off(first_child)
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        sort_heaviest_first(&mut children);
        stack.push((
            entry.depth,
            ImportNode {
                module: entry.module.clone(),
                self_ms: entry.self_us as f64 / 1000.0,
                cumulative_ms: entry.cumulative_us as f64 / 1000.0,
                children,
            },
        ));
    }
    let mut roots: Vec<ImportNode> = stack.into_iter().map(|(_, node)| node).collect();
    sort_heaviest_first(&mut roots);
    roots
}

fn sort_heaviest_first(nodes: &mut [ImportNode]) {
    nodes.sort_by(|a, b| {
        b.cumulative_ms
            .total_cmp(&a.cumulative_ms)
            .then_with(|| a.module.cmp(&b.module))
    });
}

/// The tree as indented lines, down to `max_depth`, leaving out modules under `min_ms`.
pub fn render(roots: &[ImportNode], max_depth: usize, min_ms: f64) -> String {
    let mut out = String::new();
    let mut stack: Vec<(usize, &ImportNode)> = roots.iter().rev().map(|n| (0, n)).collect();
    while let Some((depth, node)) = stack.pop() {
        if node.cumulative_ms < min_ms {
            continue;
        }
        out.push_str(&format!(
            "{:>9.1} ms {:>8.1} ms  {}{}\n",
            node.cumulative_ms,
            node.self_ms,
            "  ".repeat(depth),
            node.module
        ));
        if depth < max_depth {
            stack.extend(node.children.iter().rev().map(|c| (depth + 1, c)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(module: &str, cumulative_us: u64, depth: usize) -> ImportEntry {
        ImportEntry {
            module: module.into(),
            self_us: 100,
            cumulative_us,
            depth,
        }
    }

    #[test]
    fn nests_children_under_the_line_that_follows_them() {
        let entries = [
            entry("a.small", 200, 1),
            entry("a.big", 5000, 1),
            entry("a", 6000, 0),
            entry("b", 300, 0),
        ];
        let roots = build(&entries);
        assert_eq!(roots[0].module, "a");
        assert_eq!(roots[0].children[0].module, "a.big");
        assert_eq!(roots[1].module, "b");
        let text = render(&roots, 1, 0.25);
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.lines().nth(1).unwrap().ends_with("  a.big"));
    }
}
