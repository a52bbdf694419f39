//! One fixture pair per diff rule (`tests/diff_fixtures/<rule-id>/{old,new}/`, a `crate.yaml` and
//! a service file each), plus a pair per context that changes a verdict
//! (`<rule-id>.<context>/`). Each case asserts the rule id, both classifications, and that
//! nothing else is reported. Further checks: every rule has a fixture pair, fixed verdicts match
//! the table, and `docs/diff-rules.md` shows the table as it is.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::diff::rules::{self, Bump, Verdict, Wire};

use crate::common;

struct Case {
    /// The fixture folder: the rule id, then `.<context>` for a further pair of the same rule.
    dir: &'static str,
    wire: Wire,
    rust: Bump,
    /// Other rules the change is expected to trigger too.
    also: &'static [&'static str],
}

const fn case(dir: &'static str, wire: Wire, rust: Bump) -> Case {
    Case { dir, wire, rust, also: &[] }
}

const fn with(dir: &'static str, wire: Wire, rust: Bump, also: &'static [&'static str]) -> Case {
    Case { dir, wire, rust, also }
}

use Bump::{Major, Minor, Patch};
use Wire::{Breaking, None as NoWire, PotentiallyBreaking as Potential};

const CASES: &[Case] = &[
    case("service-added", NoWire, Minor),
    case("service-removed", Breaking, Major),
    case("base-url-changed", Potential, Patch),
    case("auth-changed", Breaking, Patch),
    case("auth-changed.removed", NoWire, Patch),
    // The API gets the same bearer token; the client gains `ClientCredentials`.
    case("auth-changed.client-credentials", NoWire, Minor),
    case("auth-changed.api-key-moved", Breaking, Patch),
    case("auth-changed.api-key-added", Breaking, Minor),
    case("auth-token-request-changed", Potential, Patch),
    case("auth-token-request-changed.required-param", Potential, Major),
    case("auth-token-request-changed.optional-param", Potential, Minor),
    case("soap-binding-changed", Breaking, Patch),
    case("soap-redirect-hosts-changed", Potential, Patch),
    case("soap-redirect-hosts-changed.removed", NoWire, Patch),
    case("operation-added", NoWire, Minor),
    with("pagination-changed", NoWire, Minor, &["param-added-optional"]),
    with("pagination-changed.removed", NoWire, Major, &["param-removed"]),
    with("background-job-changed", NoWire, Minor, &["operation-added", "param-added-optional", "type-added"]),
    with("background-job-changed.removed", NoWire, Major, &["operation-removed", "param-removed", "type-removed"]),
    case("operation-removed", Breaking, Major),
    case("operation-renamed", NoWire, Major),
    case("operation-renamed.unmarked", NoWire, Major),
    case("operation-renamed.name", NoWire, Major),
    case("operation-renamed.moved", NoWire, Major),
    case("operation-method-changed", Breaking, Patch),
    case("operation-path-changed", Breaking, Patch),
    case("operation-deprecated", NoWire, Minor),
    case("operation-idempotent-changed", Potential, Patch),
    case("operation-idempotent-changed.removed", NoWire, Patch),
    case("operation-idempotent-changed.soap", Potential, Patch),
    with("operation-session-changed", NoWire, Major, &["field-removed"]),
    case("param-added-required", Breaking, Major),
    case("param-added-optional", NoWire, Minor),
    case("param-removed", Potential, Major),
    case("param-became-required", Breaking, Major),
    case("param-became-optional", NoWire, Major),
    case("param-type-changed", Breaking, Major),
    case("param-location-changed", Breaking, Patch),
    case("param-style-changed", Breaking, Patch),
    case("param-wire-name-changed", Breaking, Patch),
    // A renamed placeholder is the same URL: no `operation-path-changed`.
    case("param-wire-name-changed.path", NoWire, Patch),
    case("param-wire-name-changed.header-case", NoWire, Patch),
    case("param-rust-name-changed", NoWire, Major),
    case("param-rust-name-changed.required", NoWire, Patch),
    case("param-order-changed", NoWire, Major),
    case("param-deprecated", NoWire, Minor),
    case("body-added", Breaking, Major),
    case("body-added.optional", NoWire, Minor),
    with("body-removed", Breaking, Major, &["type-left-group"]),
    with("body-type-changed", Breaking, Major, &["type-left-group"]),
    case("body-content-type-changed", Breaking, Patch),
    case("body-became-required", Breaking, Major),
    case("body-became-optional", NoWire, Major),
    case("response-status-added", Potential, Minor),
    case("response-status-added.single", Potential, Major),
    // `Job` was reached only through the 202 answer: no group compiles it any more.
    with("response-status-removed", Breaking, Major, &["type-left-group"]),
    with("response-type-changed", Breaking, Major, &["type-left-group"]),
    case("response-content-type-changed", Breaking, Patch),
    case("response-type-changed.upgrade", Breaking, Major),
    case("response-header-added", NoWire, Patch),
    case("response-header-removed", Breaking, Patch),
    case("error-status-changed", NoWire, Patch),
    with("error-type-changed", Potential, Major, &["type-left-group"]),
    case("type-added", NoWire, Minor),
    case("type-removed", NoWire, Major),
    case("type-renamed", NoWire, Major),
    case("type-renamed.unmarked", NoWire, Major),
    case("type-kind-changed", Breaking, Major),
    case("type-deprecated", NoWire, Minor),
    case("alias-target-changed", Breaking, Major),
    with("derive-removed", NoWire, Major, &["field-type-changed"]),
    with("derive-added", NoWire, Minor, &["field-type-changed"]),
    // `Line` was reached only through `Order.lines`: with `shop-orders` alone it is gone.
    with("type-left-group", NoWire, Major, &["field-type-changed"]),
    // `CancelReason` moves with `cancel` from `shop-orders` to `shop-admin`.
    with("type-left-group.moved", NoWire, Major, &["operation-renamed", "type-joined-group"]),
    with("type-joined-group", NoWire, Minor, &["operation-added"]),
    case("field-added-required", Breaking, Major),
    case("field-added-required.response", NoWire, Major),
    // Required but nullable: an `Option` that `new` leaves `None`.
    case("field-added-required.nullable", Breaking, Minor),
    case("field-added-optional", NoWire, Minor),
    with("field-removed", Breaking, Major, &["derive-added"]),
    case("field-removed.optional", Potential, Major),
    case("field-removed.request", Potential, Major),
    case("field-type-changed", Breaking, Major),
    case("field-became-required", Breaking, Major),
    case("field-became-required.response", NoWire, Major),
    // Optional and nullable is a `Nullable`; required and nullable, an `Option`.
    case("field-became-required.nullable", Breaking, Major),
    case("field-became-optional", Breaking, Major),
    with("field-became-optional.request", NoWire, Major, &["derive-added"]),
    case("field-became-optional.nullable", NoWire, Major),
    case("field-nullability-changed", Breaking, Major),
    with("field-nullability-changed.request", NoWire, Major, &["derive-added"]),
    // `Option<String>` becomes `Nullable<String>`, and back: old clients may send a null.
    case("field-tristate-changed", NoWire, Major),
    case("field-tristate-changed.request", Potential, Major),
    case("field-wire-name-changed", Breaking, Patch),
    case("field-rust-name-changed", NoWire, Major),
    case("field-deprecated", NoWire, Minor),
    // `Line::new(sku, qty)` becomes `Line::new(qty, sku)`.
    case("field-order-changed", NoWire, Major),
    // Optional elements of a SOAP answer swap places: the XML sequence changes, `new` does not.
    case("field-order-changed.soap", Breaking, Patch),
    case("enum-member-added", Breaking, Minor),
    case("enum-member-added.open", NoWire, Minor),
    case("enum-member-added.request", NoWire, Minor),
    case("enum-member-removed", Breaking, Major),
    case("enum-member-removed.response", NoWire, Major),
    case("enum-member-renamed", NoWire, Major),
    case("enum-member-value-changed", Breaking, Patch),
    case("enum-member-deprecated", NoWire, Minor),
    case("enum-openness-changed", Potential, Major),
    // `as_str()` no longer returns `&'static str`.
    case("enum-openness-changed.opened", Potential, Major),
    case("enum-openness-changed.opened-integer", NoWire, Minor),
    case("enum-repr-changed", Breaking, Major),
    case("union-variant-added", Breaking, Minor),
    case("union-variant-added.open", NoWire, Minor),
    case("union-variant-added.request", NoWire, Minor),
    case("union-variant-removed", Breaking, Major),
    case("union-variant-removed.response", NoWire, Major),
    case("union-variant-renamed", NoWire, Major),
    case("union-variant-type-changed", Breaking, Major),
    case("union-variant-order-changed", Potential, Patch),
    case("union-tag-changed", Breaking, Patch),
    case("union-discriminator-changed", Breaking, Patch),
    case("union-openness-changed", Potential, Major),
    case("union-openness-changed.opened", NoWire, Minor),
    case("docs-changed", NoWire, Patch),
];

fn fixtures() -> PathBuf {
    common::test_data("diff_fixtures")
}

fn rule_of(dir: &str) -> &'static rules::Rule {
    let id = dir.split('.').next().unwrap_or(dir);
    rules::ALL.iter().copied().find(|rule| rule.id == id).unwrap_or_else(|| panic!("no rule `{id}` (fixture `{dir}`)"))
}

fn load(dir: &Path) -> codegen::model::Model {
    common::lower_dir(dir, &dir.display().to_string())
}

fn report(dir: &str) -> codegen::diff::Report {
    let root = fixtures().join(dir);
    codegen::diff::diff(&load(&root.join("old")), &load(&root.join("new")))
}

#[test]
fn every_fixture_pair_reports_its_rule_with_both_classifications() {
    let mut failures = Vec::new();
    for case in CASES {
        let rule = rule_of(case.dir);
        let report = report(case.dir);
        let found: Vec<_> = report.changes.iter().filter(|change| change.rule == rule).collect();
        let reported: BTreeSet<&str> = report.changes.iter().map(|change| change.rule.id).collect();
        let expected: BTreeSet<&str> = case.also.iter().copied().chain([rule.id]).collect();
        match found.as_slice() {
            [change] if (change.wire, change.rust) == (case.wire, case.rust) && reported == expected => {}
            _ => failures.push(format!(
                "{}: expected `{}` once (wire {:?}, rust {:?}) and the rules {expected:?}, got {reported:?}:\n{}",
                case.dir,
                rule.id,
                case.wire,
                case.rust,
                codegen::diff::report::text(&report)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_fixture_pair_and_every_fixture_a_case() {
    let cases: BTreeSet<&str> = CASES.iter().map(|case| case.dir).collect();
    let missing: Vec<&str> = rules::ALL.iter().map(|rule| rule.id).filter(|id| !cases.contains(id)).collect();
    assert!(missing.is_empty(), "rules without a fixture pair: {missing:?}");
    let dirs: BTreeSet<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "visma_change")
        .collect();
    let unlisted: Vec<&String> = dirs.iter().filter(|dir| !cases.contains(dir.as_str())).collect();
    assert!(unlisted.is_empty(), "fixture folders without a case in CASES: {unlisted:?}");
    assert!(rules::ALL.len() >= 30);
    let ids: BTreeSet<&str> = rules::ALL.iter().map(|rule| rule.id).collect();
    assert_eq!(ids.len(), rules::ALL.len(), "rule ids are unique");
}

#[test]
fn fixed_verdicts_of_the_table_are_what_the_fixtures_show() {
    for case in CASES {
        let rule = rule_of(case.dir);
        if let Verdict::Always(wire) = rule.wire {
            assert_eq!(wire, case.wire, "{}: the table says wire {wire:?}", case.dir);
        }
        if let Verdict::Always(rust) = rule.rust {
            assert_eq!(rust, case.rust, "{}: the table says rust {rust:?}", case.dir);
        }
    }
}

#[test]
fn identical_specs_have_no_changes() {
    let dir = fixtures().join("docs-changed/old");
    let report = codegen::diff::diff(&load(&dir), &load(&dir));
    assert!(report.changes.is_empty(), "{report:#?}");
    assert!(report.bump().is_none() && report.version_sufficient());
    let markdown = codegen::diff::report::markdown(&report);
    assert!(markdown.starts_with("✅ **no API changes**"), "{markdown}");
    assert!(codegen::diff::report::text(&report).starts_with("no API changes\n"));
    let json: serde_json::Value = serde_json::from_str(&codegen::diff::report::json(&report)).unwrap();
    assert_eq!(json["verdict"], "no-changes");
}

#[test]
fn the_rules_document_shows_the_rule_table() {
    let doc =
        std::fs::read_to_string(common::workspace().join("docs/diff-rules.md")).expect("docs/diff-rules.md exists");
    assert!(
        doc.contains(&codegen::diff::report::rules_table()),
        "docs/diff-rules.md is out of date: replace its rule table with the output of `cargo xtask diff-rules`"
    );
}

#[test]
fn reversed_pairs_are_reported_too() {
    // The reverse of every change is a change (removals for additions, and so on); in debug
    // builds a verdict the table and the diff disagree about would panic here.
    for case in CASES {
        let root = fixtures().join(case.dir);
        let report = codegen::diff::diff(&load(&root.join("new")), &load(&root.join("old")));
        assert!(!report.changes.is_empty(), "{}: nothing reported in reverse", case.dir);
    }
}

#[test]
fn every_real_spec_and_fixture_is_identical_to_itself() {
    let root = common::workspace();
    for dir in ["spec", "codegen/tests/fixtures"] {
        let model = load(&root.join(dir));
        let report = codegen::diff::diff(&model, &model);
        assert!(report.changes.is_empty(), "{dir}: {}", codegen::diff::report::text(&report));
    }
}
