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

#[test]
fn a_known_file_and_its_directory_resolve_like_a_path_of_unknown_kind() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "pkg/tauten.toml", "select = [\"TAU3\"]\n");
    let file = write(root, "pkg/inner/m.py", "");
    let resolver = Resolver::new(None).unwrap();
    let as_file = resolver.config_for_file(&file).unwrap();
    assert_eq!(as_file.selectors.select, Some(vec!["TAU3".to_owned()]));
    let as_path = resolver.config_for(&file).unwrap();
    assert!(Arc::ptr_eq(&as_file, &as_path));
    // A directory's own configuration applies to it (the walk's exclusion filter asks so).
    let pkg = resolver.config_for(&root.join("pkg")).unwrap();
    assert!(Arc::ptr_eq(&pkg, &as_file));
    let outside = resolver.config_for(root).unwrap();
    assert_eq!(outside.selectors.select, None);
}

#[test]
fn paths_are_made_absolute_against_the_working_directory_once_taken() {
    let resolver = Resolver::new(None).unwrap();
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(
        resolver.absolute(Path::new("./a/./b/../c.py")),
        cwd.join("a/b/../c.py")
    );
    assert_eq!(resolver.absolute(Path::new("/x/./y")), Path::new("/x/y"));
}
