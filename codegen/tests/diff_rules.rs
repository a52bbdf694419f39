//! One fixture pair per diff rule: a small spec and the same spec with one change. Each case
//! asserts the rule id and both classifications; a final check makes sure every rule of the
//! table has a case, and that `docs/diff-rules.md` shows the table as it is.

use codegen::diff::rules::{self, Bump, Wire};

mod diff_cases;

use diff_cases::{edit, model, BASE, OTHER_SERVICE};

struct Case {
    rule: &'static rules::Rule,
    old: Vec<(&'static str, String)>,
    new: Vec<(&'static str, String)>,
    wire: Wire,
    rust: Bump,
}

fn case(rule: &'static rules::Rule, edits: &[(&str, &str)], wire: Wire, rust: Bump) -> Case {
    Case { rule, old: vec![("shop.yaml", BASE.to_owned())], new: vec![("shop.yaml", edit(edits))], wire, rust }
}

fn cases() -> Vec<Case> {
    use Bump::*;
    use Wire::{Breaking, None as NoWire, PotentiallyBreaking};
    vec![
        Case {
            rule: rules::SERVICE_ADDED,
            old: vec![("shop.yaml", BASE.to_owned())],
            new: vec![("shop.yaml", BASE.to_owned()), ("other.yaml", OTHER_SERVICE.to_owned())],
            wire: NoWire,
            rust: Minor,
        },
        Case {
            rule: rules::SERVICE_REMOVED,
            old: vec![("shop.yaml", BASE.to_owned()), ("other.yaml", OTHER_SERVICE.to_owned())],
            new: vec![("shop.yaml", BASE.to_owned())],
            wire: Breaking,
            rust: Major,
        },
        case(rules::BASE_URL_CHANGED, &[("https://shop.example.com", "https://eu.shop.example.com")], PotentiallyBreaking, Patch),
        case(rules::AUTH_CHANGED, &[("kind: bearer", "kind: oauth2_bearer")], Breaking, Patch),
        case(rules::OPERATION_ADDED, &[("types:\n", "  - { id: orders_count, group: orders, method: GET, path: /orders/count, responses: [ { status: 200, type: int64 } ] }\ntypes:\n")], NoWire, Minor),
        case(rules::OPERATION_REMOVED, &[("  - id: orders_create\n    group: orders\n    method: POST\n    path: /orders\n    body: { type: OrderInput }\n    responses:\n      - { status: 201 }\n      - { status: 202, type: Job }\n", "")], Breaking, Major),
        case(rules::OPERATION_RENAMED, &[("id: orders_create", "id: orders_place\n    renamed_from: orders_create")], NoWire, Major),
        case(rules::OPERATION_METHOD_CHANGED, &[("method: POST", "method: PUT")], Breaking, Patch),
        case(rules::OPERATION_PATH_CHANGED, &[("path: /orders\n    summary", "path: /v2/orders\n    summary")], Breaking, Patch),
        case(rules::OPERATION_DEPRECATED, &[("summary: List orders.", "summary: List orders.\n    deprecated: true")], NoWire, Minor),
        case(rules::PARAM_ADDED_REQUIRED, &[("    responses:\n      - { status: 200", "      - { name: X-Tenant, in: header, type: string, required: true }\n    responses:\n      - { status: 200")], Breaking, Major),
        case(rules::PARAM_ADDED_OPTIONAL, &[("    responses:\n      - { status: 200", "      - { name: sort, in: query, type: string }\n    responses:\n      - { status: 200")], NoWire, Minor),
        case(rules::PARAM_REMOVED, &[("      - { name: pageSize, in: query, type: int32 }\n", "")], PotentiallyBreaking, Major),
        case(rules::PARAM_BECAME_REQUIRED, &[("{ name: pageSize, in: query, type: int32 }", "{ name: pageSize, in: query, type: int32, required: true }")], Breaking, Major),
        case(rules::PARAM_BECAME_OPTIONAL, &[("{ name: status, in: query, type: string, required: true }", "{ name: status, in: query, type: string }")], NoWire, Major),
        case(rules::PARAM_TYPE_CHANGED, &[("{ name: pageSize, in: query, type: int32 }", "{ name: pageSize, in: query, type: int64 }")], Breaking, Major),
        case(rules::PARAM_LOCATION_CHANGED, &[("{ name: pageSize, in: query, type: int32 }", "{ name: pageSize, in: header, type: int32 }")], Breaking, Patch),
        case(rules::PARAM_WIRE_NAME_CHANGED, &[("{ name: pageSize, in: query, type: int32 }", "{ name: page_size, in: query, type: int32 }")], Breaking, Patch),
        case(rules::PARAM_DEPRECATED, &[("{ name: pageSize, in: query, type: int32 }", "{ name: pageSize, in: query, type: int32, deprecated: true }")], NoWire, Minor),
        case(rules::BODY_ADDED, &[("    summary: List orders.\n", "    summary: List orders.\n    body: { type: Problem }\n"), ("method: GET\n    path: /orders\n", "method: POST\n    path: /orders\n")], Breaking, Major),
        case(rules::BODY_REMOVED, &[("    body: { type: OrderInput }\n", "")], Breaking, Major),
        case(rules::BODY_TYPE_CHANGED, &[("body: { type: OrderInput }", "body: { type: Order }")], Breaking, Major),
        case(rules::BODY_REQUIREDNESS_CHANGED, &[("body: { type: OrderInput }", "body: { type: OrderInput, required: false }")], NoWire, Major),
        case(rules::RESPONSE_STATUS_ADDED, &[("      - { status: 202, type: Job }\n", "      - { status: 202, type: Job }\n      - { status: 204 }\n")], PotentiallyBreaking, Minor),
        case(rules::RESPONSE_STATUS_REMOVED, &[("      - { status: 202, type: Job }\n", "")], Breaking, Major),
        case(rules::RESPONSE_TYPE_CHANGED, &[("{ status: 202, type: Job }", "{ status: 202, type: Problem }")], Breaking, Major),
        case(rules::RESPONSE_HEADER_ADDED, &[("headers: [ETag]", "headers: [ETag, Location]")], NoWire, Patch),
        case(rules::RESPONSE_HEADER_REMOVED, &[("headers: [ETag]", "headers: []")], Breaking, Patch),
        case(rules::ERROR_STATUS_CHANGED, &[("      - { status: 404, type: Problem }\n", "      - { status: 404, type: Problem }\n      - { status: 500 }\n")], NoWire, Patch),
        case(rules::ERROR_TYPE_CHANGED, &[("{ status: 404, type: Problem }", "{ status: 404, type: Job }")], PotentiallyBreaking, Major),
        case(rules::TYPE_ADDED, &[("types:\n", "types:\n  - { kind: object, name: Coupon, fields: [] }\n")], NoWire, Minor),
        case(rules::TYPE_REMOVED, &[("  - kind: alias\n    name: Tags\n    type: \"list<string>\"\n", "")], NoWire, Major),
        case(rules::TYPE_RENAMED, &[("name: Job\n", "name: BackgroundJob\n    renamed_from: Job\n"), ("type: Job }", "type: BackgroundJob }")], NoWire, Major),
        case(rules::TYPE_KIND_CHANGED, &[("  - kind: alias\n    name: Tags\n    type: \"list<string>\"\n", "  - { kind: object, name: Tags, fields: [] }\n")], Breaking, Major),
        case(rules::ALIAS_TARGET_CHANGED, &[("type: \"list<string>\"", "type: \"list<int64>\"")], Breaking, Major),
        case(rules::FIELD_ADDED_REQUIRED, &[("      - { name: amount, type: double, required: true }\n", "      - { name: amount, type: double, required: true }\n      - { name: currency, type: string, required: true }\n")], Breaking, Major),
        case(rules::FIELD_ADDED_OPTIONAL, &[("      - { name: id, type: string }\n", "      - { name: id, type: string }\n      - { name: progress, type: int32 }\n")], NoWire, Major),
        case(rules::FIELD_REMOVED, &[("      - { name: total, type: double, required: true }\n", "")], Breaking, Major),
        case(rules::FIELD_TYPE_CHANGED, &[("{ name: id, type: int64, required: true }", "{ name: id, type: string, required: true }")], Breaking, Major),
        case(rules::FIELD_BECAME_REQUIRED, &[("{ name: note, type: string }\n      - { name: color", "{ name: note, type: string, required: true }\n      - { name: color")], Breaking, Major),
        case(rules::FIELD_BECAME_OPTIONAL, &[("{ name: total, type: double, required: true }", "{ name: total, type: double }")], Breaking, Major),
        case(rules::FIELD_NULLABILITY_CHANGED, &[("{ name: total, type: double, required: true }", "{ name: total, type: double, required: true, nullable: true }")], Breaking, Major),
        case(rules::FIELD_WIRE_NAME_CHANGED, &[("{ name: total, type: double, required: true }", "{ name: grandTotal, type: double, required: true, rust_name: total }")], Breaking, Patch),
        case(rules::FIELD_RUST_NAME_CHANGED, &[("{ name: total, type: double, required: true }", "{ name: total, type: double, required: true, rust_name: grand_total }")], NoWire, Major),
        case(rules::FIELD_DEPRECATED, &[("{ name: note, type: string }\n      - { name: state", "{ name: note, type: string, deprecated: true }\n      - { name: state")], NoWire, Minor),
        case(rules::ENUM_MEMBER_ADDED, &[("      - { name: Done, value: done }\n", "      - { name: Done, value: done }\n      - { name: Lost, value: lost }\n")], Breaking, Minor),
        case(rules::ENUM_MEMBER_REMOVED, &[("      - { name: Red, value: red }\n", "      - { name: Blue, value: blue }\n")], Breaking, Major),
        case(rules::ENUM_MEMBER_VALUE_CHANGED, &[("{ name: Done, value: done }", "{ name: Done, value: DONE }")], Breaking, Patch),
        case(rules::ENUM_OPENNESS_CHANGED, &[("    name: Color\n    repr: string\n    open: true\n", "    name: Color\n    repr: string\n")], NoWire, Major),
        case(rules::ENUM_REPR_CHANGED, &[("    name: Color\n    repr: string\n    open: true\n    members:\n      - { name: Red, value: red }\n", "    name: Color\n    repr: integer\n    open: true\n    members:\n      - { name: Red, value: 1 }\n")], Breaking, Major),
        case(rules::DOCS_CHANGED, &[("description: A background job.", "description: A job that runs in the background.")], NoWire, Patch),
    ]
}

#[test]
fn every_rule_is_reported_with_both_classifications() {
    let cases = cases();
    for case in &cases {
        let report = codegen::diff::diff(&model(&case.old), &model(&case.new));
        let found: Vec<_> = report.changes.iter().filter(|change| change.rule == case.rule).collect();
        assert!(!found.is_empty(), "`{}` not reported; got {:#?}", case.rule.id, report.changes);
        let change = found[0];
        assert_eq!(
            (change.wire, change.rust),
            (case.wire, case.rust),
            "classification of `{}`: {change:#?}",
            case.rule.id
        );
    }
    let covered: Vec<&str> = cases.iter().map(|case| case.rule.id).collect();
    let missing: Vec<&str> = rules::ALL.iter().map(|rule| rule.id).filter(|id| !covered.contains(id)).collect();
    assert!(missing.is_empty(), "rules without a fixture pair: {missing:?}");
    assert!(rules::ALL.len() >= 30);
    eprintln!("{} rules, each with a fixture pair", rules::ALL.len());
}

#[test]
fn identical_specs_have_no_changes() {
    let report =
        codegen::diff::diff(&model(&[("shop.yaml", BASE.to_owned())]), &model(&[("shop.yaml", BASE.to_owned())]));
    assert!(report.changes.is_empty());
    assert!(codegen::diff::report::markdown(&report).contains("no API changes"));
}

#[test]
fn an_unmarked_rename_of_an_identical_type_is_reported_as_a_rename() {
    let new = edit(&[("name: Problem\n", "name: ApiProblem\n"), ("type: Problem }", "type: ApiProblem }")]);
    let report = codegen::diff::diff(&model(&[("shop.yaml", BASE.to_owned())]), &model(&[("shop.yaml", new)]));
    let ids: Vec<&str> = report.changes.iter().map(|change| change.rule.id).collect();
    assert_eq!(ids, vec!["type-renamed"], "{report:#?}");
}

#[test]
fn the_rules_document_shows_the_rule_table() {
    let doc = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/diff-rules.md"))
        .expect("docs/diff-rules.md exists");
    assert!(
        doc.contains(&codegen::diff::report::rules_table()),
        "docs/diff-rules.md is out of date: paste the output of `codegen::diff::report::rules_table()` into it"
    );
}
