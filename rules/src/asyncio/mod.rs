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
pub mod calls;
pub mod path_call_without_io;
pub mod possibly_blocking_call;
mod tables;
pub mod transitive_blocking_call;

#[cfg(test)]
mod tests {
    use super::blocking::*;

    /// Each rule's doc comment (what `tauten explain` shows) lists its table, entry by entry.
    #[test]
    fn rule_docs_list_their_tables() {
        let documented: &[(&str, &[&[Pattern]])] = &[
            ("TAU501", &[SLEEP]),
            ("TAU502", &[HTTP]),
            ("TAU503", &[SUBPROCESS]),
            ("TAU504", &[OPEN]),
            ("TAU505", &[PATH]),
            ("TAU506", &[INPUT]),
            ("TAU507", &[OTHER, NOT_BLOCKING]),
            ("TAU508", &[PATH_RUFF_PARITY]),
        ];
        for (code, tables) in documented {
            let doc = crate::registry::rule_by_code(code).unwrap().meta().doc;
            for pattern in tables.iter().copied().flatten() {
                assert!(
                    doc.contains(&format!("`{pattern}`")),
                    "{code}'s doc does not list `{pattern}`"
                );
            }
        }
        let built_in: usize = TABLES.iter().map(|t| t.len()).sum();
        let listed: usize = documented
            .iter()
            .flat_map(|(_, tables)| tables.iter())
            .filter(|t| TABLES.contains(*t))
            .map(|t| t.len())
            .sum();
        assert_eq!(built_in, listed, "a table is documented by no rule");
    }
}
