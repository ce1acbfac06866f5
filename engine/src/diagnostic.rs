//! What rules report: diagnostics, and the fixes they may carry.

use serde::Serialize;

use crate::text::TextRange;

/// Whether a fix may be applied without the user asking for unsafe fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// May change behaviour; applied only with `--unsafe-fixes`.
    Unsafe,
    /// Keeps the program's meaning.
    Safe,
}

/// Replace `range` with `content` (an empty range inserts, empty content deletes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Edit {
    pub range: TextRange,
    /// An insertion that other fixes' joinable insertions at the same offset may join in one
    /// pass (lines appended to one block), in the fixes' order; see [`Edit::joinable_insertion`].
    /// Before the content, so that a fix's plain insertion at an offset sorts before its
    /// joinable one there.
    #[serde(skip)]
    pub joinable: bool,
    pub content: String,
}

impl Edit {
    pub fn deletion(range: TextRange) -> Self {
        Self {
            range,
            content: String::new(),
            joinable: false,
        }
    }

    pub fn replacement(range: TextRange, content: impl Into<String>) -> Self {
        Self {
            range,
            content: content.into(),
            joinable: false,
        }
    }

    pub fn insertion(at: usize, content: impl Into<String>) -> Self {
        Self::replacement(TextRange::empty(at), content)
    }

    /// An insertion of whole lines that stays right whatever other such lines are inserted at
    /// the same offset before it (an import appended to an `if TYPE_CHECKING:` block): fixes
    /// whose insertions meet there are applied in one pass, not one pass each.
    pub fn joinable_insertion(at: usize, content: impl Into<String>) -> Self {
        Self {
            joinable: true,
            ..Self::insertion(at, content)
        }
    }
}

/// A set of non-overlapping edits that together resolve one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, in the imperative ("Remove unused import `os`").
    pub title: String,
    pub applicability: Applicability,
    /// Sorted by start offset; no two overlap.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(
        title: impl Into<String>,
        applicability: Applicability,
        mut edits: Vec<Edit>,
    ) -> Self {
        edits.sort();
        edits.dedup();
        Self {
            title: title.into(),
            applicability,
            edits,
        }
    }

    /// The smallest range that covers every edit.
    pub fn range(&self) -> Option<TextRange> {
        let start = self.edits.iter().map(|e| e.range.start).min()?;
        let end = self.edits.iter().map(|e| e.range.end).max()?;
        Some(TextRange::new(start, end))
    }
}

/// One finding of one rule in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable rule code, e.g. `TAU101`.
    pub code: &'static str,
    /// The rule's kebab-case name, e.g. `unused-import`.
    pub name: &'static str,
    pub message: String,
    pub range: TextRange,
    pub fix: Option<Fix>,
    /// Byte offset on the line where a `# noqa` comment for this finding goes.
    pub noqa_offset: usize,
    /// The start of the enclosing statement, when it is on another line: a `# noqa` there counts too
    /// (as in ruff, a directive on the first line of a multi-line import covers all its names).
    pub parent_offset: Option<usize>,
    /// Other places in the same file that explain the finding (the helpers of a blocking chain).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// Which of another tool's codes this finding is, when that tool splits the rule into several
    /// ([`RuleMeta::kinds`](crate::meta::RuleMeta::kinds): TC003 for TAU201 on a standard-library
    /// import): selecting or ignoring that code acts on it alone.
    #[serde(skip)]
    pub kind: Option<&'static str>,
}

/// A place in the same file that explains a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

impl Diagnostic {
    pub fn new(meta: &crate::meta::RuleMeta, message: impl Into<String>, range: TextRange) -> Self {
        Self::coded(meta.code, meta.name, message, range)
    }

    /// A finding with a code no rule has (a syntax error's `E999`).
    pub fn coded(
        code: &'static str,
        name: &'static str,
        message: impl Into<String>,
        range: TextRange,
    ) -> Self {
        Self {
            code,
            name,
            message: message.into(),
            range,
            fix: None,
            noqa_offset: range.start,
            parent_offset: None,
            related: Vec::new(),
            kind: None,
        }
    }

    pub fn with_kind(mut self, kind: &'static str) -> Self {
        self.kind = Some(kind);
        self
    }

    pub fn with_related(mut self, related: Vec<Related>) -> Self {
        self.related = related;
        self
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    pub fn with_noqa_offset(mut self, offset: usize) -> Self {
        self.noqa_offset = offset;
        self
    }

    pub fn with_parent(mut self, offset: usize) -> Self {
        self.parent_offset = Some(offset);
        self
    }

    /// The smallest range holding every offset the finding refers to: its range, its fix's edits,
    /// where its `# noqa` goes and its enclosing statement.
    pub fn extent(&self) -> TextRange {
        let mut start = self.range.start.min(self.noqa_offset);
        let mut end = self.range.end.max(self.noqa_offset);
        for at in self.parent_offset.into_iter().chain(
            self.fix
                .iter()
                .flat_map(|f| f.edits.iter())
                .flat_map(|e| [e.range.start, e.range.end]),
        ) {
            start = start.min(at);
            end = end.max(at);
        }
        TextRange::new(start, end)
    }

    /// Move every offset at or after `at` by `delta` bytes, for a text edited before it (an edit
    /// ending at `at` that changed the length by `delta`).
    pub fn shift(&mut self, at: usize, delta: isize) {
        let moved = |offset: &mut usize| {
            if *offset >= at {
                *offset = offset.saturating_add_signed(delta);
            }
        };
        moved(&mut self.range.start);
        moved(&mut self.range.end);
        moved(&mut self.noqa_offset);
        if let Some(parent) = &mut self.parent_offset {
            moved(parent);
        }
        for edit in self.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
            moved(&mut edit.range.start);
            moved(&mut edit.range.end);
        }
    }
}
