//! Formats 2-4 of `cargo xtask import` on real documents: the seed pages reproduce the specs that were
//! written by hand (no change by `codegen::diff`), the committed spec files are the importer's output,
//! and the test WSDLs (several namespaces, imported and included schemas) import as SOAP services.

use std::path::Path;
use std::time::Duration;

use codegen::import::{self, Document, Facts, Imported, Overlay};
use codegen::load::{self, SpecFile, SpecSet};
use codegen::spec::{ServiceSpec, TypeSpec};

use crate::common::{self, workspace as root, TempDir};

fn document(relative: &str) -> Document {
    let path = root().join(relative);
    Document::new(relative, std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn lowered(file: &str, spec: ServiceSpec) -> codegen::model::Model {
    let krate_text = std::fs::read_to_string(root().join("spec/crate.yaml")).unwrap();
    let set = SpecSet {
        krate: SpecFile {
            file: "spec/crate.yaml".to_owned(),
            spec: load::parse("spec/crate.yaml", &krate_text).unwrap(),
        },
        services: vec![SpecFile { file: file.to_owned(), spec }],
    };
    codegen::lower::lower(&set).unwrap_or_else(|diagnostics| panic!("{file} does not lower:\n{diagnostics}"))
}

/// Imports a seed with its service's overlay, as `cargo xtask import` does.
fn import_seed(format: &str, seed: &str, service: &str) -> import::Outcome {
    let overlay = Overlay::parse(&document(&format!("spec/overlays/{service}.yaml"))).unwrap();
    let format = import::format(format).unwrap();
    let command = format!("cargo xtask import {}", format.name());
    let outcome = import::run(format, &[document(seed)], &Facts::none(), service, Some(&overlay), &command).unwrap();
    assert!(outcome.problems.is_empty(), "{}", outcome.problems);
    outcome
}

fn assert_reproduces(format: &str, seed: &str, service: &str) {
    let outcome = import_seed(format, seed, service);
    // The spec as written by hand before the import replaced it.
    let hand_file = format!("codegen/tests/import_fixtures/{service}.hand.yaml");
    let mut hand: ServiceSpec =
        load::parse(&hand_file, &std::fs::read_to_string(root().join(&hand_file)).unwrap()).unwrap();
    // As `cargo xtask diff` does: where an item was read is no API change.
    let mut imported = outcome.spec.clone();
    hand.strip_provenance();
    imported.strip_provenance();
    let report = codegen::diff::diff(&lowered(&hand_file, hand), &lowered("imported", imported));
    let changes: Vec<String> =
        report.changes.iter().map(|c| format!("{} {} {:?} → {:?}", c.rule.id, c.subject, c.old, c.new)).collect();
    assert!(changes.is_empty(), "the import of {seed} differs from the hand-written spec:\n{}", changes.join("\n"));
    // The committed spec file is exactly the importer's output.
    let committed = std::fs::read_to_string(root().join(format!("spec/{service}.yaml"))).unwrap();
    assert!(
        committed == outcome.yaml,
        "spec/{service}.yaml is stale: run the import in spec/sources/{service}/README.md"
    );
}

#[test]
fn seed_003_reproduces_the_hand_written_account_tasks_spec() {
    assert_reproduces("aspnet-help-page", "spec/sources/account_tasks/003_3a9666a00f76448a.txt", "account_tasks");
}

#[test]
fn seed_004_with_the_capture_notes_overlay_reproduces_the_hand_written_projector_spec() {
    assert_reproduces("confluence-projector", "spec/sources/projector/004_a406cfca6598ac55.txt", "projector");
}

#[test]
fn the_projector_overlay_keeps_the_hand_written_order_and_the_page_origins() {
    // `diff` ignores order, but the generated code follows it: the session operations come
    // first, and the request's elements are in WCF order (the overlay places what it adds).
    let outcome = import_seed("confluence-projector", "spec/sources/projector/004_a406cfca6598ac55.txt", "projector");
    let hand_file = "codegen/tests/import_fixtures/projector.hand.yaml";
    let hand: ServiceSpec = load::parse(hand_file, &std::fs::read_to_string(root().join(hand_file)).unwrap()).unwrap();
    let ids = |spec: &ServiceSpec| spec.operations.iter().map(|op| op.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&outcome.spec), ids(&hand));
    let types = |spec: &ServiceSpec| spec.types.iter().map(|ty| ty.name().to_owned()).collect::<Vec<_>>();
    assert_eq!(types(&outcome.spec), types(&hand));
    let fields =
        |spec: &ServiceSpec, name: &str| object(spec, name).fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
    for ty in &hand.types {
        if let TypeSpec::Object(hand_object) = ty {
            assert_eq!(
                fields(&outcome.spec, &hand_object.name),
                fields(&hand, &hand_object.name),
                "{}",
                hand_object.name
            );
        }
    }
    // Elements the page has are read from it (their `origin` names the line); only the three
    // it leaves out come from the overlay.
    let request = object(&outcome.spec, "PwsSaveProjectTaskRq");
    let without: Vec<&str> = request.fields.iter().filter(|f| f.origin.is_none()).map(|f| f.name.as_str()).collect();
    assert_eq!(without, ["PreviousSiblingTaskClearFlag", "ProjectorLockSetId", "RateTaskTimestamp"]);
}

#[test]
fn seed_imports_report_what_they_inferred_and_skipped() {
    let format = import::format("aspnet-help-page").unwrap();
    let imported = format.import(
        &[document("spec/sources/account_tasks/003_3a9666a00f76448a.txt")],
        &Facts::none(),
        "account_tasks",
    );
    assert_eq!(imported.report.inferred.len(), 12, "{:#?}", imported.report.inferred);
    assert_eq!(imported.report.skipped.len(), 2);
    let format = import::format("confluence-projector").unwrap();
    let imported =
        format.import(&[document("spec/sources/projector/004_a406cfca6598ac55.txt")], &Facts::none(), "projector");
    let keys: Vec<&str> = imported.report.inferred.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys.len(), 17, "{keys:?}");
    assert_eq!(keys.iter().filter(|k| **k == "xml_namespace").count(), 2);
    let soap = imported.spec.soap.as_ref().unwrap();
    assert!(!soap.endpoint_path_confirmed && !soap.action_confirmed, "the page states neither");
    // The overlay states the capture notes' facts; the binding stays unconfirmed, as the notes say.
    let outcome = import_seed("confluence-projector", "spec/sources/projector/004_a406cfca6598ac55.txt", "projector");
    let soap = outcome.spec.soap.as_ref().unwrap();
    assert!(!soap.endpoint_path_confirmed && !soap.action_confirmed);
    assert_eq!(soap.namespaces["sch"], "http://projectorpsa.com/DataContracts/Shared/Scheduling/");
}

#[test]
fn an_unreadable_document_is_reported_and_skipped() {
    let format = import::format("aspnet-help-page").unwrap();
    let docs = [
        Document::new("pages/broken.txt", "Hello\nworld\n"),
        document("spec/sources/account_tasks/003_3a9666a00f76448a.txt"),
    ];
    let imported = format.import(&docs, &Facts::none(), "account_tasks");
    assert_eq!(imported.spec.operations.len(), 1, "the readable page is still imported");
    let text = imported.problems.to_string();
    assert!(text.contains("--> pages/broken.txt:1:1") && text.contains("METHOD path"), "{text}");
    let format = import::format("confluence-projector").unwrap();
    let imported = format.import(
        &[Document::new("p.html", "<html><body><p>nothing</p></body></html>")],
        &Facts::none(),
        "projector",
    );
    assert!(imported.spec.operations.is_empty());
    assert!(imported.problems.to_string().contains("p.html:1:1"), "{}", imported.problems);
}

#[test]
fn the_served_html_help_page_imports_like_its_text() {
    let html = r#"<!DOCTYPE html>
<html><head><title>POST api/v2/x</title><script>var t = "<h1>";</script></head>
<body>
<h1>POST api/v2/admin/notes?id={id}</h1>
<div><p>Adds a note. The note is stored.</p></div>
<h2>Request Information</h2>
<h3>URI Parameters</h3>
<table class="help-page-table"><thead><tr><th>Name</th><th>Description</th><th>Type</th><th>Additional information</th></tr></thead>
<tbody><tr><td class="parameter-name">id</td><td><p>The owner.</p></td><td>globally unique identifier</td><td><p>Required</p></td></tr></tbody></table>
<h3>Body Parameters</h3>
<p>The note.</p>
<a href="/Help/ResourceModel?modelName=NoteRequest">NoteRequest</a>
<table class="help-page-table"><thead><tr><th>Name</th><th>Description</th><th>Type</th><th>Additional information</th></tr></thead>
<tbody>
<tr><td>Text</td><td><p>The text &amp; more.</p></td><td>string</td><td><p>Required</p><p>Max length: 18</p></td></tr>
<tr><td>Tags</td><td></td><td>Collection of string</td><td><p>None.</p></td></tr>
</tbody></table>
<h2>Response Information</h2>
<h3>Resource Description</h3>
<p>None.</p>
</body></html>"#;
    let format = import::format("aspnet-help-page").unwrap();
    let imported = format.import(&[Document::new("notes.html", html)], &Facts::none(), "notes");
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    let op = &imported.spec.operations[0];
    assert_eq!(op.path.as_deref(), Some("/api/v2/admin/notes"));
    assert_eq!(op.params[0].ty, "uuid");
    assert_eq!(op.responses[0].status, 204);
    let TypeSpec::Object(note) = &imported.spec.types[0] else { panic!() };
    assert_eq!(note.fields[0].description.as_deref(), Some("The text & more."));
    assert_eq!(note.fields[0].max_length, Some(18));
    assert!(note.fields[0].required);
    assert_eq!(note.fields[1].ty, "list<string>");
    assert_eq!(op.origin.as_deref(), Some("notes.html:4"));
}

fn wsdl(relative: &str) -> Imported {
    let path = format!("codegen/tests/import_fixtures/wsdl/{relative}");
    let doc =
        Document::new(root().join(&path).display().to_string(), std::fs::read_to_string(root().join(&path)).unwrap());
    import::format("wsdl").unwrap().import(&[doc], &Facts::none(), "scheduling")
}

fn object<'a>(spec: &'a ServiceSpec, name: &str) -> &'a codegen::spec::ObjectSpec {
    match spec.types.iter().find(|t| t.name() == name) {
        Some(TypeSpec::Object(object)) => object,
        _ => panic!("no object {name}"),
    }
}

#[test]
fn a_wcf_wsdl_with_imported_schemas_in_five_namespaces() {
    let imported = wsdl("wcf-scheduling/SchedulingService.wsdl");
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    let spec = &imported.spec;
    assert_eq!(spec.base_url, "https://api.example.com");
    let soap = spec.soap.as_ref().unwrap();
    assert_eq!(soap.endpoint_path, "/Scheduling/SchedulingService.svc");
    assert_eq!(soap.action, "http://example.com/Scheduling/Services/ISchedulingService/{operation}");
    assert!(soap.endpoint_path_confirmed && soap.action_confirmed);
    assert_eq!(soap.operation_namespace, "svc");
    assert_eq!(soap.namespaces.keys().collect::<Vec<_>>(), ["arr", "com", "req", "res", "svc"]);
    let ops: Vec<(&str, &str, &str)> = spec
        .operations
        .iter()
        .map(|op| {
            let binding = op.soap.as_ref().unwrap();
            (op.id.as_str(), binding.request.as_str(), binding.response.as_str())
        })
        .collect();
    assert_eq!(
        ops,
        [
            ("i_scheduling_service_save_task", "SaveTaskRq", "SaveTaskRs"),
            ("i_scheduling_service_get_task", "GetTaskRq", "GetTaskRs")
        ]
    );
    assert!(imported.report.skipped.iter().any(|s| s.construct == "operation `Ping`"), "two-part message skipped");
    // Base type members first (WCF order), then the type's own sequence; base members keep their namespace.
    let rs = object(spec, "SaveTaskRs");
    let fields: Vec<(&str, Option<&str>)> =
        rs.fields.iter().map(|f| (f.name.as_str(), f.xml_namespace.as_deref())).collect();
    assert_eq!(fields, [("Messages", Some("com")), ("Status", Some("com")), ("TaskIdentity", None)]);
    assert_eq!(rs.xml_namespace.as_deref(), Some("res"));
    let detail = object(spec, "TaskDetail");
    let task_name = &detail.fields[1];
    assert_eq!(
        (task_name.ty.as_str(), task_name.max_length, task_name.nillable, task_name.required),
        ("string", Some(512), true, false)
    );
    assert_eq!(detail.fields[5].ty, "list<TaskRef>", "ArrayOfTaskRef is a wrapped list");
    assert_eq!(detail.fields[5].description.as_deref(), Some("Tasks that must finish first."));
    assert_eq!(object(spec, "TaskRef").fields[0].max_length, Some(50));
    let rq = object(spec, "SaveTaskRq");
    assert!(rq.fields.iter().find(|f| f.name == "Task").unwrap().required, "no minOccurs: required");
    assert_eq!(
        rq.fields.iter().find(|f| f.name == "StealLockFlag").unwrap().default,
        Some(serde_yaml::Value::Bool(false))
    );
    assert!(!spec.types.iter().any(|t| t.name().starts_with("ArrayOf")));
    let Some(TypeSpec::Enum(priority)) = spec.types.iter().find(|t| t.name() == "TaskPriority") else { panic!() };
    assert!(!priority.open, "an XSD enumeration is the complete list");
    assert_eq!(priority.members[1].description.as_deref(), Some("The default."));
    // Items read from an included schema say so.
    assert_eq!(priority.origin.as_deref(), Some("Common-enums.xsd:6"));
    // The imported spec is valid and generates.
    let mut spec = spec.clone();
    spec.title = "Scheduling".to_owned();
    let model = lowered("scheduling.yaml", spec);
    codegen::emit::generate(&model);
}

#[test]
fn a_public_wsdl_without_binding_imports_its_types_and_reports_the_rest() {
    let imported = wsdl("soa-model-nested/Test.wsdl");
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    let names: Vec<&str> = imported.spec.types.iter().map(TypeSpec::name).collect();
    assert_eq!(names, ["Branch", "City"]);
    let branch = object(&imported.spec, "Branch");
    assert_eq!(
        branch.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        ["name", "city", "address", "newField"]
    );
    assert!(branch.fields[0].inferred.contains(&"xml_namespace".to_owned()), "unqualified elements are flagged");
    assert!(imported.spec.operations.is_empty());
    let reasons: Vec<&str> = imported.report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert!(reasons.iter().any(|r| r.contains("branchResponse")), "{reasons:?}");
}

struct Memory(Vec<(String, String)>);

impl import::wsdl::SchemaReader for Memory {
    fn read(&self, path: &Path) -> Result<String, String> {
        let path = path.display().to_string();
        self.0
            .iter()
            .find(|(name, _)| *name == path)
            .map(|(_, text)| text.clone())
            .ok_or_else(|| "not found".to_owned())
    }
}

/// A schema that includes `next`.
fn chain_schema(next: &str) -> String {
    format!(
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:include schemaLocation="{next}"/>
</xs:schema>"#
    )
}

#[test]
fn schema_imports_are_bounded_and_stay_inside_the_input_folders() {
    // An endless chain of includes stops at the limit with an error, and does not hang.
    struct Endless;
    impl import::wsdl::SchemaReader for Endless {
        fn read(&self, path: &Path) -> Result<String, String> {
            let n: usize = path.file_stem().unwrap().to_string_lossy().trim_start_matches('s').parse().unwrap();
            Ok(chain_schema(&format!("s{}.xsd", n + 1)))
        }
    }
    let docs = [Document::new("in/s0.xsd", chain_schema("s1.xsd"))];
    let imported = import::wsdl::import(&docs, "svc", &Endless);
    let text = imported.problems.to_string();
    assert!(text.contains(&format!("more than {} schema files", import::wsdl::MAX_SCHEMAS)), "{text}");

    // A schema outside the input folders is never read.
    let docs = [Document::new("in/a.xsd", chain_schema("../../etc/b.xsd"))];
    let reader = Memory(vec![("../etc/b.xsd".to_owned(), chain_schema("a.xsd"))]);
    let imported = import::wsdl::import(&docs, "svc", &reader);
    let text = imported.problems.to_string();
    assert!(text.contains("in/a.xsd:2:1") && text.contains("outside the input folders"), "{text}");

    // An include found among the inputs is not read again; a missing one names its line.
    let docs = [Document::new("in/a.xsd", chain_schema("b.xsd")), Document::new("in/b.xsd", chain_schema("a.xsd"))];
    assert!(import::wsdl::import(&docs, "svc", &Memory(Vec::new())).problems.is_empty());
    let docs = [Document::new("in/a.xsd", chain_schema("missing.xsd"))];
    let text = import::wsdl::import(&docs, "svc", &Memory(Vec::new())).problems.to_string();
    assert!(text.contains("in/a.xsd:2:1") && text.contains("cannot read the schema `missing.xsd`"), "{text}");
}

#[test]
fn malformed_xml_is_an_error_with_its_position_and_dtds_are_refused() {
    let docs = [
        Document::new("bad.wsdl", "<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">\n  <oops>\n</wsdl:definitions>"),
        Document::new("dtd.xsd", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>\n<x>&b;</x>"),
    ];
    let imported = import::format("wsdl").unwrap().import(&docs, &Facts::none(), "svc");
    let text = imported.problems.to_string();
    assert!(text.contains("--> bad.wsdl:3:"), "{text}");
    assert!(text.contains("--> dtd.xsd:"), "{text}");
    assert!(imported.report.documents.is_empty());
}

/// Whether a JSON sample fits spec type `ty` (every member a field of the right kind).
fn conforms(value: &serde_json::Value, ty: &str, types: &[TypeSpec], path: &str) -> Result<(), String> {
    use serde_json::Value;
    let fail = || Err(format!("{path}: {value} is not a `{ty}`"));
    if let Some(item) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        let Value::Array(items) = value else { return fail() };
        return items.iter().enumerate().try_for_each(|(i, v)| conforms(v, item, types, &format!("{path}[{i}]")));
    }
    let ok = match (ty, value) {
        ("string" | "secret" | "etag", Value::String(_)) => true,
        ("uuid", Value::String(text)) => text.len() == 36 && text.matches('-').count() == 4,
        ("datetime" | "date", Value::String(text)) => text.len() >= 10 && text.as_bytes()[4] == b'-',
        ("bool", Value::Bool(_)) => true,
        ("int32" | "int64", Value::Number(n)) => n.is_i64(),
        ("decimal" | "double" | "float", Value::Number(_)) | ("json", _) => true,
        _ => match (types.iter().find(|t| t.name() == ty), value) {
            (Some(TypeSpec::Object(object)), Value::Object(members)) => {
                for (key, member) in members {
                    let field = object
                        .fields
                        .iter()
                        .find(|f| &f.name == key)
                        .ok_or_else(|| format!("{path}: `{key}` is no field of `{ty}`"))?;
                    conforms(member, &field.ty, types, &format!("{path}.{key}"))?;
                }
                true
            }
            (Some(TypeSpec::Enum(e)), Value::Number(_)) => e.repr == codegen::spec::EnumRepr::Integer,
            (Some(TypeSpec::Enum(e)), Value::String(_)) => e.repr == codegen::spec::EnumRepr::String,
            (Some(TypeSpec::Alias(alias)), _) => return conforms(value, &alias.ty, types, path),
            _ => false,
        },
    };
    if ok {
        Ok(())
    } else {
        fail()
    }
}

#[test]
fn the_kept_samples_fit_the_committed_spec() {
    let doc = document("spec/sources/account_tasks/003_3a9666a00f76448a.txt");
    let draft = import::aspnet_help::parse(&doc.path, &doc.text).unwrap();
    let kept: Vec<(&str, &str)> = draft.samples.iter().map(|s| (s.direction, s.media_type.as_str())).collect();
    assert_eq!(
        kept,
        [
            ("request", "application/json, text/json"),
            ("request", "application/xml, text/xml"),
            ("response", "application/json, text/json")
        ]
    );
    let spec: ServiceSpec = load::parse(
        "spec/account_tasks.yaml",
        &std::fs::read_to_string(root().join("spec/account_tasks.yaml")).unwrap(),
    )
    .unwrap();
    let op = &spec.operations[0];
    for sample in draft.samples.iter().filter(|s| s.media_type.contains("json")) {
        let value: serde_json::Value = serde_json::from_str(&sample.text).unwrap();
        let ty = if sample.direction == "request" {
            op.body.as_ref().unwrap().ty.clone()
        } else {
            op.responses[0].ty.clone().unwrap()
        };
        conforms(&value, &ty, &spec.types, sample.direction).unwrap();
    }
    // The check has teeth: a sample member the spec does not have is caught.
    let wrong = serde_json::json!({ "TaskID": "282325b9-d725-4afd-b11e-3d3b60172acd", "Extra": 1 });
    assert!(conforms(&wrong, "AccountTaskRequest", &spec.types, "request").unwrap_err().contains("`Extra`"));
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_input_folder_is_not_followed() {
    let temp = TempDir::new("import-wsdl-link");
    let base = temp.path();
    std::fs::create_dir_all(base.join("in")).unwrap();
    std::fs::create_dir_all(base.join("outside")).unwrap();
    std::fs::write(base.join("outside/secret.xsd"), chain_schema("x.xsd")).unwrap();
    std::os::unix::fs::symlink(base.join("outside/secret.xsd"), base.join("in/linked.xsd")).unwrap();
    let input = base.join("in/a.xsd");
    std::fs::write(&input, chain_schema("linked.xsd")).unwrap();
    let doc = Document::new(input.display().to_string(), std::fs::read_to_string(&input).unwrap());
    let imported = import::format("wsdl").unwrap().import(&[doc], &Facts::none(), "svc");
    let text = imported.problems.to_string();
    assert!(text.contains("`linked.xsd` is outside the input folders"), "{text}");
}

#[test]
fn a_served_confluence_page_with_a_request_sample_states_its_namespaces() {
    let html = r#"<html><head><title>PwsGetThing - Docs</title></head><body>
<h1 id="title-text">PwsGetThing</h1>
<h2>Overview</h2>
<p>This web service returns a thing. It is read only.</p>
<h2>Request Elements</h2>
<table><tbody>
<tr><th>Element</th><th>Data Type</th><th>Required?</th><th>Default</th><th>Description</th><th>Sample Data</th></tr>
<tr><td>SessionTicket</td><td>String</td><td>Yes</td><td></td><td><p>Click here for more information.</p></td><td></td></tr>
<tr><td>ThingCode</td><td>String (24)</td><td>Yes</td><td></td><td><p>The code of the thing.</p></td><td>T-1</td></tr>
</tbody></table>
<h2>Request Usage Example(s)</h2>
<pre>&lt;soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pws="urn:pws" xmlns:req="urn:req" xmlns:sch="urn:sch"&gt;
&lt;soapenv:Body&gt;&lt;pws:PwsGetThing&gt;&lt;pws:serviceRequest&gt;
&lt;req:SessionTicket&gt;x&lt;/req:SessionTicket&gt;&lt;sch:ThingCode&gt;T-1&lt;/sch:ThingCode&gt;
&lt;/pws:serviceRequest&gt;&lt;/pws:PwsGetThing&gt;&lt;/soapenv:Body&gt;&lt;/soapenv:Envelope&gt;</pre>
<h2>Response Elements</h2>
<table><tbody>
<tr><th>Element</th><th>Data Type</th><th>Description</th><th>Sample Data</th></tr>
<tr><td>Status</td><td>RequestStatus</td><td></td><td>Ok</td></tr>
</tbody></table>
</body></html>"#;
    let imported = import::format("confluence-projector").unwrap().import(
        &[Document::new("thing.html", html)],
        &Facts::none(),
        "svc",
    );
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    let spec = &imported.spec;
    assert_eq!(spec.operations[0].soap.as_ref().unwrap().operation, "PwsGetThing");
    assert_eq!(spec.operations[0].summary.as_deref(), Some("This web service returns a thing."));
    let soap = spec.soap.as_ref().unwrap();
    assert_eq!((soap.operation_namespace.as_str(), soap.namespaces["sch"].as_str()), ("pws", "urn:sch"));
    let request = object(spec, "PwsGetThingRq");
    type Summary<'a> = (&'a str, &'a str, Option<&'a str>, Option<u32>, bool);
    let fields: Vec<Summary> = request
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.ty.as_str(), f.xml_namespace.as_deref(), f.max_length, f.required))
        .collect();
    assert_eq!(
        fields,
        [("SessionTicket", "secret", Some("req"), None, true), ("ThingCode", "string", Some("sch"), Some(24), true)]
    );
    assert_eq!(request.xml_namespace.as_deref(), Some("sch"));
    assert!(!request.inferred.contains(&"xml_namespace".to_owned()), "the sample states it");
    assert_eq!(request.fields[1].description.as_deref(), Some("The code of the thing."));
    assert_eq!(request.fields[1].default, None, "`T-1` is in the Sample Data column");
}

#[test]
fn array_types_that_contain_themselves_are_skipped_not_followed_forever() {
    // Found by `mutated_seeds_never_panic`: two swapped type names made `TaskRef` an array of
    // `TaskRef`, and resolving its item type overflowed the stack. Here directly, and through a pair.
    let schema = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:complexType name="Holder">
    <xs:sequence>
      <xs:element minOccurs="0" name="Own" type="t:Loop"/>
      <xs:element minOccurs="0" name="Pair" type="t:ArrayOfA"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Loop">
    <xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="Loop" type="t:Loop"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="ArrayOfA">
    <xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="A" type="t:ArrayOfB"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="ArrayOfB">
    <xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="B" type="t:ArrayOfA"/></xs:sequence>
  </xs:complexType>
</xs:schema>"#;
    let imported = import::wsdl::import(&[Document::new("in/loop.xsd", schema)], "svc", &Memory(Vec::new()));
    let holder = object(&imported.spec, "Holder");
    let types: Vec<&str> = holder.fields.iter().map(|field| field.ty.as_str()).collect();
    assert_eq!(types, ["list<json>", "list<list<json>>"]);
    let skipped: Vec<&str> = imported.report.skipped.iter().map(|skip| skip.construct.as_str()).collect();
    assert!(skipped.contains(&"`Loop`") && skipped.contains(&"`ArrayOfA`"), "{skipped:?}");
}

#[cfg(unix)]
#[test]
fn an_imported_schema_that_is_a_fifo_is_refused_not_waited_for() {
    let temp = TempDir::new("import-wsdl-fifo");
    let base = temp.path();
    std::fs::create_dir_all(base.join("in")).unwrap();
    let status = std::process::Command::new("mkfifo").arg(base.join("in/pipe.xsd")).status().expect("mkfifo runs");
    assert!(status.success());
    let input = base.join("in/a.xsd");
    std::fs::write(&input, chain_schema("pipe.xsd")).unwrap();
    let doc = Document::new(input.display().to_string(), std::fs::read_to_string(&input).unwrap());
    // A read that blocks fails the test instead of hanging it.
    let text = common::within(Duration::from_secs(10), move || {
        import::format("wsdl").unwrap().import(&[doc], &Facts::none(), "svc").problems.to_string()
    });
    assert!(
        text.contains("cannot read the schema `pipe.xsd`") && text.contains("a FIFO (named pipe), not a regular file"),
        "{text}"
    );
    assert!(text.contains("in/a.xsd:2:1"), "{text}");
}
