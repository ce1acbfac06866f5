//! Bringing a semantic model up to date after an edit inside one function body, by analysing that
//! body again instead of the whole module; the rest of the model is kept, its offsets shifted.
//!
//! This is sound because nothing outside a function body depends on it: its bindings live in its
//! own scope and its nested scopes (`global` and `nonlocal` only flag them), and the outer names it
//! reads resolve against outer scopes that are complete before any body is analysed. The edit, and
//! every part of the tree tree-sitter says changed, must lie inside the body.

use crate::syntax::NodeKind;
use tree_sitter::{Node, Tree};

use super::builder;
use super::model::{Callee, ModelOptions, ScopeId, ScopeKind, SemanticModel};
use crate::syntax::{Field, NodeFields};
use crate::text::TextRange;

/// An edit in bytes: `start..old_end` of the old text became `start..new_end` of the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEdit {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl TextEdit {
    /// Where an offset of the old text outside the replaced part is in the new text.
    fn shift(&self, offset: usize) -> usize {
        if offset >= self.old_end {
            offset - self.old_end + self.new_end
        } else {
            offset
        }
    }

    fn shift_range(&self, range: TextRange) -> TextRange {
        TextRange::new(self.shift(range.start), self.shift(range.end))
    }

    /// Where an offset of the new text outside the inserted part was in the old text.
    fn unshift(&self, offset: usize) -> usize {
        if offset >= self.new_end {
            offset - self.new_end + self.old_end
        } else {
            offset
        }
    }
}

/// Marks for what the old body made, and the new index of everything kept.
struct Pruning {
    scopes: Vec<u32>,
    bindings: Vec<u32>,
    references: Vec<u32>,
    functions: Vec<u32>,
}

const GONE: u32 = u32::MAX;

/// Renumber items, dropping those marked gone: the new index of each, or [`GONE`].
fn renumber(gone: impl Iterator<Item = bool>) -> Vec<u32> {
    let mut next = 0;
    gone.map(|gone| {
        if gone {
            GONE
        } else {
            next += 1;
            next - 1
        }
    })
    .collect()
}

impl SemanticModel {
    /// Update the model of the text before `edit` to `tree` and `source`, the text after it, by
    /// analysing again only the innermost function whose body holds the edit and every range in
    /// `changed` (tree-sitter's changed ranges, in new offsets). Returns false, leaving the model
    /// as it was, when no single function body holds them all: the caller then builds anew.
    pub fn update_after_edit(
        &mut self,
        tree: &Tree,
        source: &str,
        edit: TextEdit,
        changed: &[TextRange],
        options: &ModelOptions,
    ) -> bool {
        let mut span = TextRange::new(edit.start, edit.new_end);
        for range in changed {
            span = TextRange::new(span.start.min(range.start), span.end.max(range.end));
        }
        // A change that adds or removes the first `async def` changes which calls are recorded.
        let records_calls = options.record_all_calls
            || memchr::memmem::find(source.as_bytes(), b"async def").is_some();
        if records_calls != self.record_calls {
            return false;
        }
        let Some(function) = enclosing_function_body(tree, span) else {
            return false;
        };
        let old_range = TextRange::new(
            edit.unshift(function.start_byte()),
            edit.unshift(function.end_byte()),
        );
        let Some(index) = self.functions.iter().position(|f| {
            let scope = self.scope(f.scope);
            scope.kind == ScopeKind::Function && scope.range == old_range
        }) else {
            return false;
        };
        let Some(pruning) = self.pruning(self.functions[index].scope, index as u32) else {
            return false;
        };
        // The body starts at or before the edit, so its start is the same in the old text.
        let old_body = function
            .field(Field::Body)
            .map(|body| TextRange::new(body.start_byte(), old_range.end));
        let Some(old_body) = old_body else {
            return false;
        };
        self.prune(
            &pruning,
            self.functions[index].scope,
            index as u32,
            old_body,
        );
        self.shift(edit);
        let model = std::mem::take(self);
        *self = builder::reanalyse_body(model, function, source, options, index as u32);
        true
    }

    /// What analysing the body of function `index` (scope `scope`) made, to drop: its nested
    /// scopes, and the bindings, references, functions made in them or in its own scope. `None`
    /// when something outside the body refers to one of those (never for a model the builder made).
    fn pruning(&self, scope: ScopeId, index: u32) -> Option<Pruning> {
        let mut inside = vec![false; self.scopes.len()];
        inside[scope.0 as usize] = true;
        let mut nested = vec![false; self.scopes.len()];
        for (i, s) in self.scopes.iter().enumerate() {
            if let Some(parent) = s.parent {
                if inside[parent.0 as usize] {
                    inside[i] = true;
                    nested[i] = true;
                }
            }
        }
        let in_body = |s: ScopeId| inside[s.0 as usize];
        let pruning = Pruning {
            scopes: renumber(nested.iter().copied()),
            bindings: renumber(self.bindings.iter().map(|b| in_body(b.scope))),
            references: renumber(self.references.iter().map(|r| in_body(r.scope))),
            functions: renumber(self.functions.iter().map(|f| in_body(f.parent))),
        };
        // The body's own function keeps its index, so the outer facts naming it stay right.
        if pruning.functions[index as usize] != index {
            return None;
        }
        let kept_refs_resolve_outside = self.references.iter().all(|r| {
            in_body(r.scope)
                || r.binding
                    .is_none_or(|b| pruning.bindings[b.0 as usize] != GONE)
        });
        let kept_calls_call_outside = self.calls.iter().all(|c| {
            let caller_gone = c.caller == index || pruning.functions[c.caller as usize] == GONE;
            caller_gone
                || !matches!(&c.callee, Callee::Local { scope, .. } if nested[scope.0 as usize])
        });
        (kept_refs_resolve_outside && kept_calls_call_outside).then_some(pruning)
    }

    /// Drop what the old body made (see [`Self::pruning`]), renumbering what is kept.
    fn prune(&mut self, pruning: &Pruning, scope: ScopeId, index: u32, old_body: TextRange) {
        let scope_id = |id: ScopeId| ScopeId(pruning.scopes[id.0 as usize]);

        keep(&mut self.scopes, &pruning.scopes, |i, s| {
            s.parent = s.parent.map(scope_id);
            if i == scope.0 as usize {
                s.names.clear();
                s.bindings.clear();
                s.has_star_import = false;
            } else {
                for binding in s.names.values_mut().chain(&mut s.bindings) {
                    binding.0 = pruning.bindings[binding.0 as usize];
                }
            }
        });
        keep(&mut self.bindings, &pruning.bindings, |_, b| {
            b.scope = scope_id(b.scope);
            b.references.retain_mut(|r| {
                r.0 = pruning.references[r.0 as usize];
                r.0 != GONE
            });
        });
        keep(&mut self.references, &pruning.references, |_, r| {
            r.scope = scope_id(r.scope);
            if let Some(binding) = &mut r.binding {
                binding.0 = pruning.bindings[binding.0 as usize];
            }
        });
        keep(&mut self.functions, &pruning.functions, |_, f| {
            f.parent = scope_id(f.parent);
            f.scope = scope_id(f.scope);
        });

        self.calls.retain_mut(|call| {
            if call.caller == index || pruning.functions[call.caller as usize] == GONE {
                return false;
            }
            call.caller = pruning.functions[call.caller as usize];
            if let Callee::Local { scope, .. } = &mut call.callee {
                *scope = scope_id(*scope);
            }
            true
        });
        let outside = |range: &TextRange| !old_body.contains_range(*range);
        self.async_calls.retain(|c| outside(&c.range));
        self.type_checking_blocks.retain(outside);
        self.runtime_evaluated_classes.retain(outside);
    }

    /// Move every offset after the edit.
    fn shift(&mut self, edit: TextEdit) {
        for scope in &mut self.scopes {
            scope.range = edit.shift_range(scope.range);
        }
        for binding in &mut self.bindings {
            binding.range = edit.shift_range(binding.range);
            if let super::model::BindingKind::Import(import) = &mut binding.kind {
                import.statement = edit.shift_range(import.statement);
                import.clause = edit.shift_range(import.clause);
            }
        }
        for reference in &mut self.references {
            reference.range = edit.shift_range(reference.range);
        }
        for call in &mut self.async_calls {
            call.range = edit.shift_range(call.range);
        }
        for call in &mut self.calls {
            call.range = edit.shift_range(call.range);
        }
        for range in self
            .type_checking_blocks
            .iter_mut()
            .chain(&mut self.runtime_evaluated_classes)
        {
            *range = edit.shift_range(*range);
        }
        for (_, range) in &mut self.dunder_all {
            *range = edit.shift_range(*range);
        }
    }
}

/// Keep the items whose new index (`renumbered`, by old index) is not [`GONE`], each updated by
/// `update` (given its old index), in order.
fn keep<T>(items: &mut Vec<T>, renumbered: &[u32], mut update: impl FnMut(usize, &mut T)) {
    let old = std::mem::take(items);
    *items = old
        .into_iter()
        .enumerate()
        .filter(|(i, _)| renumbered[*i] != GONE)
        .map(|(i, mut item)| {
            update(i, &mut item);
            item
        })
        .collect();
}

/// The innermost `function_definition` whose body holds `span`.
fn enclosing_function_body(tree: &Tree, span: TextRange) -> Option<Node<'_>> {
    let mut node = tree
        .root_node()
        .descendant_for_byte_range(span.start, span.end)?;
    loop {
        if node.kind_name() == "function_definition" {
            let body = node.field(Field::Body)?;
            if body.start_byte() <= span.start && span.end <= body.end_byte() {
                return Some(node);
            }
        }
        node = node.parent()?;
    }
}
