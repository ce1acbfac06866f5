//! Unified diffs of what fixes change.

use similar::TextDiff;

/// A unified diff of `old` -> `new` with `--- a/path` / `+++ b/path` headers.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_hunks() {
        let diff = unified("m.py", "import os\nx = 1\n", "x = 1\n");
        assert_eq!(
            diff,
            "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1 @@\n-import os\n x = 1\n"
        );
    }
}
