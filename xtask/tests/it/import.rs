//! `cargo xtask import` on the real workspace (the committed Visma spec matches its documents:
//! the CI check) and on a temporary one (writes only when changed, `--check`, skipped documents,
//! overlay errors).

use std::path::Path;

use xtask::{parse_import_args, run_import};

use crate::common::{self, workspace, TempDir, CRATE};

const VISMA: &[&str] = &[
    "import",
    "openapi-generator-md",
    "spec/sources/visma_net/api",
    "spec/sources/visma_net/models",
    "--service",
    "visma_net",
    "--facts",
    "spec/sources/visma_net/facts",
];

#[test]
fn the_committed_visma_spec_matches_its_documents() {
    let mut args = VISMA[1..].to_vec();
    args.push("--check");
    let options = parse_import_args(&args).unwrap();
    let outcome = run_import(&workspace(), &workspace(), &options).unwrap();
    assert!(!outcome.fail, "{}", outcome.errors.join("\n"));
    assert!(
        outcome.lines[0].starts_with("imported 51 documents: 12 operations (65 parameters), 56 types"),
        "{}",
        outcome.lines[0]
    );
}

const API: &str = "# OpenAPI\\Client\\ThingApi

All URIs are relative to https://tiny.example.com, except if the operation defines another base path.

| Method | HTTP request | Description |
| ------------- | ------------- | ------------- |
| [**thingGet()**](ThingApi.md#thingGet) | **GET** /things/{thingId} | Get a thing. |

## `thingGet()`

```php
thingGet($thing_id): \\OpenAPI\\Client\\Model\\Thing
```

Get a thing.

### Parameters

| Name | Type | Description  | Notes |
| ------------- | ------------- | ------------- | ------------- |
| **thing_id** | **string**| The thing. | |

### Return type

[**\\OpenAPI\\Client\\Model\\Thing**](../Model/Thing.md)
";
const MODEL: &str = "# Thing\n\n## Properties\n\nName | Type | Description | Notes\n------------ | ------------- | ------------- | -------------\n**thing_id** | **string** | Its id. | [optional]\n";

/// A temporary workspace with a crate file and the tiny documents, removed when dropped.
struct Workspace(TempDir);

impl Workspace {
    fn new(name: &str) -> Workspace {
        let root = TempDir::new(&format!("xtask-import-{name}"));
        std::fs::create_dir_all(root.join("spec/overlays")).unwrap();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("spec/crate.yaml"), CRATE).unwrap();
        std::fs::write(root.join("docs/ThingApi.md"), API).unwrap();
        std::fs::write(root.join("docs/Thing.md"), MODEL).unwrap();
        Workspace(root)
    }

    fn import(&self, extra: &[&str]) -> Result<xtask::ImportOutcome, String> {
        let mut args = vec!["openapi-generator-md", "docs", "--service", "tiny"];
        args.extend_from_slice(extra);
        run_import(&self.0, &self.0, &parse_import_args(&args).unwrap())
    }

    fn spec(&self) -> String {
        std::fs::read_to_string(self.0.join("spec/tiny.yaml")).unwrap()
    }
}

#[test]
fn import_writes_once_and_check_sees_a_stale_file() {
    let ws = Workspace::new("writes");
    let outcome = ws.import(&[]).unwrap();
    assert!(!outcome.fail, "{:?}", outcome.errors);
    assert_eq!(outcome.lines.last().unwrap(), "spec/tiny.yaml: written");
    let first = ws.spec();
    assert!(first.contains("- name: thingId\n    in: path\n    type: string\n    required: true\n"), "{first}");
    assert!(first.contains("    inferred: [name, nullable]\n"), "{first}");
    let modified = std::fs::metadata(ws.0.join("spec/tiny.yaml")).unwrap().modified().unwrap();
    assert_eq!(ws.import(&[]).unwrap().lines.last().unwrap(), "spec/tiny.yaml: up to date");
    assert_eq!(std::fs::metadata(ws.0.join("spec/tiny.yaml")).unwrap().modified().unwrap(), modified);
    let fresh = ws.import(&["--check"]).unwrap();
    assert!(!fresh.fail);
    assert_eq!(fresh.lines.last().unwrap(), "spec/tiny.yaml: up to date");
    std::fs::write(ws.0.join("spec/tiny.yaml"), first.replace("Its id.", "Changed by hand.")).unwrap();
    let stale = ws.import(&["--check"]).unwrap();
    assert!(stale.fail);
    assert!(stale.errors[0].contains("spec/tiny.yaml does not match its documents"), "{:?}", stale.errors);
    // --check wrote nothing.
    assert!(ws.spec().contains("Changed by hand."));
}

#[test]
fn an_unreadable_document_is_skipped_and_fails_the_run() {
    let ws = Workspace::new("skipped");
    std::fs::write(ws.0.join("docs/notes.md"), "Some notes, not a generated document.\n").unwrap();
    let outcome = ws.import(&[]).unwrap();
    assert!(outcome.fail);
    assert!(outcome.errors[0].contains("not an openapi-generator API or model document"), "{:?}", outcome.errors);
    assert!(outcome.errors[0].contains("--> docs/notes.md:1:1"), "{:?}", outcome.errors);
    // The other documents were still imported.
    assert!(ws.spec().contains("thingId"));
}

#[test]
fn the_overlay_is_applied_and_a_stale_entry_is_an_error() {
    let ws = Workspace::new("overlay");
    std::fs::write(
        ws.0.join("spec/overlays/tiny.yaml"),
        "overlay: tiny\nentries:\n- set: { title: Tiny things }\n- at: types[Thing].fields[thingId]\n  set: { name: thingID }\n",
    )
    .unwrap();
    ws.import(&[]).unwrap();
    let spec = ws.spec();
    assert!(spec.contains("title: Tiny things\n") && spec.contains("- name: thingID\n"), "{spec}");
    assert!(spec.contains("    inferred: [nullable]\n"), "the overlay's name is no longer inferred: {spec}");
    assert!(spec.contains("# Corrections go in spec/overlays/tiny.yaml"), "{spec}");
    std::fs::write(
        ws.0.join("spec/overlays/tiny.yaml"),
        "overlay: tiny\nentries:\n- at: types[Gone]\n  set: { description: x }\n",
    )
    .unwrap();
    let error = ws.import(&[]).unwrap_err();
    assert!(error.contains("no item `Gone` in `types` (entry at `types[Gone]`)"), "{error}");
    assert!(error.contains("--> spec/overlays/tiny.yaml:3:7\n  = spec path: entries[0].at"), "{error}");
    // Nothing was written.
    assert!(ws.spec().contains("title: Tiny things\n"));
}

#[test]
fn an_import_that_does_not_validate_writes_nothing() {
    let ws = Workspace::new("invalid");
    // The return type names a model without a document.
    std::fs::remove_file(ws.0.join("docs/Thing.md")).unwrap();
    let error = ws.import(&[]).unwrap_err();
    assert!(error.contains("Thing") && error.contains("nothing was written"), "{error}");
    // Placed in the imported text, though it was never written.
    assert!(error.contains("  --> spec/tiny.yaml:") && error.contains("  = spec path: "), "{error}");
    assert!(!ws.0.join("spec/tiny.yaml").exists());
}

#[test]
fn usage_errors() {
    assert!(parse_import_args(&["openapi-generator-md", "docs"]).unwrap_err().contains("--service"));
    assert!(parse_import_args(&["openapi-generator-md", "--service", "x"]).unwrap_err().contains("documents"));
    let ws = Workspace::new("usage");
    let error =
        run_import(&ws.0, &ws.0, &parse_import_args(&["wsdl-typo", "docs", "--service", "tiny"]).unwrap()).unwrap_err();
    assert!(error.contains("unknown import format `wsdl-typo`") && error.contains("openapi-generator-md"), "{error}");
}

/// Runs an import of `ws` with `extra` arguments on a thread and waits at most ten seconds, so
/// a read that blocks or never ends fails the test instead of hanging it.
fn import_within_seconds(ws: &Workspace, extra: &[&str]) -> Result<xtask::ImportOutcome, String> {
    let root = ws.0.to_path_buf();
    let mut args: Vec<String> = ["openapi-generator-md", "docs", "--service", "tiny"].map(str::to_owned).to_vec();
    args.extend(extra.iter().map(|arg| arg.to_string()));
    common::within(std::time::Duration::from_secs(10), move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_import(&root, &root, &parse_import_args(&args).unwrap())
    })
}

#[cfg(unix)]
#[test]
fn a_fifo_among_the_documents_is_an_error_not_a_hang() {
    let ws = Workspace::new("fifo");
    let status = std::process::Command::new("mkfifo").arg(ws.0.join("docs/pipe.md")).status().expect("mkfifo runs");
    assert!(status.success());
    let error = import_within_seconds(&ws, &[]).unwrap_err();
    assert!(error.contains("`docs/pipe.md` is a FIFO (named pipe), not a regular file"), "{error}");
    assert!(error.contains("--> docs/pipe.md"), "{error}");
    assert!(!ws.0.join("spec/tiny.yaml").exists());
}

#[cfg(unix)]
#[test]
fn facts_or_an_overlay_linked_to_a_device_are_errors_not_endless_reads() {
    let ws = Workspace::new("zero");
    std::os::unix::fs::symlink("/dev/zero", ws.0.join("zero.tsv")).unwrap();
    let error = import_within_seconds(&ws, &["--facts", "zero.tsv"]).unwrap_err();
    assert!(error.contains("`zero.tsv` is a device, not a regular file"), "{error}");
    let error = import_within_seconds(&ws, &["--overlay", "zero.tsv"]).unwrap_err();
    assert!(error.contains("is a device, not a regular file"), "{error}");
    assert!(!ws.0.join("spec/tiny.yaml").exists());
}

#[test]
fn a_document_that_is_not_utf8_is_an_error_at_its_position() {
    let ws = Workspace::new("latin1");
    let mut bytes = MODEL.replace("Its id.", "Its \u{1}").into_bytes();
    let at = bytes.iter().position(|&byte| byte == 1).unwrap();
    bytes[at] = 0xE9; // `é` in Latin-1
    std::fs::write(ws.0.join("docs/Thing.md"), bytes).unwrap();
    let error = import_within_seconds(&ws, &[]).unwrap_err();
    assert!(error.contains("not UTF-8 text: byte 0xE9"), "{error}");
    assert!(error.contains("--> docs/Thing.md:7:"), "{error}");
}

#[cfg(unix)]
#[test]
fn links_that_loop_back_to_a_folder_are_an_error_not_endless_reads() {
    let ws = Workspace::new("loop");
    // Two links to the folder itself: following them reads 2^n paths.
    std::os::unix::fs::symlink(".", ws.0.join("docs/again")).unwrap();
    std::os::unix::fs::symlink(".", ws.0.join("docs/back")).unwrap();
    let error = import_within_seconds(&ws, &[]).unwrap_err();
    assert!(error.contains("docs/again is a folder already read"), "{error}");
}

#[test]
fn the_number_of_input_files_is_bounded() {
    let ws = Workspace::new("many");
    std::fs::create_dir_all(ws.0.join("docs/many")).unwrap();
    for n in 0..xtask::import::MAX_INPUT_FILES {
        std::fs::write(ws.0.join(format!("docs/many/{n:05}.md")), "").unwrap();
    }
    let error = import_within_seconds(&ws, &[]).unwrap_err();
    assert!(error.contains(&format!("more than {} input files", xtask::import::MAX_INPUT_FILES)), "{error}");
}

#[test]
fn openapi_crate_writes_a_standalone_crate_and_leaves_spec_alone() {
    let out = TempDir::new("xtask-openapi-crate");
    let spec_before = std::fs::read_dir(workspace().join("spec")).unwrap().count();
    let document = workspace().join("codegen/tests/import_fixtures/openapi/tasks-openapi30.yaml");
    let lines = xtask::bench::openapi_crate(&workspace(), &[document], "tasks", &out).unwrap();
    assert!(lines[0].starts_with("imported"), "{lines:?}");
    assert!(lines.last().unwrap().contains("written, 0 removed"), "{lines:?}");
    assert!(!lines.iter().any(|line| line.contains("spec/tasks.yaml")), "the temporary spec is not named: {lines:?}");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"tasks-client\""), "{manifest}");
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("pub mod tasks;"), "{lib}");
    assert!(out.join("src/tasks/mod.rs").is_file());
    assert_eq!(std::fs::read_dir(workspace().join("spec")).unwrap().count(), spec_before);
    assert!(!workspace().join("spec/tasks.yaml").exists());

    // The same crate as `import` then `codegen` in a workspace of its own: the one-step path
    // skips writing the spec and reading it back, and must not change a byte for that.
    let root = TempDir::new("xtask-openapi-two-steps");
    std::fs::create_dir_all(root.join("spec")).unwrap();
    let crate_yaml = "name: tasks-client\nversion: 0.1.0\ndescription: A client generated from an OpenAPI document.\n";
    std::fs::write(root.join("spec/crate.yaml"), crate_yaml).unwrap();
    let document = workspace().join("codegen/tests/import_fixtures/openapi/tasks-openapi30.yaml");
    let args = ["openapi", document.to_str().unwrap(), "--service", "tasks"];
    run_import(&root, &root, &parse_import_args(&args).unwrap()).unwrap();
    xtask::codegen(&root, &[("spec", "crate")], false).unwrap();
    let mut one_step = files_below(&out);
    let mut two_steps = files_below(&root.join("crate"));
    one_step.sort();
    two_steps.sort();
    assert_eq!(one_step.len(), two_steps.len());
    for ((path, text), (other_path, other_text)) in one_step.iter().zip(&two_steps) {
        assert_eq!(path, other_path);
        assert!(text == other_text, "{path} differs between the one-step and the two-step crate");
    }
}

/// Every file below `dir`, as (path relative to `dir`, contents).
fn files_below(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files
}
