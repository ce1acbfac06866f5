//! Fast field access on tree-sitter-python nodes: field ids are looked up once, not by name on
//! every call (`child_by_field_name` compares the name against every field of the grammar).

use std::sync::OnceLock;

use tree_sitter::{Language, Node, TreeCursor};

macro_rules! fields {
    ($($variant:ident = $name:literal),* $(,)?) => {
        /// The grammar fields the engine reads.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Field { $($variant),* }

        const FIELD_NAMES: &[&str] = &[$($name),*];
    };
}

fields! {
    Alias = "alias",
    Alternative = "alternative",
    Arguments = "arguments",
    Attribute = "attribute",
    Body = "body",
    Condition = "condition",
    Consequence = "consequence",
    Function = "function",
    Key = "key",
    Left = "left",
    ModuleName = "module_name",
    Name = "name",
    Object = "object",
    Parameters = "parameters",
    ReturnType = "return_type",
    Right = "right",
    Subject = "subject",
    Subscript = "subscript",
    Superclasses = "superclasses",
    Type = "type",
    Value = "value",
}

fn field_ids() -> &'static [std::num::NonZeroU16] {
    static IDS: OnceLock<Vec<std::num::NonZeroU16>> = OnceLock::new();
    IDS.get_or_init(|| {
        let language: Language = tree_sitter_python::LANGUAGE.into();
        FIELD_NAMES
            .iter()
            .map(|name| {
                language
                    .field_id_for_name(name)
                    .unwrap_or_else(|| panic!("tree-sitter-python has no field `{name}`"))
            })
            .collect()
    })
}

impl Field {
    fn id(self) -> std::num::NonZeroU16 {
        field_ids()[self as usize]
    }
}

/// Field access by [`Field`] instead of by name.
pub trait NodeFields<'t> {
    /// The first child in `field`.
    fn field(&self, field: Field) -> Option<Node<'t>>;
    /// Every child in `field`.
    fn fields<'c>(
        &self,
        field: Field,
        cursor: &'c mut TreeCursor<'t>,
    ) -> impl Iterator<Item = Node<'t>> + 'c
    where
        't: 'c;
}

impl<'t> NodeFields<'t> for Node<'t> {
    fn field(&self, field: Field) -> Option<Node<'t>> {
        self.child_by_field_id(field.id().get())
    }

    fn fields<'c>(
        &self,
        field: Field,
        cursor: &'c mut TreeCursor<'t>,
    ) -> impl Iterator<Item = Node<'t>> + 'c
    where
        't: 'c,
    {
        self.children_by_field_id(field.id(), cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_exists_and_reads_the_same_child_as_by_name() {
        let parsed = crate::parse::parse("from a import b as c\n", None);
        let stmt = parsed.tree.root_node().child(0).unwrap();
        for (i, name) in FIELD_NAMES.iter().enumerate() {
            assert!(field_ids().len() > i, "{name}");
        }
        assert_eq!(
            stmt.field(Field::ModuleName),
            stmt.child_by_field_name("module_name")
        );
        assert_eq!(stmt.field(Field::Name), stmt.child_by_field_name("name"));
    }
}

/// Ids of the node kinds on the hot path, to compare numbers instead of kind names.
#[derive(Debug)]
pub struct KindIds {
    pub identifier: u16,
    pub attribute: u16,
    pub comment: u16,
}

/// The [`KindIds`] of tree-sitter-python.
pub fn kind_ids() -> &'static KindIds {
    static IDS: OnceLock<KindIds> = OnceLock::new();
    IDS.get_or_init(|| {
        let language: Language = tree_sitter_python::LANGUAGE.into();
        KindIds {
            identifier: language.id_for_node_kind("identifier", true),
            attribute: language.id_for_node_kind("attribute", true),
            comment: language.id_for_node_kind("comment", true),
        }
    })
}

/// A node's kind name read from a table built once: tree-sitter's `Node::kind` measures the C
/// string and checks it is UTF-8 on every call, and the engine asks for kinds on every node it
/// visits.
pub trait NodeKind {
    fn kind_name(&self) -> &'static str;
}

impl NodeKind for Node<'_> {
    fn kind_name(&self) -> &'static str {
        kind_names()
            .get(usize::from(self.kind_id()))
            .map_or("", String::as_str)
    }
}

fn kind_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let language: Language = tree_sitter_python::LANGUAGE.into();
        (0..language.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    })
}

#[cfg(test)]
mod kind_tests {
    use super::*;

    #[test]
    fn every_node_of_a_module_has_the_kind_name_tree_sitter_gives() {
        let source = "import a\n@d\nclass C(B):\n    x: int = 1\n    async def f(self):\n        \
                      await g(*a, **k)\n# c\nprint(f'{x!r}', [y for y in z], lambda q: q)\n";
        let parsed = crate::parse::parse(source, None);
        let mut cursor = parsed.tree.walk();
        let mut seen = 0;
        loop {
            let node = cursor.node();
            assert_eq!(node.kind_name(), node.kind());
            seen += 1;
            if cursor.goto_first_child() || cursor.goto_next_sibling() {
                continue;
            }
            loop {
                if !cursor.goto_parent() {
                    assert!(seen > 50);
                    return;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
            }
        }
    }
}
