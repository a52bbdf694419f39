//! The OpenAPI/Swagger importer: fixtures to exact specs, references, reports, hostile input, and the corpus.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::import::openapi::{self, RefReader};
use codegen::import::{self, Document, Facts, Format, Imported};
use codegen::load::{self, SpecFile, SpecSet};
use codegen::spec::{CrateSpec, ServiceSpec};

use crate::common::{self, TempDir};

fn fixtures() -> PathBuf {
    common::test_data("import_fixtures/openapi")
}

/// Reads nothing: every referenced file must be an input.
struct NoDisk;

impl RefReader for NoDisk {
    fn read(&self, path: &Path) -> Result<String, String> {
        Err(format!("{} is not an input", path.display()))
    }
}

fn import_texts(docs: &[(&str, &str)]) -> Imported {
    let docs: Vec<Document> = docs.iter().map(|(path, text)| Document::new(*path, *text)).collect();
    openapi::import(&docs, "pets", &NoDisk)
}

/// The rendered YAML of an import, loaded back and lowered like a spec file.
fn render_and_lower(spec: &ServiceSpec) -> String {
    try_render_and_lower(spec).unwrap_or_else(|error| panic!("{error}"))
}

fn try_render_and_lower(spec: &ServiceSpec) -> Result<String, String> {
    let header = import::render_yaml::header("cargo xtask import openapi", None);
    let yaml = import::render_yaml::render(spec, &header);
    let file = format!("{}.yaml", spec.service);
    let loaded: ServiceSpec = load::parse(&file, &yaml).unwrap_or_else(|error| panic!("{error}\n{yaml}"));
    assert_eq!(&loaded, spec, "the rendered spec reads back as itself");
    let set = SpecSet {
        krate: SpecFile {
            file: "crate.yaml".to_owned(),
            spec: CrateSpec {
                name: "import-test".to_owned(),
                version: "0.1.0".to_owned(),
                description: "test".to_owned(),
                license: None,
            },
        },
        services: vec![SpecFile { file, spec: loaded }],
    };
    match codegen::lower::lower(&set) {
        Ok(_) => Ok(yaml),
        Err(diagnostics) => Err(format!("the import does not lower:\n{diagnostics}\n{yaml}")),
    }
}

/// Skipped constructs by kind.
fn kinds(imported: &Imported) -> BTreeMap<String, usize> {
    let mut kinds = BTreeMap::new();
    for skipped in &imported.report.skipped {
        *kinds.entry(skipped.construct.clone()).or_default() += 1;
    }
    kinds
}

/// Imports every document of `OPENAPI_CORPUS` (a folder), prints a table, and writes each
/// generated crate below `OPENAPI_CORPUS_OUT` (for `cargo check`). Run by hand:
/// `OPENAPI_CORPUS=/path/sample_openapi cargo test -p codegen --test it import_openapi::corpus -- --ignored --nocapture`.
#[test]
#[ignore = "needs OPENAPI_CORPUS"]
fn corpus() {
    let dir = PathBuf::from(std::env::var("OPENAPI_CORPUS").expect("OPENAPI_CORPUS names a folder"));
    let out = std::env::var("OPENAPI_CORPUS_OUT").ok().map(PathBuf::from);
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    names.sort();
    for path in names {
        let Some(ext) = path.extension().and_then(|ext| ext.to_str()) else { continue };
        if !["json", "yaml", "yml"].contains(&ext) {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().replace(['.', '-'], "_");
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = Document::new(path.display().to_string(), text);
        let started = std::time::Instant::now();
        let imported = openapi::OpenApi.import(std::slice::from_ref(&doc), &Facts::default(), &stem);
        let elapsed = started.elapsed();
        let skipped_ops = imported.report.skipped.iter().filter(|s| s.construct == "operation").count();
        let mapped = imported.spec.operations.len();
        println!(
            "{}: operations {} total / {mapped} mapped / {skipped_ops} skipped; {} types; problems {}; {:.2?}",
            path.file_name().unwrap().to_string_lossy(),
            mapped + skipped_ops,
            imported.spec.types.len(),
            imported.problems.0.len(),
            elapsed
        );
        for problem in &imported.problems.0 {
            print!("  problem: {problem}");
        }
        println!("  unmapped: {:?}", kinds(&imported));
        if std::env::var("OPENAPI_CORPUS_VERBOSE").is_ok() {
            for skipped in &imported.report.skipped {
                println!("    {}  {}: {}", skipped.origin, skipped.construct, skipped.reason);
            }
        }
        let yaml = match try_render_and_lower(&imported.spec) {
            Ok(yaml) => yaml,
            Err(error) => {
                println!("  lowers: no: {}", error.lines().nth(1).unwrap_or(""));
                continue;
            }
        };
        println!("  lowers: yes");
        if let Some(out) = &out {
            let spec_dir = out.join(&stem).join("spec");
            std::fs::create_dir_all(&spec_dir).unwrap();
            std::fs::write(
                spec_dir.join("crate.yaml"),
                format!("name: corpus-{}\nversion: 0.1.0\ndescription: corpus check\n", stem.replace('_', "-")),
            )
            .unwrap();
            std::fs::write(spec_dir.join(format!("{stem}.yaml")), &yaml).unwrap();
            let files = codegen::generate_dir(&spec_dir, "spec").unwrap();
            let crate_dir = out.join(&stem).join("crate");
            for file in files {
                let target = crate_dir.join(&file.path);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(target, &file.contents).unwrap();
            }
        }
    }
}

fn read_fixture(name: &str) -> Document {
    let path = fixtures().join(name);
    Document::new(format!("tests/import_fixtures/openapi/{name}"), std::fs::read_to_string(path).unwrap())
}

/// The reason reported for the construct at `origin`, panicking with the whole report if none.
fn reported<'i>(imported: &'i Imported, origin: &str, construct: &str) -> &'i str {
    imported
        .report
        .skipped
        .iter()
        .find(|skipped| skipped.origin == origin && skipped.construct == construct)
        .map(|skipped| skipped.reason.as_str())
        .unwrap_or_else(|| panic!("no `{construct}` reported at {origin}; the report:\n{:#?}", imported.report.skipped))
}

/// Generates the crate of an imported spec (emit must accept whatever lower accepts).
fn generates(spec: &ServiceSpec, yaml: &str) {
    let temp = TempDir::new(&format!("openapi-import-{}", spec.service));
    let dir = temp.path();
    std::fs::write(dir.join("crate.yaml"), "name: import-test\nversion: 0.1.0\ndescription: test\n").unwrap();
    std::fs::write(dir.join(format!("{}.yaml", spec.service)), yaml).unwrap();
    let files = codegen::generate_dir(dir, "spec").unwrap_or_else(|error| panic!("{error}"));
    assert!(files.iter().any(|file| file.path.ends_with(&format!("{}/mod.rs", spec.service))));
}

fn import_one(name: &str) -> (Imported, String) {
    let imported = openapi::import(&[read_fixture(name)], "pets", &NoDisk);
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    let yaml = render_and_lower(&imported.spec);
    generates(&imported.spec, &yaml);
    (imported, yaml)
}

#[test]
fn swagger2_petstore() {
    let (imported, yaml) = import_one("petstore-swagger2.json");
    common::in_snapshots("", || insta::assert_snapshot!("import_openapi__swagger2_petstore", yaml));
    let spec = &imported.spec;
    assert_eq!(spec.base_url, "https://petstore.swagger.io/v2");
    assert_eq!(spec.groups.iter().map(|group| group.id.as_str()).collect::<Vec<_>>(), ["pet", "store"]);
    let ids: Vec<&str> = spec.operations.iter().map(|operation| operation.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "pet_add_pet",
            "pet_find_pets_by_status",
            "pet_get_pet_by_id",
            "pet_update_pet_with_form",
            "pet_upload_file",
            "store_get_inventory"
        ]
    );
    // `collectionFormat: csv` (Swagger's default) is the spec's `style: comma`; `multi` repeats.
    let find = spec.operations.iter().find(|operation| operation.id == "pet_find_pets_by_status").unwrap();
    let styles: Vec<_> = find.params.iter().map(|param| (param.name.as_str(), param.style)).collect();
    assert_eq!(styles, [("status", None), ("tags", Some(codegen::spec::ParamStyle::Comma))]);
    // Swagger 2.0's `application` flow is client credentials; the implicit one a caller's token.
    let kinds: Vec<_> = spec.auth.iter().map(|auth| (auth.id.as_str(), auth.kind)).collect();
    use codegen::spec::AuthKind::{ApiKey, Oauth2Bearer, Oauth2ClientCredentials};
    assert_eq!(kinds, [("petstore_auth", Oauth2Bearer), ("api_key", ApiKey), ("partner_app", Oauth2ClientCredentials)]);
    let key = spec.auth[1].api_key.as_ref().unwrap();
    assert_eq!((key.name.as_str(), key.location), ("api_key", codegen::spec::ApiKeyLocation::Header));
    assert!(imported.report.skipped.is_empty(), "every scheme maps: {:?}", imported.report.skipped);
    let flow = spec.auth[2].client_credentials.as_ref().unwrap();
    assert_eq!(
        (flow.token_url.as_str(), flow.scopes.as_slice()),
        ("https://petstore.swagger.io/oauth/token", &["read:pets".to_owned()][..])
    );
}

#[test]
fn openapi30_tasks() {
    let (imported, yaml) = import_one("tasks-openapi30.yaml");
    common::in_snapshots("", || insta::assert_snapshot!("import_openapi__openapi30_tasks", yaml));
    let o = "tasks-openapi30.yaml#";
    let at = |pointer: &str, construct: &str| reported(&imported, &format!("{o}{pointer}"), construct).to_owned();
    // `form` without `explode` is `comma`, a `deepObject` object is `deep_object`, a cookie a cookie.
    let list = imported.spec.operations.iter().find(|operation| operation.id == "tasks_list_tasks").unwrap();
    let params: Vec<_> = list.params.iter().map(|param| (param.name.as_str(), param.location, param.style)).collect();
    use codegen::spec::{ParamLocation as In, ParamStyle};
    assert_eq!(
        params,
        [
            ("pageSize", In::Query, None),
            ("state", In::Query, None),
            ("ids", In::Query, Some(ParamStyle::Comma)),
            ("session", In::Cookie, None),
            ("filter", In::Query, Some(ParamStyle::DeepObject)),
            ("page", In::Query, None),
        ]
    );
    assert!(at("/paths/~1tasks~1{taskId}/get/parameters/2", "reserved header").contains("`Accept`"));
    // A file download is bytes of its media type.
    let download = imported.spec.operations.iter().find(|op| op.source_id.as_deref() == Some("downloadAttachment"));
    let answer = &download.expect("the download is mapped").responses[0];
    assert_eq!(
        (answer.ty.as_deref(), answer.content_type.as_deref()),
        (Some("binary"), Some("application/octet-stream"))
    );
    assert!(at("/paths/~1tasks/post/requestBody/content/application~1xml", "request media type")
        .contains("sent as `application/json`"));
    assert!(at("/paths/~1tasks/post/responses/4XX", "response status").contains("`default`"));
    assert!(at("/components/schemas/Task/allOf/1/properties/owner/oneOf", "oneOf").contains("tagged by `kind`"));
    assert!(at("/components/schemas/Task/allOf/1/properties/meta/additionalProperties", "additionalProperties")
        .contains("not kept"));
    let spec = &imported.spec;
    // HTTP Basic and a query key are auth kinds; the operation's own `key` parameter gives way.
    let kinds: Vec<_> = spec.auth.iter().map(|auth| (auth.id.as_str(), auth.kind)).collect();
    use codegen::spec::AuthKind::{ApiKey, Basic, Bearer};
    assert_eq!(kinds, [("bearer", Bearer), ("basic", Basic), ("key", ApiKey)]);
    let key = spec.auth[2].api_key.as_ref().unwrap();
    assert_eq!((key.name.as_str(), key.location), ("key", codegen::spec::ApiKeyLocation::Query));
    assert!(
        at("/paths/~1tasks/get/parameters/5", "API key parameter").contains("`key` is the API key of the `key` scheme")
    );
    // `page` and the path item's `pageSize`, and a list answer: paginated, every key inferred.
    let list = spec.operations.iter().find(|operation| operation.id == "tasks_list_tasks").unwrap();
    let pages = list.pagination.as_ref().expect("page/pageSize are a pagination");
    assert_eq!(
        (pages.page.as_deref(), pages.size.as_deref(), pages.items.as_deref()),
        (Some("page"), Some("pageSize"), None)
    );
    assert_eq!(pages.inferred, ["style", "page", "size"]);
    let inferred: Vec<_> = imported.report.inferred.iter().filter(|fact| fact.item.ends_with(".pagination")).collect();
    assert_eq!(inferred.len(), 3, "{inferred:?}");
    assert!(spec.operations.iter().filter(|operation| operation.pagination.is_some()).count() == 1);
    assert_eq!(spec.base_url, "https://eu.tasks.example.com/api");
}

#[test]
fn operations_without_responses_get_an_inferred_empty_200() {
    // progenitor's `cli-gen.json`: `responses: {}`, a GET with a body, a `required` name that no
    // property has.
    let (imported, yaml) = import_one("no-responses-openapi30.json");
    let spec = &imported.spec;
    let ids: Vec<&str> = spec.operations.iter().map(|operation| operation.id.as_str()).collect();
    assert_eq!(ids, ["api_uno", "api_dos"], "{yaml}");
    for operation in &spec.operations {
        let responses: Vec<_> = operation.responses.iter().map(|r| (r.status, r.ty.as_deref())).collect();
        assert_eq!(responses, [(200, None)], "{}", operation.id);
        assert_eq!(operation.inferred, ["responses"], "{}", operation.id);
    }
    let facts: Vec<_> = imported
        .report
        .inferred
        .iter()
        .map(|fact| (fact.item.as_str(), fact.key.as_str(), fact.value.as_str(), fact.origin.as_str()))
        .collect();
    let o = "no-responses-openapi30.json#";
    assert_eq!(
        facts,
        [
            ("operations[api_uno]", "responses", "200 without a body", &*format!("{o}/paths/~1uno/get/responses")),
            ("operations[api_dos]", "responses", "200 without a body", &*format!("{o}/paths/~1dos/post/responses")),
        ]
    );
    assert!(imported
        .report
        .render(Default::default())
        .contains("operations[api_uno].responses = `200 without a body`"));
    // An operation that declares only errors still says nothing of its success: not imported.
    assert!(reported(&imported, &format!("{o}/paths/~1tres/delete"), "operation").contains("no success"));
    let at = |pointer: &str, construct: &str| reported(&imported, &format!("{o}{pointer}"), construct).to_owned();
    assert!(at("/paths/~1uno/get/requestBody", "request body").contains("GET or HEAD"));
    let body_schema = "/paths/~1uno/get/requestBody/content/application~1json/schema";
    assert!(at(&format!("{body_schema}/required/0"), "required property").contains("`required` names no property"));
    assert!(at("/components/schemas/Gateway/required/1", "required property").contains("`zone`"));
    let gateway = spec.types.iter().find_map(|ty| match ty {
        codegen::spec::TypeSpec::Object(object) if object.name == "Gateway" => Some(object),
        _ => None,
    });
    let fields: Vec<_> = gateway.unwrap().fields.iter().map(|field| (field.name.as_str(), field.required)).collect();
    assert_eq!(fields, [("name", true)]);
    // The generated docs say the answer was guessed.
    let temp = TempDir::new("openapi-import-no-responses");
    std::fs::write(temp.path().join("crate.yaml"), "name: import-test\nversion: 0.1.0\ndescription: test\n").unwrap();
    std::fs::write(temp.path().join("pets.yaml"), &yaml).unwrap();
    let files = codegen::generate_dir(temp.path(), "spec").unwrap_or_else(|error| panic!("{error}"));
    let api = files.iter().find(|file| file.path.ends_with("pets/api.rs")).expect("the group's module");
    let marks = api.contents.matches("/// Inferred by the importer, not stated in the source: `responses`.").count();
    assert_eq!(marks, 2, "{}", api.contents);
}

#[test]
fn openapi31_notes() {
    let (imported, yaml) = import_one("notes-openapi31.json");
    common::in_snapshots("", || insta::assert_snapshot!("import_openapi__openapi31_notes", yaml));
    let o = "notes-openapi31.json#";
    let at = |pointer: &str, construct: &str| reported(&imported, &format!("{o}{pointer}"), construct).to_owned();
    assert!(at("/paths/~1notes~1{id}/get/responses/101", "response status").contains("101"));
    assert!(at("/webhooks/noteCreated", "webhook").contains("not mapped"));
    assert!(at("/components/schemas/Note/properties/mixed/type", "type array").contains("string, integer"));
    assert!(at("/components/schemas/Note/properties/size/format", "integer format").contains("uint64"));
    // Client credentials with an https token URL let the client get its own tokens; an http one is
    // reported and stays a token the caller supplies.
    let oauth = imported.spec.auth[0].client_credentials.as_ref().expect("the https flow is mapped");
    assert_eq!(
        (oauth.token_url.as_str(), oauth.scopes.as_slice()),
        ("https://notes.example.com/token", &["notes:read".to_owned(), "notes:write".to_owned()][..])
    );
    assert!(at("/components/securitySchemes/partner/flows/clientCredentials/tokenUrl", "OAuth2 flow")
        .contains("not an absolute https URL"));
    assert_eq!(imported.spec.auth[1].kind, codegen::spec::AuthKind::Oauth2Bearer);
    let body = imported.spec.operations[1].body.as_ref().expect("the merge-patch body is JSON");
    assert_eq!(body.content_type, "application/json");
}

#[test]
fn references_across_files_from_inputs_and_disk() {
    let names = ["split/api.yaml", "split/paths/folder.yaml", "split/schemas/folder.yaml", "split/schemas/common.yaml"];
    let docs: Vec<Document> = names.iter().map(|name| read_fixture(name)).collect();
    let from_inputs = openapi::import(&docs, "split", &NoDisk);
    // Only the root is given: the other files are read from its folder.
    let root = fixtures().join("split/api.yaml");
    let from_disk = openapi::import(
        &[Document::new(root.display().to_string(), std::fs::read_to_string(&root).unwrap())],
        "split",
        &openapi::DiskReader,
    );
    assert_eq!(from_inputs.spec, from_disk.spec);
    let yaml = render_and_lower(&from_inputs.spec);
    generates(&from_inputs.spec, &yaml);
    common::in_snapshots("", || insta::assert_snapshot!("import_openapi__split_refs", yaml));
    let reasons: Vec<String> =
        from_disk.report.skipped.iter().map(|s| format!("{}: {}", s.construct, s.reason)).collect();
    let all = reasons.join("\n");
    assert!(all.contains("outside the folders of the input documents"), "{all}");
    assert!(all.contains("reference loop"), "{all}");
    assert!(all.contains("does not exist"), "{all}");
    // `$ref: '#'` and `$ref: folder.yaml` name the same schema: one recursive type.
    let folder = from_inputs.spec.types.iter().find(|ty| ty.name() == "Folder").expect("a Folder type");
    let codegen::spec::TypeSpec::Object(folder) = folder else { panic!("Folder is an object") };
    let types: Vec<&str> = folder.fields.iter().map(|field| field.ty.as_str()).collect();
    assert_eq!(types, ["Id", "Folder", "list<Folder>", "json", "json"]);
}

#[test]
fn bad_json_and_yaml_are_located() {
    let imported = import_texts(&[("bad.json", "{\n  \"openapi\": \"3.0.0\",\n  \"info\": {]\n}")]);
    let problem = &imported.problems.0[0];
    assert!(problem.message.starts_with("not valid JSON"), "{problem}");
    assert_eq!(
        problem.location,
        codegen::diagnostics::Location::Position { file: "bad.json".into(), line: 3, column: 12 }
    );
    let imported = import_texts(&[("bad.yaml", "openapi: 3.0.0\ninfo:\n  title: [unclosed\n")]);
    let problem = &imported.problems.0[0];
    assert!(matches!(problem.location, codegen::diagnostics::Location::Position { line: 4, .. }), "{problem}");
    let imported = import_texts(&[("notes.txt", "just: text\n")]);
    assert!(imported.problems.0[0].message.contains("no OpenAPI or Swagger document"));
}

#[test]
fn hostile_documents_are_bounded() {
    // Nesting past serde_json's limit is a located error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let imported = import_texts(&[("deep.json", &deep)]);
    assert!(imported.problems.0[0].message.contains("recursion limit"), "{}", imported.problems);
    // So is YAML nesting, and aliases that multiply the document.
    let deep_yaml = format!("openapi: 3.0.0\nx: {}{}\n", "[".repeat(500), "]".repeat(500));
    assert!(!import_texts(&[("deep.yaml", &deep_yaml)]).problems.is_empty());
    let mut laughs = String::from("openapi: 3.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..12 {
        let previous = level - 1;
        laughs.push_str(&format!("a{level}: &a{level} [*a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}]\n"));
    }
    assert!(!import_texts(&[("laughs.yaml", &laughs)]).problems.is_empty());

    // Inline schemas nested deeper than the limit become `json`, reported once.
    let mut schema = String::from("{\"type\": \"string\"}");
    for _ in 0..40 {
        schema = format!("{{\"type\": \"object\", \"properties\": {{\"a\": {schema}}}}}");
    }
    let chain: Vec<String> = (0..5000)
        .map(|index| format!("\"S{index}\": {{\"type\": \"object\", \"properties\": {{\"next\": {{\"$ref\": \"#/components/schemas/S{}\"}}}}}}", index + 1))
        .collect();
    let document = format!(
        r##"{{"openapi": "3.0.0", "info": {{"title": "t", "version": "1"}}, "servers": [{{"url": "https://x.example"}}],
        "paths": {{"/a": {{"get": {{"operationId": "a", "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {schema}}}}}}}}}}}}}}},
        "components": {{"schemas": {{ {}, "S5000": {{"$ref": "#/components/schemas/S5000"}},
          "L0": {{"$ref": "#/components/schemas/L1"}}, "L1": {{"$ref": "#/components/schemas/L0"}} }}}}}}"##,
        chain.join(", ")
    );
    let imported = import_texts(&[("big.json", &document)]);
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    assert_eq!(kinds(&imported).get("schema depth"), Some(&1), "{:?}", kinds(&imported));
    assert!(imported.report.skipped.iter().any(|s| s.reason.contains("reference loop")));
    assert!(imported.spec.types.len() > 5000);
    render_and_lower(&imported.spec);
}

#[test]
fn every_unmappable_construct_is_reported_at_its_pointer() {
    let (imported, _) = import_one("unmappable-openapi30.yaml");
    let o = "unmappable-openapi30.yaml#";
    let expected = [
        ("/paths/~1things/servers", "server", "per-path servers"),
        ("/paths/~1things/get/servers", "server", "per-operation servers"),
        ("/paths/~1things/get/callbacks", "callback", "not mapped"),
        ("/paths/~1things/get/parameters/0", "parameter style", "`style: pipeDelimited` with `explode: false`"),
        ("/paths/~1things/get/parameters/1", "parameter style", "is not how the spec sends an object"),
        ("/paths/~1things/get/parameters/2", "parameter style", "`style: label`"),
        ("/paths/~1things/get/parameters/3", "parameter content", "content-encoded"),
        ("/paths/~1things/get/parameters/4", "parameter", "not a valid header name"),
        ("/paths/~1things/get/responses/2XX", "response status", "no status ranges"),
        ("/paths/~1things/get/responses/409", "error body type", "share one type"),
        ("/paths/~1things/trace", "operation", "TRACE"),
        ("/paths/~1things~1{id}/get/parameters/0", "parameter type", "a list in the path"),
        ("/paths/~1things~1{id}/get", "operation", "required parameter `id`"),
        ("/components/schemas/Thing/not", "not", "ignored"),
        ("/components/schemas/Thing/patternProperties", "patternProperties", "dropped"),
        ("/components/schemas/Thing/properties/pair/items", "tuple", "list<json>"),
        ("/components/schemas/Thing/properties/maybe/items", "nullable", "cannot hold"),
        ("/components/schemas/Thing/properties/flag/enum", "enum", "boolean"),
        ("/components/schemas/Thing/properties/ratio/enum", "enum", "number"),
        ("/components/schemas/Thing/properties/odd/enum/1", "enum", "left out"),
    ];
    for (pointer, construct, says) in expected {
        let reason = reported(&imported, &format!("{o}{pointer}"), construct);
        assert!(reason.contains(says), "{pointer} {construct}: `{reason}` does not say `{says}`");
    }
    // `list` (200 and 201: a `ListResponse` enum) and `listResponse` (builder `ListResponse`)
    // collide in Rust; `lower` refuses it, so the importer leaves the second out and says why.
    let lowering: Vec<&str> = imported
        .report
        .skipped
        .iter()
        .filter(|skipped| skipped.construct == "lowering")
        .map(|skipped| skipped.reason.as_str())
        .collect();
    assert_eq!(lowering.len(), 1, "{lowering:?}");
    assert!(lowering[0].starts_with("operation `api_list_response` is left out"), "{lowering:?}");
    let ids: Vec<&str> = imported.spec.operations.iter().map(|operation| operation.id.as_str()).collect();
    assert_eq!(ids, ["api_list"]);
    let list = &imported.spec.operations[0];
    assert!(list.params.is_empty(), "{:?}", list.params);
    assert_eq!(list.responses.iter().map(|response| response.status).collect::<Vec<_>>(), [200, 201]);
}

#[test]
fn switching_protocols_responses_map_to_upgrades() {
    let document = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "servers": [{"url": "https://x.example"}],
      "paths": {
        "/ws": {"get": {"operationId": "ws", "x-dropshot-websocket": {},
          "responses": {"101": {"description": "Negotiating protocol upgrade", "content": {"*/*": {"schema": {}}}}}}},
        "/old": {"get": {"operationId": "old", "x-dropshot-websocket": {},
          "responses": {"default": {"description": "", "content": {"*/*": {"schema": {}}}}}}},
        "/unknown": {"get": {"operationId": "unknown", "responses": {"101": {"description": "Switching"}}}}
      }}"##;
    let imported = import_texts(&[("ws.json", document)]);
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    let upgrades: Vec<_> = imported
        .spec
        .operations
        .iter()
        .map(|operation| {
            (operation.id.as_str(), operation.responses[0].status, operation.responses[0].upgrade.as_deref())
        })
        .collect();
    assert_eq!(upgrades, [("api_ws", 101, Some("websocket")), ("api_old", 101, Some("websocket"))]);
    assert!(
        reported(&imported, "ws.json#/paths/~1unknown/get/responses/101", "response status").contains("not documented")
    );
    assert!(reported(&imported, "ws.json#/paths/~1old/get/responses", "websocket").contains("without a 101"));
    render_and_lower(&imported.spec);
}

/// A body field as (wire name, type, required, description).
type Field<'s> = (&'s str, &'s str, bool, Option<&'s str>);

/// The body of operation `id` and its object type's fields.
fn body_fields<'s>(spec: &'s ServiceSpec, id: &str) -> (&'s codegen::spec::BodySpec, Vec<Field<'s>>) {
    let operation = spec.operations.iter().find(|operation| operation.id == id).expect("the operation is mapped");
    let body = operation.body.as_ref().expect("the operation has a body");
    let object = spec.types.iter().find_map(|ty| match ty {
        codegen::spec::TypeSpec::Object(object) if object.name == body.ty => Some(object),
        _ => None,
    });
    let fields = object
        .expect("the body is an object type")
        .fields
        .iter()
        .map(|field| (field.name.as_str(), field.ty.as_str(), field.required, field.description.as_deref()))
        .collect();
    (body, fields)
}

#[test]
fn swagger2_form_data_parameters_are_form_and_multipart_bodies() {
    let (imported, _) = import_one("petstore-swagger2.json");
    let spec = &imported.spec;
    // `consumes: application/x-www-form-urlencoded`: a form, required because `name` is.
    let (body, fields) = body_fields(spec, "pet_update_pet_with_form");
    assert_eq!((body.content_type.as_str(), body.required), ("application/x-www-form-urlencoded", true));
    assert_eq!(
        fields,
        [
            ("name", "string", true, Some("Updated name of the pet")),
            ("status", "string", false, Some("Updated status of the pet")),
        ]
    );
    // `multipart/form-data` with a `type: file`: multipart, the file a `binary` part.
    let (body, fields) = body_fields(spec, "pet_upload_file");
    assert_eq!((body.content_type.as_str(), body.required), ("multipart/form-data", true));
    assert_eq!(
        fields,
        [
            ("additionalMetadata", "string", false, Some("Additional data to pass to server")),
            ("file", "binary", true, Some("file to upload")),
        ]
    );
    assert!(!imported.report.skipped.iter().any(|skipped| skipped.construct == "form body"));
    // A `type: file` makes the body multipart whatever `consumes` says; formData beside a JSON
    // `consumes` is sent as a form, and reported.
    let doc = r#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "x.example.com",
      "consumes": ["application/json"],
      "paths": {
        "/a": {"post": {"operationId": "a", "parameters": [{"name": "f", "in": "formData", "type": "file"}],
          "responses": {"200": {"description": "ok"}}}},
        "/b": {"post": {"operationId": "b", "parameters": [{"name": "n", "in": "formData", "type": "integer"}],
          "responses": {"200": {"description": "ok"}}}}}}"#;
    let imported = openapi::import(&[Document::new("f.json".to_owned(), doc.to_owned())], "pets", &NoDisk);
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    let (body, fields) = body_fields(&imported.spec, "api_a");
    assert_eq!((body.content_type.as_str(), fields), ("multipart/form-data", vec![("f", "binary", false, None)]));
    let (body, fields) = body_fields(&imported.spec, "api_b");
    assert_eq!(
        (body.content_type.as_str(), fields),
        ("application/x-www-form-urlencoded", vec![("n", "int64", false, None)])
    );
    assert!(reported(&imported, "f.json#/paths/~1b/post/consumes", "form body").contains("x-www-form-urlencoded"));
    generates(&imported.spec, &render_and_lower(&imported.spec));
}

#[test]
fn default_only_and_ranged_responses_are_an_inferred_200() {
    let (imported, yaml) = import_one("defaults-openapi30.yaml");
    let spec = &imported.spec;
    let op = |id: &str| {
        spec.operations.iter().find(|operation| operation.id == id).unwrap_or_else(|| panic!("{id}: {yaml}"))
    };
    let answers = |id: &str| -> Vec<(u16, Option<String>, Option<String>)> {
        op(id).responses.iter().map(|r| (r.status, r.ty.clone(), r.content_type.clone())).collect()
    };
    // `default` is every undeclared status: its body is the 200's, and it stays the error.
    assert_eq!(answers("api_device_token"), [(200, Some("Token".to_owned()), None)]);
    let errors: Vec<_> = op("api_device_token").errors.iter().map(|e| (e.status.clone(), e.ty.clone())).collect();
    assert_eq!(errors, [(codegen::spec::ErrorStatus::Named("default".to_owned()), Some("Token".to_owned()))]);
    assert_eq!(answers("api_header_arg"), [(200, None, None)]);
    // A `2XX` range is the success when no status is declared; `4XX` the `default` error.
    assert_eq!(answers("api_ranged"), [(200, Some("string".to_owned()), Some("text/plain".to_owned()))]);
    // A declared status wins: the range beside it is left out, and nothing is inferred.
    assert_eq!(answers("api_declared"), [(204, None, None)]);
    assert!(op("api_declared").inferred.is_empty());
    let o = "defaults-openapi30.yaml#";
    assert!(
        reported(&imported, &format!("{o}/paths/~1declared/get/responses/2XX"), "response status").contains("left out")
    );
    assert!(reported(&imported, &format!("{o}/paths/~1header-arg/get/responses/default"), "response status")
        .contains("`200` success (inferred)"));
    for id in ["api_device_token", "api_header_arg", "api_ranged"] {
        assert_eq!(op(id).inferred, ["responses"], "{id}");
    }
    let facts: Vec<_> = imported
        .report
        .inferred
        .iter()
        .map(|fact| (fact.item.as_str(), fact.value.as_str(), fact.read.as_deref()))
        .collect();
    assert_eq!(
        facts,
        [
            ("operations[api_device_token]", "200 with the body `Token`", Some("only `default`")),
            ("operations[api_header_arg]", "200 without a body", Some("only `default`")),
            ("operations[api_ranged]", "200 with the body `string`", Some("only `2XX` (a range)")),
        ]
    );
    // The generated docs say the success was guessed.
    let temp = TempDir::new("openapi-import-defaults");
    std::fs::write(temp.path().join("crate.yaml"), "name: import-test\nversion: 0.1.0\ndescription: test\n").unwrap();
    std::fs::write(temp.path().join("pets.yaml"), &yaml).unwrap();
    let files = codegen::generate_dir(temp.path(), "spec").unwrap_or_else(|error| panic!("{error}"));
    let api = files.iter().find(|file| file.path.ends_with("pets/api.rs")).expect("the group's module");
    let marks = api.contents.matches("/// Inferred by the importer, not stated in the source: `responses`.").count();
    assert_eq!(marks, 3, "{}", api.contents);
}

#[test]
fn referenced_binary_strings_are_files() {
    let (imported, yaml) = import_one("defaults-openapi30.yaml");
    let (body, fields) = body_fields(&imported.spec, "api_upload_firmware");
    assert_eq!(body.content_type, "multipart/form-data");
    assert_eq!(fields, [("image", "binary", true, None), ("note", "string", false, None)], "{yaml}");
    let upload = imported.spec.operations.iter().find(|operation| operation.id == "api_upload_firmware").unwrap();
    assert_eq!(upload.responses[0].ty.as_deref(), Some("binary"));
}
