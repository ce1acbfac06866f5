//! TAU3xx: heavy imports taken off the start-up path.

mod deferral;
pub mod eager_reexport_of_heavy_submodule;
pub mod heavy;
pub mod heavy_import_at_module_level;
mod lazy_modules;
