//! TAU4xx: module size.

pub mod oversized_module;
