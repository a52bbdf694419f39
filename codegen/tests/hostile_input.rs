//! Spec folders built to make the loader hang, read forever or fill the memory: each is refused
//! quickly with a message that names the file. (Cases that fit in a folder of plain files are
//! invalid-spec fixtures under `tests/invalid/`; these need a FIFO, a link or a huge file.)

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

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
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let dir = std::env::temp_dir().join(format!("codegen-hostile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("crate.yaml"), CRATE).unwrap();
        std::fs::write(dir.join("tiny.yaml"), SERVICE).unwrap();
        Folder(dir)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Generates `dir` on another thread and fails the test if that takes longer than `limit`
/// (the thread is left behind: a hang must fail the test, not stall the suite).
fn generate_within(dir: &Path, limit: Duration) -> Result<Vec<codegen::GeneratedFile>, String> {
    let (send, receive) = mpsc::channel();
    let dir = dir.to_owned();
    std::thread::spawn(move || {
        let _ = send.send(codegen::generate_dir(&dir, "spec").map_err(|problems| problems.to_string()));
    });
    receive.recv_timeout(limit).unwrap_or_else(|_| panic!("generation did not finish within {limit:?}"))
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_spec_file_is_refused_without_waiting_for_a_writer() {
    let folder = Folder::new("fifo");
    let fifo = folder.0.join("pipe.yaml");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(status.success());
    let message = generate_within(&folder.0, Duration::from_secs(10)).expect_err("a FIFO is refused");
    assert!(message.contains("`spec/pipe.yaml` is a FIFO (named pipe), not a regular file"), "{message}");
    assert!(message.contains("--> spec/pipe.yaml"), "{message}");
}

#[cfg(unix)]
#[test]
fn a_link_to_a_device_is_refused_without_reading_it() {
    let folder = Folder::new("device");
    std::os::unix::fs::symlink("/dev/zero", folder.0.join("zero.yaml")).unwrap();
    let message = generate_within(&folder.0, Duration::from_secs(10)).expect_err("a device is refused");
    assert!(message.contains("`spec/zero.yaml` is a device, not a regular file"), "{message}");
}

#[test]
fn a_file_over_the_size_cap_is_refused_without_reading_it_all() {
    let folder = Folder::new("large");
    // Sparse: it takes no disk space, but reads as MAX_FILE_BYTES + 1 zero bytes.
    let file = std::fs::File::create(folder.0.join("large.yaml")).unwrap();
    file.set_len(codegen::load::MAX_FILE_BYTES + 1).unwrap();
    let message = generate_within(&folder.0, Duration::from_secs(30)).expect_err("too large");
    assert!(message.contains("error: the file is larger than 64 MiB\n  --> spec/large.yaml"), "{message}");
}

#[test]
fn a_byte_order_mark_is_accepted_and_generates_the_same_files() {
    let plain = Folder::new("plain");
    let marked = Folder::new("bom");
    std::fs::write(marked.0.join("crate.yaml"), format!("\u{feff}{CRATE}")).unwrap();
    std::fs::write(marked.0.join("tiny.yaml"), format!("\u{feff}{SERVICE}")).unwrap();
    let expected = codegen::generate_dir(&plain.0, "spec").expect("the plain spec generates");
    assert_eq!(codegen::generate_dir(&marked.0, "spec"), Ok(expected));
}

/// The case: 15 KB of nested aliases made an 18 MB `types.rs`; 100 KB exhausted 4 GiB.
#[test]
fn nested_aliases_are_refused_before_they_expand() {
    for levels in [4, 6, 40] {
        let folder = Folder::new(&format!("aliases-{levels}"));
        let mut text = SERVICE.replace(
            "types:\n",
            "types:\n  - { kind: object, name: Base, fields: &l0 [ { name: id, type: int64 } ] }\n",
        );
        for level in 1..=levels {
            let repeated = vec![format!("*l{}", level - 1); 12].join(", ");
            text.push_str(&format!("  - {{ kind: object, name: T{level}, fields: &l{level} [ {repeated} ] }}\n"));
        }
        assert!(text.len() < 20_000);
        std::fs::write(folder.0.join("tiny.yaml"), &text).unwrap();
        // Lists of field lists are no fields: the spec is refused where the first alias
        // would expand, as a type error, before anything grows.
        let message = generate_within(&folder.0, Duration::from_secs(20)).expect_err("refused");
        assert!(message.contains("--> spec/tiny.yaml:"), "{message}");
    }
}

/// Nested aliases where any YAML is allowed (a field's `default`): only the node budget stops them.
#[test]
fn nested_aliases_in_free_values_are_refused_before_they_expand() {
    for levels in [4, 6, 40] {
        let folder = Folder::new(&format!("default-aliases-{levels}"));
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
        std::fs::write(folder.0.join("tiny.yaml"), &text).unwrap();
        let message = generate_within(&folder.0, Duration::from_secs(20)).expect_err("refused");
        assert!(message.contains("error: the YAML expands to more nodes than the file has bytes"), "{message}");
        assert!(message.contains("--> spec/tiny.yaml:"), "{message}");
    }
}

#[test]
fn an_alias_used_a_few_times_is_still_accepted() {
    let folder = Folder::new("one-alias");
    let text = SERVICE.replace(
        "types:\n  - { kind: object, name: Thing, fields: [ { name: id, type: int64 } ] }\n",
        "types:\n  - { kind: object, name: Thing, fields: &fields [ { name: id, type: int64 } ] }\n  - { kind: object, name: Other, fields: *fields }\n",
    );
    std::fs::write(folder.0.join("tiny.yaml"), text).unwrap();
    let files = codegen::generate_dir(&folder.0, "spec").expect("accepted");
    let types = files.iter().find(|file| file.path == "src/tiny/types.rs").expect("types.rs");
    assert!(types.contents.contains("pub struct Other"), "{}", types.contents);
}
