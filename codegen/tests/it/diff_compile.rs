//! The rust classification of a sample of diff rules, checked by the compiler: a small program
//! written against the crate generated from a fixture's old spec must still build against the
//! crate generated from its new spec exactly when the diff says the change is not `major`.
//!
//! The crates are generated with `codegen::generate_dir` from `tests/diff_fixtures/<case>/`, and
//! checked offline with the workspace's `Cargo.lock` in `target/diff-compile` (shared, so runs
//! after the first are incremental; identical crates are generated once).

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::diff::rules::Bump;

use crate::common::{self, workspace};

struct Probe {
    /// The fixture folder; its rule is the part before any `.`.
    case: &'static str,
    /// Uses the old crate's API the way a caller would; `client` is the service's `Client`
    /// (`shop::shop::Client`, or `shop::pws::Client` in the SOAP cases) and `types` its types.
    program: &'static str,
}

const PROBES: &[Probe] = &[
    // Breaking: the compiler must reject the old program.
    Probe { case: "param-added-required", program: "let _ = client.orders().list(\"open\").page_size(10i32);" },
    // Surprising: the server still accepts old requests, but the argument became a setter.
    Probe { case: "param-became-optional", program: "let _ = client.orders().list(\"open\");" },
    Probe { case: "param-order-changed", program: "let _ = client.orders().get(7i64, \"main\");" },
    // DTOs are built with `new` (the fields that are not an `Option`, in order) and setters.
    Probe { case: "field-added-required", program: "let _ = types::OrderInput::new(1.0).with_note(\"n\");" },
    Probe { case: "field-removed.request", program: "let _ = types::OrderInput::new(1.0).with_note(\"n\");" },
    Probe { case: "field-became-optional.request", program: "let _ = types::OrderInput::new(1.0);" },
    Probe { case: "field-nullability-changed.request", program: "let _ = types::OrderInput::new(1.0);" },
    Probe { case: "field-order-changed", program: "let _ = types::Line::new(\"A-1\", 2);" },
    Probe { case: "field-rust-name-changed", program: "fn total(order: &types::Order) -> f64 { order.total } let _ = total;" },
    Probe { case: "type-renamed", program: "let _: Option<types::Job> = None;" },
    // A union is a `#[non_exhaustive]` enum: a new variant keeps old code building, a renamed one does not.
    Probe { case: "union-variant-added", program: "let _ = types::Event::Card(types::Card::new(\"4111\"));" },
    Probe {
        case: "union-variant-renamed",
        program: "let _ = types::Payment::Cash(types::Cash::new(5));",
    },
    Probe { case: "derive-removed", program: "fn eq<T: Eq>() {} eq::<types::Line>();" },
    // Surprising: opening a string enum makes `as_str()` borrow from the value.
    Probe {
        case: "enum-openness-changed.opened",
        program: "fn name(state: &types::State) -> &'static str { state.as_str() } let _ = name(&types::State::Open);",
    },
    Probe {
        case: "response-status-added.single",
        program: "async fn order(client: &shop::shop::Client) -> Option<types::Order> { client.orders().get(1, \"main\").send().await.ok().map(|answer| answer.body) } let _ = order(&client);",
    },
    // A required token parameter is a `ClientCredentials::new` argument.
    Probe {
        case: "auth-token-request-changed.required-param",
        program: "let _ = shop::shop::ClientCredentials::new(\"id\", \"secret\");",
    },
    // Not breaking: the old program must still build.
    Probe { case: "auth-token-request-changed.optional-param", program: "let _ = shop::shop::ClientCredentials::new(\"id\", \"secret\").token_url(\"https://id.example.com/t\");" },
    Probe { case: "param-added-optional", program: "let _ = client.orders().list(\"open\").page_size(10i32);" },
    // Surprising: required parameters are positional, so their Rust names are not API.
    Probe { case: "param-rust-name-changed.required", program: "let _ = client.orders().list(\"open\");" },
    Probe { case: "param-wire-name-changed", program: "let _ = client.orders().list(\"open\").page_size(10i32);" },
    Probe { case: "operation-path-changed", program: "let _ = client.orders().archive();" },
    // An optional nullable field is a `Nullable`; required, it becomes an `Option` (its setter
    // still takes the value).
    Probe {
        case: "field-became-required.nullable",
        program: "let input = types::OrderInput::new(1.0).with_coupon(\"c\"); let _: shop::Nullable<String> = input.coupon;",
    },
    Probe {
        case: "field-tristate-changed",
        program: "let mut input = types::OrderInput::new(1.0).with_note(\"n\"); input.note = None;",
    },
    // Surprising before `#[non_exhaustive]` DTOs: adding an optional field was major.
    Probe {
        case: "field-added-optional",
        program: "let job = types::Job::new().with_id(\"j-1\"); let types::Job { id, .. } = job.clone(); let _: Option<String> = id; let _ = types::Job::default() == job;",
    },
    // A required nullable field is an `Option`, so `new` does not take it.
    Probe {
        case: "field-added-required.nullable",
        program: "let mut input = types::OrderInput::new(1.0).with_note(\"n\").with_color(\"red\"); input.note = None;",
    },
    // A deprecated field is named only where it is set: code that does not set it gets no warning.
    Probe {
        case: "field-deprecated",
        program: "#[deny(deprecated)] fn build() -> types::OrderInput { types::OrderInput::new(1.0).with_coupon(\"c\") } let _ = build();",
    },
    // A required nullable `Option` becomes an optional nullable `Nullable`.
    Probe {
        case: "field-became-optional.nullable",
        program: "fn paid(order: &types::Order) -> Option<&shop::DateTime> { order.paid_at.as_ref() } let _ = paid;",
    },
    // Answer elements swap places (the XML sequence changes); the Rust API does not.
    Probe {
        case: "field-order-changed.soap",
        program: "let answer = types::SaveRs::new().with_status(types::Status::Ok); let _ = answer.messages;",
    },
    Probe {
        case: "enum-member-added",
        program: "let _ = match types::State::Open { types::State::Open => 1, types::State::Done => 2, _ => 3 };",
    },
    Probe {
        case: "enum-openness-changed.opened-integer",
        program: "let _: i64 = types::Priority::Low.value(); let _ = match types::Priority::High { types::Priority::Low => 1, _ => 2 };",
    },
    Probe {
        case: "response-status-added",
        program: "async fn created(client: &shop::shop::Client) -> bool { matches!(client.orders().create(types::OrderInput::new(1.0)).send().await.map(|answer| answer.body), Ok(shop::shop::orders::CreateResponse::Created)) } let _ = created(&client);",
    },
];

/// Probes built with one group's cargo feature alone (`default-features = false`), for the rules
/// about what a group's feature compiles.
const GROUP_PROBES: &[(&str, Probe)] = &[
    // Breaking: `Line` compiled with `shop-orders` because `Order.lines` reached it.
    ("shop-orders", Probe { case: "type-left-group", program: "let _ = types::Line::new(\"A-1\", 2);" }),
    ("shop-orders", Probe { case: "type-left-group.moved", program: "let _ = types::CancelReason::new();" }),
    // Not breaking: what `shop-admin` compiled (its group was empty) is still there, `Job` beside it.
    ("shop-admin", Probe { case: "type-joined-group", program: "let _ = client.admin();" }),
];

fn target() -> PathBuf {
    workspace().join("target/diff-compile")
}

/// Generates the crate of a spec folder below `target/diff-compile/crates/`, in a folder named by
/// a hash of its files, so identical crates (every old side) are generated and built once.
fn generate(spec: &Path) -> PathBuf {
    let files = codegen::generate_dir(spec, &spec.display().to_string()).unwrap_or_else(|error| panic!("{error}"));
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        for byte in file.path.bytes().chain(file.contents.bytes()).chain([0]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    let dir = target().join("crates").join(format!("{hash:016x}"));
    if !dir.join("Cargo.toml").exists() {
        for file in &files {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &file.contents).unwrap();
        }
    }
    dir
}

/// Checks `program` against the crate in `crate_dir` (its default features, or `feature` alone);
/// returns whether it compiled, and stderr.
fn compiles(crate_dir: &Path, service: &str, feature: Option<&str>, program: &str) -> (bool, String) {
    let features =
        feature.map_or(String::new(), |feature| format!(", default-features = false, features = [{feature:?}]"));
    let probe = target().join("probe");
    std::fs::create_dir_all(probe.join("src")).unwrap();
    std::fs::write(
        probe.join("Cargo.toml"),
        format!(
            "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\nshop = {{ path = {:?}{features} }}\n\n[workspace]\n",
            crate_dir.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), probe.join("Cargo.lock")).unwrap();
    std::fs::write(
        probe.join("src/main.rs"),
        format!(
            "#![allow(deprecated, unused)]\nuse shop::{service}::types;\n\nfn main() {{\n    let client = shop::{service}::Client::new(shop::ClientConfig::new()).unwrap();\n    {program}\n}}\n"
        ),
    )
    .unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet"])
        .current_dir(&probe)
        .env("CARGO_TARGET_DIR", target())
        .output()
        .expect("cargo runs");
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn breaking_rust_changes_fail_to_compile_and_others_still_compile() {
    let fixtures = common::test_data("diff_fixtures");
    let load = |dir: &Path| common::lower_dir(dir, "fixture");
    let mut failures = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    let probes = PROBES.iter().map(|probe| (None, probe));
    for (feature, probe) in probes.chain(GROUP_PROBES.iter().map(|(feature, probe)| (Some(*feature), probe))) {
        let (old, new) = (fixtures.join(probe.case).join("old"), fixtures.join(probe.case).join("new"));
        let report = codegen::diff::diff(&load(&old), &load(&new));
        let id = probe.case.split('.').next().unwrap();
        let change = report
            .changes
            .iter()
            .find(|change| change.rule.id == id)
            .unwrap_or_else(|| panic!("{}: `{id}` not reported", probe.case));
        let major = report.bump() == Some(Bump::Major);
        assert_eq!(change.rust == Bump::Major, major, "{}: the other changes of the pair must not decide", probe.case);

        let (old_crate, new_crate) = (generate(&old), generate(&new));
        used.extend([old_crate.clone(), new_crate.clone()]);
        let service = if old.join("pws.yaml").exists() { "pws" } else { "shop" };
        let (old_ok, old_errors) = compiles(&old_crate, service, feature, probe.program);
        assert!(old_ok, "{}: the program must build against the old crate:\n{old_errors}", probe.case);
        let (new_ok, new_errors) = compiles(&new_crate, service, feature, probe.program);
        if new_ok == major {
            failures.push(format!(
                "{}: classified rust {:?}, but against the new crate the program {}:\n{new_errors}",
                probe.case,
                change.rust,
                if new_ok { "still builds" } else { "fails to build" }
            ));
        } else {
            eprintln!("{}: rust {:?}, confirmed by the compiler", probe.case, change.rust);
        }
    }
    // Crates of earlier generator versions are not needed again.
    for entry in std::fs::read_dir(target().join("crates")).unwrap().flatten() {
        if !used.contains(&entry.path()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
