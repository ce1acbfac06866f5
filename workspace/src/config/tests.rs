use super::*;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_nearest_config_wins_and_tables_are_required() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "pyproject.toml",
        "[tool.tauten]\nselect = [\"TAU1\"]\n",
    );
    write(root, "sub/pyproject.toml", "[project]\nname = \"x\"\n");
    write(root, "sub/deeper/tauten.toml", "select = [\"TAU2\"]\n");
    let file_in_sub = write(root, "sub/a.py", "");
    let file_in_deeper = write(root, "sub/deeper/b.py", "");
    let resolver = Resolver::new(None).unwrap();
    let sub = resolver.config_for(&file_in_sub).unwrap();
    assert_eq!(
        sub.selectors.select,
        Some(vec!["TAU1".to_owned()]),
        "pyproject without the table is skipped"
    );
    let deeper = resolver.config_for(&file_in_deeper).unwrap();
    assert_eq!(deeper.selectors.select, Some(vec!["TAU2".to_owned()]));
}

#[test]
fn an_explicit_config_applies_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let explicit = write(dir.path(), "custom.toml", "ignore = [\"TAU101\"]\n");
    let resolver = Resolver::new(Some(&explicit)).unwrap();
    let config = resolver.config_for(Path::new("/anywhere/x.py")).unwrap();
    assert_eq!(config.selectors.ignore, ["TAU101"]);
}
