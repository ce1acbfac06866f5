//! TAU2xx: imports that only type checkers need.

pub mod empty_type_checking_block;
pub(crate) mod import_text;
pub(crate) mod move_to_type_checking;
pub mod runtime_import_in_type_checking_block;
pub(crate) mod stdlib;
pub mod typing_only_import;
