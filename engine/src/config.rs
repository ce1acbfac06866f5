//! Configuration: `[tool.tauten]` in pyproject.toml or a `tauten.toml`, nearest to each file wins.
//! (Stub: to be completed.)
