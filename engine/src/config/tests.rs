use super::*;

fn spanned(error: &ConfigError) -> &str {
    &error.source_text[error.span.clone().expect("error has a span")]
}

#[test]
fn reads_every_key() {
    let text = r#"
[tool.tauten]
select = ["TAU1"]
ignore = ["TAU101"]
extend-select = ["TAU2"]
exclude = ["build"]
extend-exclude = ["gen/*.py"]
target-version = "py312"
[tool.tauten.per-file-ignores]
"tests/*" = ["TAU1"]
[tool.tauten.imports]
allowed-unused-imports = ["hvplot"]
"#;
    let config = Config::parse(Path::new("/p/pyproject.toml"), text)
        .unwrap()
        .unwrap();
    assert_eq!(config.selectors.select, Some(vec!["TAU1".to_owned()]));
    assert_eq!(config.selectors.ignore, ["TAU101"]);
    assert_eq!(config.selectors.extend_select, ["TAU2"]);
    assert_eq!(
        config.lint.target_version,
        Some(PythonVersion {
            major: 3,
            minor: 12
        })
    );
    assert_eq!(config.lint.allowed_unused_imports, ["hvplot"]);
    assert_eq!(
        config.ignores_for(Path::new("/p/tests/test_a.py")),
        ["TAU1"]
    );
    assert!(config.ignores_for(Path::new("/p/src/a.py")).is_empty());
    assert!(config.is_excluded(Path::new("/p/build")));
    assert!(config.is_excluded(Path::new("/p/gen/x.py")));
    assert!(
        !config.is_excluded(Path::new("/p/.venv")),
        "exclude replaces the defaults"
    );
}

#[test]
fn pyproject_without_the_table_is_not_a_config() {
    let config = Config::parse(Path::new("pyproject.toml"), "[tool.ruff]\nselect = []\n").unwrap();
    assert!(config.is_none());
}

#[test]
fn unknown_keys_point_at_the_key_and_suggest() {
    let text = "[tool.tauten]\nselect = []\nextend-selct = [\"TAU\"]\n";
    let error = Config::parse(Path::new("pyproject.toml"), text).unwrap_err();
    assert_eq!(spanned(&error), "extend-selct");
    assert!(error
        .help
        .as_deref()
        .unwrap()
        .contains("did you mean `extend-select`"));
    let text = "[imports]\nallowed = []\n";
    let error = Config::parse(Path::new("tauten.toml"), text).unwrap_err();
    assert_eq!(spanned(&error), "allowed");
}

#[test]
fn wrong_types_point_at_the_value() {
    let error = Config::parse(Path::new("tauten.toml"), "select = \"TAU1\"\n").unwrap_err();
    assert_eq!(spanned(&error), "\"TAU1\"");
    assert!(error.message.contains("list of strings"));
    let error = Config::parse(Path::new("tauten.toml"), "ignore = [\"TAU1\", 3]\n").unwrap_err();
    assert_eq!(spanned(&error), "3");
    let error = Config::parse(Path::new("tauten.toml"), "target-version = \"py27\"\n").unwrap_err();
    assert_eq!(spanned(&error), "\"py27\"");
}

#[test]
fn invalid_toml_is_an_error_with_a_span() {
    let error = Config::parse(Path::new("tauten.toml"), "select = [\n").unwrap_err();
    assert!(error.message.starts_with("invalid TOML"));
    assert!(error.span.is_some());
}

#[test]
fn selectors_are_validated_with_their_spans() {
    let config = Config::parse(Path::new("tauten.toml"), "select = [\"TAU1\", \"XYZ9\"]\n")
        .unwrap()
        .unwrap();
    let error = config
        .validate_selectors(|s| s.starts_with("TAU"))
        .unwrap_err();
    assert_eq!(spanned(&error), "\"XYZ9\"");
}

#[test]
fn default_excludes_match_directory_names() {
    let config = Config::defaults_at(Path::new("/p"));
    assert!(config.is_excluded(Path::new("/p/.venv")));
    assert!(config.is_excluded(Path::new("/p/deep/node_modules")));
    assert!(!config.is_excluded(Path::new("/p/src")));
}

#[test]
fn async_settings_are_read_and_checked() {
    let config = Config::parse(
        Path::new("tauten.toml"),
        "[async]\nextra-blocking-functions = [\"legacy.db.*\"]\nallowed-blocking-functions = [\"time.sleep\"]\naiofiles = true\n",
    )
    .unwrap()
    .unwrap();
    let settings = &config.lint.asyncio;
    assert_eq!(settings.extra_blocking_functions, ["legacy.db.*"]);
    assert_eq!(settings.allowed_blocking_functions, ["time.sleep"]);
    assert!(settings.aiofiles);
    let error =
        Config::parse(Path::new("tauten.toml"), "[async]\nextra-blocking = []\n").unwrap_err();
    assert_eq!(spanned(&error), "extra-blocking");
    assert!(error.help.unwrap().contains("extra-blocking-functions"));
}

#[test]
fn to_thread_runner_is_a_qualified_name() {
    let config = Config::parse(
        Path::new("tauten.toml"),
        "[async]\nto-thread-runner = \"starlette.concurrency.run_in_threadpool\"\n",
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        config.lint.asyncio.to_thread_runner.as_deref(),
        Some("starlette.concurrency.run_in_threadpool")
    );
    for bad in ["\"run_in_threadpool\"", "\"a..b\"", "\"a.b()\"", "3"] {
        let error = Config::parse(
            Path::new("tauten.toml"),
            &format!("[async]\nto-thread-runner = {bad}\n"),
        )
        .unwrap_err();
        assert_eq!(spanned(&error), bad);
        assert!(
            error.message.contains("qualified name"),
            "{}",
            error.message
        );
    }
}

#[test]
fn group_callers_above_is_a_positive_integer() {
    let parse = |text: &str| Config::parse(Path::new("tauten.toml"), text);
    let config = parse("[async]\ngroup-callers-above = 2\n")
        .unwrap()
        .unwrap();
    assert_eq!(config.lint.asyncio.group_callers_above(), 2);
    let default = parse("[async]\n").unwrap().unwrap();
    assert_eq!(default.lint.asyncio.group_callers_above(), 5);
    for bad in ["0", "-1", "\"5\"", "2.5"] {
        let error = parse(&format!("[async]\ngroup-callers-above = {bad}\n")).unwrap_err();
        assert_eq!(spanned(&error), bad);
        assert!(
            error.message.contains("positive integer"),
            "{}",
            error.message
        );
    }
}

#[test]
fn aiofiles_is_found_among_the_dependencies() {
    let with = |deps: &str| {
        Config::parse(
            Path::new("pyproject.toml"),
            &format!("{deps}\n[tool.tauten]\nselect = [\"TAU5\"]\n"),
        )
        .unwrap()
        .unwrap()
        .lint
        .asyncio
        .aiofiles
    };
    assert!(with(
        "[project]\nname = \"x\"\ndependencies = [\"aiofiles>=23\"]\n"
    ));
    assert!(with(
        "[project]\nname = \"x\"\n[project.optional-dependencies]\nio = [\"AIOFILES\"]\n"
    ));
    assert!(with("[tool.poetry.dependencies]\naiofiles = \"^23\"\n"));
    assert!(!with(
        "[project]\nname = \"x\"\ndependencies = [\"aiofiles-extra\"]\n"
    ));
}

#[test]
fn module_size_settings_are_read_and_checked() {
    let defaults = LintSettings::default().module_size;
    assert_eq!((defaults.max_lines, defaults.max_bytes), (1000, 102_400));
    let text = "[tool.tauten.module-size]\nmax-lines = 500\nmax-bytes = 20000\n";
    let config = Config::parse(Path::new("pyproject.toml"), text)
        .unwrap()
        .unwrap();
    assert_eq!(config.lint.module_size.max_lines, 500);
    assert_eq!(config.lint.module_size.max_bytes, 20_000);
    let error = Config::parse(
        Path::new("pyproject.toml"),
        "[tool.tauten.module-size]\nmax-lines = \"many\"\n",
    )
    .unwrap_err();
    assert_eq!(spanned(&error), "\"many\"");
    let error =
        Config::parse(Path::new("tauten.toml"), "[module-size]\nmax-line = 3\n").unwrap_err();
    assert_eq!(spanned(&error), "max-line");
    assert!(error.help.unwrap().contains("did you mean `max-lines`"));
    let error =
        Config::parse(Path::new("tauten.toml"), "[module-size]\nmax-bytes = 0\n").unwrap_err();
    assert_eq!(spanned(&error), "0");
}

#[test]
fn requires_python_gives_the_target_version_unless_it_is_set() {
    let parse = |text: &str| {
        Config::parse(Path::new("/p/pyproject.toml"), text)
            .unwrap()
            .unwrap()
            .lint
            .target_version
            .map(|v| (v.major, v.minor))
    };
    let tool = "[tool.tauten]\n";
    assert_eq!(
        parse(&format!("[project]\nrequires-python = \">=3.15\"\n{tool}")),
        Some((3, 15))
    );
    assert_eq!(
        parse(&format!(
            "[project]\nrequires-python = \">=3.9, <4\"\n{tool}"
        )),
        Some((3, 9))
    );
    assert_eq!(
        parse(&format!(
            "[project]\nrequires-python = \"~=3.11.2\"\n{tool}"
        )),
        Some((3, 11))
    );
    assert_eq!(
        parse(&format!("[project]\nrequires-python = \"<3.13\"\n{tool}")),
        None
    );
    assert_eq!(
        parse(&format!(
            "[project]\nrequires-python = \">=3.15\"\n{tool}target-version = \"py312\"\n"
        )),
        Some((3, 12))
    );
    // A tauten.toml has no `[project]` of its own.
    let toml = Config::parse(
        Path::new("/p/tauten.toml"),
        "[project]\nrequires-python = \">=3.15\"\n",
    );
    assert!(toml.is_err() || toml.unwrap().unwrap().lint.target_version.is_none());
}
