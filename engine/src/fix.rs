//! Applying fixes: non-overlapping edits, one pass at a time.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FixMode {
    /// Report only.
    #[default]
    Off,
    /// Apply safe fixes.
    Safe,
    /// Apply safe and unsafe fixes.
    Unsafe,
}

impl FixMode {
    pub fn allows(self, applicability: Applicability) -> bool {
        match self {
            FixMode::Off => false,
            FixMode::Safe => applicability == Applicability::Safe,
            FixMode::Unsafe => true,
        }
    }
}

/// Pick the fixes of one pass: allowed by `mode`, in source order, skipping any that overlaps or
/// touches one already picked (it is retried on the next pass, against the new text).
pub fn pick_fixes(diagnostics: &[Diagnostic], mode: FixMode) -> Vec<&Fix> {
    let mut fixes: Vec<&Fix> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| mode.allows(f.applicability) && !f.edits.is_empty())
        .collect();
    fixes.sort_by_key(|f| f.range().map(|r| (r.start, r.end)));
    fixes.dedup_by(|a, b| a.edits == b.edits);
    let mut picked: Vec<&Fix> = Vec::new();
    let mut taken: Vec<Edit> = Vec::new();
    for fix in fixes {
        let clashes = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                e.range.overlaps(t.range)
                    || e.range.start == t.range.end
                    || e.range.end == t.range.start
                    || (e.range.is_empty() && t.range.contains_range(e.range))
                    || (t.range.is_empty() && e.range.contains_range(t.range))
            })
        });
        if clashes {
            continue;
        }
        taken.extend(fix.edits.iter().cloned());
        picked.push(fix);
    }
    picked
}

/// Apply the edits of `fixes` (which must not overlap) to `text`.
pub fn apply(text: &str, fixes: &[&Fix]) -> String {
    let mut edits: Vec<&Edit> = fixes.iter().flat_map(|f| f.edits.iter()).collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for edit in edits {
        if edit.range.start < last {
            continue;
        }
        out.push_str(&text[last..edit.range.start]);
        out.push_str(&edit.content);
        last = edit.range.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TextRange;

    fn diag_with(edits: Vec<Edit>) -> Diagnostic {
        Diagnostic {
            code: "TAU000",
            name: "test",
            message: String::new(),
            range: TextRange::empty(0),
            fix: Some(Fix::new("t", Applicability::Safe, edits)),
            noqa_offset: 0,
            parent_offset: None,
            related: Vec::new(),
        }
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let text = "abcdef";
        let diags = vec![
            diag_with(vec![Edit::deletion(TextRange::new(0, 2))]),
            diag_with(vec![Edit::deletion(TextRange::new(1, 3))]),
            diag_with(vec![Edit::replacement(TextRange::new(4, 5), "E")]),
        ];
        let picked = pick_fixes(&diags, FixMode::Safe);
        assert_eq!(picked.len(), 2);
        assert_eq!(apply(text, &picked), "cdEf");
    }

    #[test]
    fn unsafe_fixes_need_unsafe_mode() {
        let mut d = diag_with(vec![Edit::deletion(TextRange::new(0, 1))]);
        d.fix.as_mut().unwrap().applicability = Applicability::Unsafe;
        assert!(pick_fixes(std::slice::from_ref(&d), FixMode::Safe).is_empty());
        assert_eq!(
            pick_fixes(std::slice::from_ref(&d), FixMode::Unsafe).len(),
            1
        );
    }
}
