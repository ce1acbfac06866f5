//! Finding the Python files to check, with the `ignore` crate (gitignore, excludes).
//! (Stub: to be completed.)
