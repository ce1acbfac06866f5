//! TAU2xx: imports that only type checkers need.

pub mod typing_only_import;
