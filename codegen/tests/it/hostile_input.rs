//! Spec folders built to make the loader hang, read forever or fill the memory: each is refused
//! quickly with a message that names the file. (Cases that fit in a folder of plain files are
//! invalid-spec fixtures under `tests/invalid/`; these need a FIFO, a link or a huge file.)

use std::path::Path;
use std::time::Duration;

use crate::common::{self, TempDir};

const CRATE: &str = "name: tiny\nversion: 0.1.0\ndescription: Tiny.\n";
const SERVICE: &str = "service: tiny
title: Tiny
protocol: rest
base_url: https://tiny.example.com
groups: [ { id: things } ]
operations:
  - { id: things_list, group: things, method: GET, path: /things, responses: [ { status: 200, type: Thing } ] }
types:
  - { kind: object, name: Thing, fields: [ { name: id, type: int64 } ] }
";

/// A spec folder with the tiny spec, removed when dropped.
fn folder(name: &str) -> TempDir {
    let folder = TempDir::new(&format!("codegen-hostile-{name}"));
    std::fs::write(folder.path().join("crate.yaml"), CRATE).unwrap();
    std::fs::write(folder.path().join("tiny.yaml"), SERVICE).unwrap();
    folder
}

/// Generates `dir` and fails the test if that takes longer than `limit`.
fn generate_within(dir: &Path, limit: Duration) -> Result<Vec<codegen::GeneratedFile>, String> {
    let dir = dir.to_owned();
    common::within(limit, move || codegen::generate_dir(&dir, "spec").map_err(|problems| problems.to_string()))
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_spec_file_is_refused_without_waiting_for_a_writer() {
    let folder = folder("fifo");
    let fifo = folder.path().join("pipe.yaml");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(status.success());
    let message = generate_within(folder.path(), Duration::from_secs(10)).expect_err("a FIFO is refused");
    assert!(message.contains("`spec/pipe.yaml` is a FIFO (named pipe), not a regular file"), "{message}");
    assert!(message.contains("--> spec/pipe.yaml"), "{message}");
}

#[cfg(unix)]
#[test]
fn a_link_to_a_device_is_refused_without_reading_it() {
    let folder = folder("device");
    std::os::unix::fs::symlink("/dev/zero", folder.path().join("zero.yaml")).unwrap();
    let message = generate_within(folder.path(), Duration::from_secs(10)).expect_err("a device is refused");
    assert!(message.contains("`spec/zero.yaml` is a device, not a regular file"), "{message}");
}

#[test]
fn a_file_over_the_size_cap_is_refused_without_reading_it_all() {
    let folder = folder("large");
    // Sparse: it takes no disk space, but reads as MAX_FILE_BYTES + 1 zero bytes.
    let file = std::fs::File::create(folder.path().join("large.yaml")).unwrap();
    file.set_len(codegen::load::MAX_FILE_BYTES + 1).unwrap();
    let message = generate_within(folder.path(), Duration::from_secs(30)).expect_err("too large");
    assert!(message.contains("error: the file is larger than 64 MiB\n  --> spec/large.yaml"), "{message}");
}

#[test]
fn a_byte_order_mark_is_accepted_and_generates_the_same_files() {
    let plain = folder("plain");
    let marked = folder("bom");
    std::fs::write(marked.path().join("crate.yaml"), format!("\u{feff}{CRATE}")).unwrap();
    std::fs::write(marked.path().join("tiny.yaml"), format!("\u{feff}{SERVICE}")).unwrap();
    let expected = codegen::generate_dir(plain.path(), "spec").expect("the plain spec generates");
    assert_eq!(codegen::generate_dir(marked.path(), "spec"), Ok(expected));
}

/// The case: 15 KB of nested aliases made an 18 MB `types.rs`; 100 KB exhausted 4 GiB.
#[test]
fn nested_aliases_are_refused_before_they_expand() {
    for levels in [4, 6, 40] {
        let folder = folder(&format!("aliases-{levels}"));
        let mut text = SERVICE.replace(
            "types:\n",
            "types:\n  - { kind: object, name: Base, fields: &l0 [ { name: id, type: int64 } ] }\n",
        );
        for level in 1..=levels {
            let repeated = vec![format!("*l{}", level - 1); 12].join(", ");
            text.push_str(&format!("  - {{ kind: object, name: T{level}, fields: &l{level} [ {repeated} ] }}\n"));
        }
        assert!(text.len() < 20_000);
        std::fs::write(folder.path().join("tiny.yaml"), &text).unwrap();
        // Lists of field lists are no fields: the spec is refused where the first alias
        // would expand, as a type error, before anything grows.
        let message = generate_within(folder.path(), Duration::from_secs(20)).expect_err("refused");
        assert!(message.contains("--> spec/tiny.yaml:"), "{message}");
    }
}

/// Nested aliases where any YAML is allowed (a field's `default`): only the node budget stops them.
#[test]
fn nested_aliases_in_free_values_are_refused_before_they_expand() {
    for levels in [4, 6, 40] {
        let folder = folder(&format!("default-aliases-{levels}"));
        let mut fields = vec!["{ name: f0, type: json, default: &l0 [ 1 ] }".to_owned()];
        for level in 1..=levels {
            let repeated = vec![format!("*l{}", level - 1); 12].join(", ");
            fields.push(format!("{{ name: f{level}, type: json, default: &l{level} [ {repeated} ] }}"));
        }
        let text = SERVICE.replace(
            "types:\n",
            &format!("types:\n  - {{ kind: object, name: Base, fields: [ {} ] }}\n", fields.join(", ")),
        );
        assert!(text.len() < 20_000);
        std::fs::write(folder.path().join("tiny.yaml"), &text).unwrap();
        let message = generate_within(folder.path(), Duration::from_secs(20)).expect_err("refused");
        assert!(message.contains("error: the YAML expands to more nodes than the file has bytes"), "{message}");
        assert!(message.contains("--> spec/tiny.yaml:"), "{message}");
    }
}

#[test]
fn an_alias_used_a_few_times_is_still_accepted() {
    let folder = folder("one-alias");
    let text = SERVICE.replace(
        "types:\n  - { kind: object, name: Thing, fields: [ { name: id, type: int64 } ] }\n",
        "types:\n  - { kind: object, name: Thing, fields: &fields [ { name: id, type: int64 } ] }\n  - { kind: object, name: Other, fields: *fields }\n",
    );
    std::fs::write(folder.path().join("tiny.yaml"), text).unwrap();
    let files = codegen::generate_dir(folder.path(), "spec").expect("accepted");
    let types = files.iter().find(|file| file.path == "src/tiny/types.rs").expect("types.rs");
    assert!(types.contents.contains("pub struct Other"), "{}", types.contents);
}
