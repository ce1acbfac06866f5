//! TAU5xx: blocking calls inside `async def`.

mod aiofiles_fix;
mod blocking;
pub mod blocking_file_open;
pub mod blocking_http_call;
pub mod blocking_input;
pub mod blocking_other_call;
pub mod blocking_path_call;
pub mod blocking_sleep;
pub mod blocking_subprocess;
pub mod transitive_blocking_call;
