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

/// Pick the fixes of one pass: allowed by `mode`, in source order, skipping any that clashes with
/// one already picked (it is retried on the next pass, against the new text).
pub fn pick_fixes(diagnostics: &[Diagnostic], mode: FixMode) -> Vec<&Fix> {
    let mut fixes: Vec<&Fix> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| mode.allows(f.applicability) && !f.edits.is_empty())
        .collect();
    fixes.sort_by_key(|f| f.range().map(|r| (r.start, r.end)));
    fixes.dedup_by(|a, b| a.edits == b.edits);
    let mut picked: Vec<&Fix> = Vec::new();
    // Each edit taken, with the fix it came from.
    let mut taken: Vec<(&Edit, &Fix)> = Vec::new();
    for fix in fixes {
        let clashes = (fix.edits.iter())
            .any(|edit| (taken.iter()).any(|&(other, of)| clash((edit, fix), (other, of))));
        if clashes {
            continue;
        }
        taken.extend(fix.edits.iter().map(|edit| (edit, fix)));
        picked.push(fix);
    }
    picked
}

/// Whether two edits of different fixes cannot go in together. Identical edits are made once
/// for both, except empty ones: an empty edit changes nothing and is there to clash (see
/// [`crate::edits::block_guard`]). Edits that only touch (two adjacent lines deleted) go
/// together. They clash when they share a byte, when one inserts strictly inside what the other
/// replaces, and when both insert at one offset where the order would be a guess: two different
/// plain insertions, or a plain one and a joinable one unless the plain one is in both fixes (a
/// block both create, which their lines then join). At one offset, plain insertions go first.
fn clash((a, a_fix): (&Edit, &Fix), (b, b_fix): (&Edit, &Fix)) -> bool {
    let marker = a.range.is_empty() && a.content.is_empty();
    if a == b && !marker {
        return false;
    }
    let inside = |insertion: &Edit, other: &Edit| {
        insertion.range.is_empty()
            && other.range.start < insertion.range.start
            && insertion.range.start < other.range.end
    };
    if a.range.overlaps(b.range) || inside(a, b) || inside(b, a) {
        return true;
    }
    let same_point = a.range.is_empty() && b.range.is_empty() && a.range.start == b.range.start;
    same_point
        && match (a.joinable, b.joinable) {
            (true, true) => false,
            (false, false) => true,
            (true, false) => !a_fix.edits.contains(b),
            (false, true) => !b_fix.edits.contains(a),
        }
}

/// The edits of `fixes` (which must not clash, see [`pick_fixes`]) in the order they are made:
/// by position; at one offset, plain insertions before joinable ones, and those in the fixes'
/// order. An edit two fixes share is kept once.
pub fn ordered<'a>(fixes: &[&'a Fix]) -> Vec<&'a Edit> {
    let mut edits: Vec<&Edit> = fixes.iter().flat_map(|f| f.edits.iter()).collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end, e.joinable));
    let mut last = 0;
    let mut previous: Option<&Edit> = None;
    edits.retain(|&edit| {
        let made = edit.range.start >= last && previous != Some(edit);
        if made {
            last = edit.range.end;
            previous = Some(edit);
        }
        made
    });
    edits
}

/// Apply the edits of `fixes` (which must not clash, see [`pick_fixes`]) to `text`, in the
/// order [`ordered`] gives.
pub fn apply(text: &str, fixes: &[&Fix]) -> String {
    let edits = ordered(fixes);
    // Sized exactly: a fixed text is held until the run is over, and growing it by doubling
    // would hold up to twice its length.
    let removed: usize = edits.iter().map(|e| e.range.end - e.range.start).sum();
    let added: usize = edits.iter().map(|e| e.content.len()).sum();
    let mut out = String::with_capacity(text.len() - removed + added);
    let mut last = 0;
    for edit in edits {
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
            kind: None,
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
    fn adjacent_deletions_go_in_one_pass() {
        let text = "import a\nimport b\nx\n";
        let diags = vec![
            diag_with(vec![Edit::deletion(TextRange::new(0, 9))]),
            diag_with(vec![Edit::deletion(TextRange::new(9, 18))]),
        ];
        let picked = pick_fixes(&diags, FixMode::Safe);
        assert_eq!(apply(text, &picked), "x\n");
    }

    #[test]
    fn insertions_at_one_offset_join_only_when_both_are_joinable() {
        let text = "if T:\n    import a\n";
        let at = text.len() - 1;
        let append = |name: &str| Edit::joinable_insertion(at, format!("\n    import {name}"));
        let joined = vec![diag_with(vec![append("b")]), diag_with(vec![append("c")])];
        let picked = pick_fixes(&joined, FixMode::Safe);
        assert_eq!(
            apply(text, &picked),
            "if T:\n    import a\n    import b\n    import c\n"
        );
        let plain = vec![
            diag_with(vec![Edit::insertion(at, "\n    import b")]),
            diag_with(vec![append("c")]),
        ];
        assert_eq!(pick_fixes(&plain, FixMode::Safe).len(), 1);
    }

    #[test]
    fn fixes_sharing_a_block_opening_make_it_once_and_join_it() {
        let text = "import a\nimport b\nx\n";
        let opening = || Edit::insertion(18, "if T:\n");
        let fix = |range: TextRange, name: &str| {
            let line = Edit::joinable_insertion(18, format!("    import {name}\n"));
            diag_with(vec![Edit::deletion(range), opening(), line])
        };
        let diags = vec![
            fix(TextRange::new(0, 9), "a"),
            fix(TextRange::new(9, 18), "b"),
        ];
        let picked = pick_fixes(&diags, FixMode::Safe);
        assert_eq!(picked.len(), 2);
        assert_eq!(
            apply(text, &picked),
            "if T:\n    import a\n    import b\nx\n"
        );
        // A joinable line does not go after another fix's plain insertion it does not share.
        let other = diag_with(vec![Edit::joinable_insertion(18, "    import c\n")]);
        let diags = vec![diag_with(vec![opening()]), other];
        assert_eq!(pick_fixes(&diags, FixMode::Safe).len(), 1);
    }

    #[test]
    fn a_fixed_text_holds_no_spare_capacity() {
        // The fixed text is held until the run is over: growing it by doubling held up to
        // twice its length (78 MB for 38 MB of fixed texts on the pinned corpus).
        let text = "import a\nx\n";
        let diags = vec![
            diag_with(vec![Edit::insertion(
                0,
                "if TYPE_CHECKING:\n    import b\n",
            )]),
            diag_with(vec![Edit::deletion(TextRange::new(0, 9))]),
            diag_with(vec![Edit::replacement(TextRange::new(9, 10), "y = 1")]),
        ];
        let fixed = apply(text, &pick_fixes(&diags, FixMode::Safe));
        assert_eq!(fixed, "if TYPE_CHECKING:\n    import b\ny = 1\n");
        assert_eq!(fixed.capacity(), fixed.len());
    }

    #[test]
    fn removals_guarded_by_one_block_wait_for_the_next_pass() {
        let guard = || Edit::insertion(0, "");
        let diags = vec![
            diag_with(vec![guard(), Edit::deletion(TextRange::new(4, 9))]),
            diag_with(vec![guard(), Edit::deletion(TextRange::new(9, 14))]),
        ];
        assert_eq!(pick_fixes(&diags, FixMode::Safe).len(), 1);
    }

    #[test]
    fn an_insertion_inside_a_replaced_range_waits() {
        let diags = vec![
            diag_with(vec![Edit::deletion(TextRange::new(0, 4))]),
            diag_with(vec![Edit::insertion(2, "x")]),
        ];
        assert_eq!(pick_fixes(&diags, FixMode::Safe).len(), 1);
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
