//! tauten's rules: one file per rule, its doc comment is its documentation.

pub mod asyncio;
pub mod imports;
pub mod lazy;
pub mod registry;
pub mod size;
pub mod typing;
