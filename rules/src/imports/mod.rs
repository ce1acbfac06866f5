//! TAU1xx: imports.

pub mod unused_import;
