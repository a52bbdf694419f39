//! Property tests of the `openapi-generator-md` importer: random documents in the format's
//! grammar, rendered from a random spec, import back to that spec; mutated seed documents and
//! facts sources never panic the importer. `PROPTEST_CASES` changes the case counts.

use std::collections::BTreeSet;

use codegen::import::{self, render_yaml, Document, Facts};
use codegen::spec::{
    AuthKind, AuthSpec, BodySpec, Deprecation, FieldSpec, GroupSpec, ObjectSpec, OperationSpec, ParamLocation,
    ParamSpec, Protocol, ResponseSpec, ServiceSpec, TypeSpec,
};
use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};
use proptest::prelude::*;

use crate::common;

const WORDS: &[&str] =
    &["alpha", "beta", "task", "item", "page", "kit", "line", "order", "value", "count", "state", "code"];

fn name() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(prop::sample::select(WORDS), 1..4)
}

/// Description text: words, punctuation, HTML entities, `<br></br>` and table bars.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "the",
        "value",
        "of",
        "Task",
        "ID*",
        "&amp;gt;",
        "&#x3D;",
        "&quot;x&quot;",
        "<br></br>",
        "a|b",
        "(see",
        "doc).",
        "don't",
        "50%",
        "#1",
        "[optional]?",
        "`code`",
        "é",
    ]);
    prop::collection::vec(pieces, 1..8).prop_map(|words| words.join(" "))
}

#[derive(Debug, Clone)]
struct RawField {
    name: Vec<&'static str>,
    kind: usize,
    model: usize,
    required: bool,
    read_only: bool,
    description: Option<String>,
}

#[derive(Debug, Clone)]
struct RawParam {
    name: Vec<&'static str>,
    kind: usize,
    required: bool,
    description: Option<String>,
}

#[derive(Debug, Clone)]
struct RawOperation {
    name: Vec<&'static str>,
    method: usize,
    path_params: Vec<(Vec<&'static str>, bool)>,
    body: Option<usize>,
    query: Vec<RawParam>,
    returns: usize,
    return_model: usize,
    summary: String,
    description: Vec<String>,
}

fn raw_field() -> impl Strategy<Value = RawField> {
    (name(), 0..9usize, 0..8usize, any::<bool>(), prop::bool::weighted(0.1), prop::option::of(text())).prop_map(
        |(name, kind, model, required, read_only, description)| RawField {
            name,
            kind,
            model,
            required,
            read_only,
            description,
        },
    )
}

fn raw_operation() -> impl Strategy<Value = RawOperation> {
    (
        name(),
        0..4usize,
        prop::collection::vec((name(), any::<bool>()), 0..3),
        prop::option::of(0..8usize),
        prop::collection::vec(
            (name(), 0..4usize, any::<bool>(), prop::option::of(text()))
                .prop_map(|(name, kind, required, description)| RawParam { name, kind, required, description }),
            0..5,
        ),
        0..4usize,
        0..8usize,
        text(),
        prop::collection::vec(text(), 0..3),
    )
        .prop_map(|(name, method, path_params, body, query, returns, return_model, summary, description)| {
            RawOperation { name, method, path_params, body, query, returns, return_model, summary, description }
        })
}

/// A random service in the format's reach: its spec (without provenance) and its documents.
#[derive(Debug)]
struct Case {
    spec: ServiceSpec,
    docs: Vec<Document>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        name(),
        prop::collection::vec(prop::collection::vec(raw_field(), 0..6), 1..6),
        prop::collection::vec(raw_operation(), 1..6),
    )
        .prop_map(|(group, models, operations)| build(group, models, operations))
}

fn unique(taken: &mut BTreeSet<String>, words: &[&str]) -> String {
    let mut name = words.join("_");
    while !taken.insert(name.clone()) {
        name.push_str("_again");
    }
    name
}

fn build(group: Vec<&str>, raw_models: Vec<Vec<RawField>>, raw_operations: Vec<RawOperation>) -> Case {
    let group_name = group.join("_").to_upper_camel_case();
    let model_names: Vec<String> =
        (0..raw_models.len()).map(|index| format!("{group_name}Model{}", "X".repeat(index + 1))).collect();
    let pick = |index: usize| model_names[index % model_names.len()].clone();
    // PHP type in the documents, spec type.
    let field_type = |kind: usize, model: usize| -> (String, String) {
        match kind {
            0 => ("**string**".into(), "string".into()),
            1 => ("**bool**".into(), "bool".into()),
            2 => ("**int**".into(), "int32".into()),
            3 => ("**float**".into(), "double".into()),
            4 => ("**\\DateTime**".into(), "datetime".into()),
            5 => ("**string[]**".into(), "list<string>".into()),
            6 => ("**array<string,string>**".into(), "map<string>".into()),
            7 => (format!("[**\\OpenAPI\\Client\\Model\\{0}**]({0}.md)", pick(model)), pick(model)),
            _ => (
                format!("[**\\OpenAPI\\Client\\Model\\{0}[]**]({0}.md)", pick(model)),
                format!("list<{}>", pick(model)),
            ),
        }
    };
    let mut docs = Vec::new();
    let mut types = Vec::new();
    for (index, fields) in raw_models.iter().enumerate() {
        let model = &model_names[index];
        let mut taken = BTreeSet::new();
        let mut text = format!("# {model}\n\n## Properties\n\nName | Type | Description | Notes\n------------ | ------------- | ------------- | -------------\n");
        let mut specs = Vec::new();
        for field in fields {
            let snake = unique(&mut taken, &field.name);
            let (php, ty) = field_type(field.kind, field.model);
            let mut notes = Vec::new();
            if !field.required {
                notes.push("[optional]");
            }
            if field.read_only {
                notes.push("[readonly]");
            }
            let description = field.description.clone().unwrap_or_default();
            text.push_str(&format!(
                "**{snake}** | {php} | {} | {}\n",
                description.replace('|', "\\|"),
                notes.join(" ")
            ));
            specs.push(FieldSpec {
                name: snake.to_lower_camel_case(),
                ty,
                required: field.required,
                read_only: field.read_only,
                description: field.description.clone(),
                ..FieldSpec::default()
            });
        }
        text.push_str("\n[[Back to Model list]](../../README.md#models)\n");
        docs.push(Document::new(format!("models/{model}.md"), text));
        types.push(TypeSpec::Object(ObjectSpec { name: model.clone(), fields: specs, ..ObjectSpec::default() }));
    }
    types.sort_by(|a, b| a.name().cmp(b.name()));

    let api = format!("{group_name}Api");
    let group_id = group_name.to_snake_case();
    let mut table = String::new();
    let mut sections = String::new();
    let mut operations = Vec::new();
    let mut taken_operations = BTreeSet::new();
    for raw in &raw_operations {
        let op_name = unique(&mut taken_operations, &[&[group.join("_").as_str()], raw.name.as_slice()].concat())
            .to_lower_camel_case();
        let method = ["GET", "POST", "PUT", "DELETE"][raw.method];
        let mut taken = BTreeSet::new();
        let mut path = format!("/v1/{}", group.join(""));
        let mut rows = Vec::new();
        let mut params = Vec::new();
        for (words, int) in &raw.path_params {
            let snake = unique(&mut taken, words);
            let camel = snake.to_lower_camel_case();
            path.push_str(&format!("/{{{camel}}}"));
            let (php, ty) = if *int { ("int", "int32") } else { ("string", "string") };
            rows.push(format!("| **{snake}** | **{php}**| The key. | |"));
            params.push(param(camel, ParamLocation::Path, ty, true, Some("The key.".to_owned())));
        }
        let has_body = matches!(method, "POST" | "PUT") && raw.body.is_some();
        let mut body = None;
        if let (true, Some(model)) = (has_body, raw.body) {
            let model = pick(model);
            let snake = unique(&mut taken, &["payload"]);
            rows.push(format!(
                "| **{snake}** | [**\\OpenAPI\\Client\\Model\\{model}**](../Model/{model}.md)| The data. | |"
            ));
            body = Some(BodySpec {
                ty: model,
                content_type: "application/json".to_owned(),
                required: true,
                description: Some("The data.".to_owned()),
                origin: None,
                inferred: Vec::new(),
            });
        }
        for query in &raw.query {
            let snake = unique(&mut taken, &query.name);
            let (php, ty) =
                [("string", "string"), ("bool", "bool"), ("int", "int32"), ("\\DateTime", "datetime")][query.kind];
            let description = query.description.clone().unwrap_or_default();
            let notes = if query.required { "" } else { "[optional]" };
            rows.push(format!("| **{snake}** | **{php}**| {} | {notes} |", description.replace('|', "\\|")));
            params.push(param(
                snake.to_lower_camel_case(),
                ParamLocation::Query,
                ty,
                query.required,
                query.description.clone(),
            ));
        }
        let (return_doc, return_sig, response) = match raw.returns {
            0 => ("void (empty response body)".to_owned(), "void".to_owned(), (204, None)),
            1 => ("**object**".to_owned(), "object".to_owned(), (200, Some("json".to_owned()))),
            2 => {
                let model = pick(raw.return_model);
                (
                    format!("[**\\OpenAPI\\Client\\Model\\{model}[]**](../Model/{model}.md)"),
                    format!("\\OpenAPI\\Client\\Model\\{model}[]"),
                    (200, Some(format!("list<{model}>"))),
                )
            }
            _ => {
                let model = pick(raw.return_model);
                (
                    format!("[**\\OpenAPI\\Client\\Model\\{model}**](../Model/{model}.md)"),
                    format!("\\OpenAPI\\Client\\Model\\{model}"),
                    (200, Some(model)),
                )
            }
        };
        let arguments: Vec<String> =
            rows.iter().map(|row| format!("${}", row.split("**").nth(1).unwrap_or_default())).collect();
        // The summary cell of the table must not hold a bar; the section's paragraph is what is read.
        let summary = raw.summary.replace('|', "/");
        table.push_str(&format!("| [**{op_name}()**]({api}.md#{op_name}) | **{method}** {path} | {summary} |\n"));
        let description = (!raw.description.is_empty()).then(|| raw.description.join("\n\n"));
        sections.push_str(&format!(
            "## `{op_name}()`\n\n```php\n{op_name}({}): {return_sig}\n```\n\n{summary}\n\n{}### Example\n\n```php\n<?php\n// Configure OAuth2 access token for authorization: serviceapi\n$config = OpenAPI\\Client\\Configuration::getDefaultConfiguration()->setAccessToken('YOUR_ACCESS_TOKEN');\n## not a heading inside the fence\n```\n\n### Parameters\n\n| Name | Type | Description  | Notes |\n| ------------- | ------------- | ------------- | ------------- |\n{}\n\n### Return type\n\n{return_doc}\n\n### Authorization\n\n[serviceapi](../../README.md#serviceapi)\n\n### HTTP request headers\n\n- **Content-Type**: {}\n- **Accept**: `application/json`\n\n[[Back to top]](#) [[Back to API list]](../../README.md#endpoints)\n\n",
            arguments.join(", "),
            description.as_ref().map(|text| format!("{text}\n\n")).unwrap_or_default(),
            rows.join("\n"),
            if body.is_some() { "`application/json`, `text/json`" } else { "Not defined" },
        ));
        operations.push(OperationSpec {
            id: op_name.to_snake_case(),
            group: group_id.clone(),
            name: None,
            source_id: Some(op_name.clone()),
            renamed_from: None,
            method: Some(method.to_owned()),
            path: Some(path),
            summary: Some(summary),
            description,
            deprecated: Deprecation::No,
            params,
            body,
            responses: vec![ResponseSpec {
                status: response.0,
                ty: response.1,
                content_type: None,
                description: None,
                headers: Vec::new(),
                upgrade: None,
                origin: None,
                inferred: Vec::new(),
            }],
            errors: Vec::new(),
            soap: None,
            pagination: None,
            idempotent: false,
            origin: None,
            inferred: Vec::new(),
        });
    }
    let file = format!("api/{api}.md");
    docs.insert(
        0,
        Document::new(
            file,
            format!(
                "# OpenAPI\\Client\\{api}\n\n\n\nAll URIs are relative to https://svc.example.com, except if the operation defines another base path.\n\n| Method | HTTP request | Description |\n| ------------- | ------------- | ------------- |\n{table}\n\n{sections}"
            ),
        ),
    );
    let spec = ServiceSpec {
        service: "svc".to_owned(),
        title: "svc".to_owned(),
        description: None,
        source: Some(format!("openapi-generator client documentation: {api} ({api}.md)")),
        protocol: Protocol::Rest,
        base_url: "https://svc.example.com".to_owned(),
        auth: vec![AuthSpec {
            id: "serviceapi".to_owned(),
            kind: AuthKind::Oauth2Bearer,
            description: None,
            client_credentials: None,
            api_key: None,
        }],
        groups: vec![GroupSpec { id: group_id, description: None }],
        operations,
        types,
        soap: None,
        background_jobs: None,
    };
    Case { spec, docs }
}

fn param(name: String, location: ParamLocation, ty: &str, required: bool, description: Option<String>) -> ParamSpec {
    ParamSpec {
        name,
        location,
        ty: ty.to_owned(),
        required,
        description,
        deprecated: Deprecation::No,
        rust_name: None,
        style: None,
        renamed_from: None,
        origin: None,
        inferred: Vec::new(),
    }
}

fn format() -> &'static dyn import::Format {
    import::format("openapi-generator-md").unwrap()
}

proptest! {
    #![proptest_config(common::proptest_config(96))]

    #[test]
    fn random_documents_import_to_the_spec_they_were_rendered_from(case in case()) {
        let imported = format().import(&case.docs, &Facts::none(), "svc");
        prop_assert!(imported.problems.is_empty(), "{}", imported.problems);
        let mut spec = imported.spec.clone();
        spec.strip_provenance();
        prop_assert_eq!(&spec, &case.spec, "{}", case.docs.iter().map(|doc| doc.text.as_str()).collect::<Vec<_>>().join("\n----\n"));
        // What the documents leave open is marked: every query parameter's name and location, every field's name.
        for operation in &imported.spec.operations {
            for param in &operation.params {
                prop_assert!(param.origin.is_some());
                let guessed = param.location == ParamLocation::Query;
                prop_assert_eq!(param.inferred.contains(&"name".to_owned()), guessed);
                prop_assert_eq!(param.inferred.contains(&"type".to_owned()), param.ty == "int32" || param.ty == "datetime");
            }
        }
        for ty in &imported.spec.types {
            if let TypeSpec::Object(object) = ty {
                prop_assert!(object.fields.iter().all(|field| field.inferred.starts_with(&["name".to_owned(), "nullable".to_owned()])));
            }
        }
        // The rendered file loads back as the same spec, byte-identical on a second render.
        let yaml = render_yaml::render(&imported.spec, "# test\n");
        let back: ServiceSpec = codegen::load::parse("svc.yaml", &yaml).map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(&back, &imported.spec);
        prop_assert_eq!(render_yaml::render(&back, "# test\n"), yaml);
    }
}

/// The seed documents and facts the mutations start from.
fn seeds() -> (Vec<Document>, Vec<Document>) {
    let root = common::workspace().join("spec/sources/visma_net");
    let read = |dir: &str| -> Vec<Document> {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_file())
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| Document::new(path.display().to_string(), std::fs::read_to_string(&path).unwrap()))
            .collect()
    };
    let mut docs = read("api");
    docs.extend(read("models"));
    let mut facts = read("facts");
    facts.extend(read("facts/Api"));
    (docs, facts)
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLines(usize, usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Insert(usize, &'static str),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let snippets = prop::sample::select(vec![
        "|",
        "**",
        "`",
        "```",
        "## `",
        "### Parameters",
        "\n",
        "[**",
        "](",
        "()`",
        "): ",
        "\\",
        "&#x3D;",
        "é",
        "\u{0}",
        "'",
        "=> '",
        "case 200:",
        "\t",
        "[optional]",
    ]);
    prop_oneof![
        (any::<usize>(), 1..20usize).prop_map(|(at, count)| Mutation::DeleteLines(at, count)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), snippets).prop_map(|(at, text)| Mutation::Insert(at, text)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_owned();
    for mutation in mutations {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match mutation {
            Mutation::DeleteLines(at, count) => {
                let start = at % n;
                lines.drain(start..(start + count).min(n));
            }
            Mutation::DuplicateLine(at) => {
                let line = lines[at % n].clone();
                lines.insert(at % n, line);
            }
            Mutation::SwapLines(a, b) => lines.swap(a % n, b % n),
            Mutation::Insert(at, snippet) => {
                let boundaries: Vec<usize> = text.char_indices().map(|(index, _)| index).collect();
                let at = boundaries.get(at % boundaries.len().max(1)).copied().unwrap_or(0);
                text.insert_str(at, snippet);
                continue;
            }
            Mutation::Truncate(at) => {
                let boundaries: Vec<usize> = text.char_indices().map(|(index, _)| index).collect();
                let at = boundaries.get(at % boundaries.len().max(1)).copied().unwrap_or(0);
                text.truncate(at);
                continue;
            }
        }
        text = lines.join("\n");
    }
    text
}

proptest! {
    #![proptest_config(common::proptest_config(64))]

    #[test]
    fn mutated_seed_documents_never_panic(index in any::<usize>(), mutations in prop::collection::vec(mutation(), 1..6), with_facts in any::<bool>()) {
        let (mut docs, facts) = seeds();
        let at = index % docs.len();
        docs[at].text = mutate(&docs[at].text, &mutations);
        let facts = if with_facts { Facts::read(&facts).unwrap() } else { Facts::none() };
        let imported = format().import(&docs, &facts, "visma_net");
        let yaml = render_yaml::render(&imported.spec, "");
        // The output is a well-formed spec file whatever the input (lower may still reject it).
        let back: Result<ServiceSpec, _> = codegen::load::parse("visma_net.yaml", &yaml);
        prop_assert!(back.is_ok(), "{:?}", back.err());
        let _ = imported.report.render(import::Counts::of(&imported.spec));
    }

    #[test]
    fn mutated_facts_sources_never_panic(index in any::<usize>(), mutations in prop::collection::vec(mutation(), 1..6)) {
        let (docs, mut facts) = seeds();
        let at = index % facts.len();
        facts[at].text = mutate(&facts[at].text, &mutations);
        if let Ok(facts) = Facts::read(&facts) {
            let _ = format().import(&docs, &facts, "visma_net");
        }
    }
}
