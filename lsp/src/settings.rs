//! Settings from the editor (`initializationOptions`, `workspace/didChangeConfiguration`,
//! `workspace/configuration`): a selection that overrides the configuration files', and whether
//! "fix all" applies unsafe fixes.

use serde_json::Value;
use tauten_engine::selection::Selectors;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientSettings {
    /// Layered over each file's configured selection, as the command line's flags are.
    pub selectors: Selectors,
    pub unsafe_fixes: bool,
}

impl ClientSettings {
    /// Read settings from any of the shapes clients send: `{"tauten": {...}}`, `{"settings": {...}}`
    /// or the settings object itself. Keys in camelCase, kebab-case or snake_case; lists as arrays
    /// or comma-separated strings. `None` when the value holds none of our keys.
    pub fn from_value(value: &Value) -> Option<Self> {
        let object = value.as_object()?;
        for wrapper in ["tauten", "settings"] {
            if let Some(inner) = object.get(wrapper).filter(|v| v.is_object()) {
                if let Some(settings) = Self::from_value(inner) {
                    return Some(settings);
                }
            }
        }
        let get = |names: &[&str]| names.iter().find_map(|n| object.get(*n));
        let select = get(&["select"]);
        let extend_select = get(&["extendSelect", "extend-select", "extend_select"]);
        let ignore = get(&["ignore"]);
        let unsafe_fixes = get(&["unsafeFixes", "unsafe-fixes", "unsafe_fixes"]);
        if [select, extend_select, ignore, unsafe_fixes]
            .iter()
            .all(Option::is_none)
        {
            return None;
        }
        Some(ClientSettings {
            selectors: Selectors {
                select: select.filter(|v| !v.is_null()).map(codes),
                extend_select: extend_select.map(codes).unwrap_or_default(),
                ignore: ignore.map(codes).unwrap_or_default(),
            },
            unsafe_fixes: unsafe_fixes.and_then(Value::as_bool).unwrap_or(false),
        })
    }
}

fn codes(value: &Value) -> Vec<String> {
    let split = |s: &str| {
        s.split(',')
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
    };
    match value {
        Value::String(s) => split(s),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .flat_map(split)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_shapes_clients_send() {
        let direct =
            ClientSettings::from_value(&json!({"ignore": ["TAU101"], "unsafeFixes": true}))
                .unwrap();
        assert_eq!(direct.selectors.ignore, ["TAU101"]);
        assert!(direct.unsafe_fixes);
        let nested = ClientSettings::from_value(
            &json!({"tauten": {"select": "TAU1, TAU2", "extend-select": ["TAU5"]}}),
        )
        .unwrap();
        assert_eq!(
            nested.selectors.select.as_deref(),
            Some(&["TAU1".to_owned(), "TAU2".to_owned()][..])
        );
        assert_eq!(nested.selectors.extend_select, ["TAU5"]);
        assert_eq!(ClientSettings::from_value(&json!({"other": 1})), None);
        assert_eq!(ClientSettings::from_value(&json!(null)), None);
    }
}
