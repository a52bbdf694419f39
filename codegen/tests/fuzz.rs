//! Property tests: random and mutated specs go through load, lower and emit. Nothing may
//! panic, and a spec that lowers must always render. Each test prints how many cases it ran;
//! `PROPTEST_CASES` changes the count (`cargo test -p codegen --test fuzz -- --nocapture`).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use codegen::load::{parse, SpecFile, SpecSet};
use codegen::spec::{CrateSpec, ServiceSpec};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(default)
}

fn krate() -> SpecFile<CrateSpec> {
    SpecFile {
        file: "spec/crate.yaml".to_owned(),
        spec: CrateSpec {
            name: "fuzz".to_owned(),
            version: "0.1.0".to_owned(),
            description: "fuzz".to_owned(),
            license: None,
        },
    }
}

/// How many cases got through `lower` (and so were rendered), to show emit is exercised.
static RENDERED: AtomicUsize = AtomicUsize::new(0);

/// Load → lower → emit on one service text; panics only if the pipeline breaks its contract.
fn run_pipeline(text: &str) {
    let Ok(service) = parse::<ServiceSpec>("spec/fuzz.yaml", text) else { return };
    let set = SpecSet { krate: krate(), services: vec![SpecFile { file: "spec/fuzz.yaml".to_owned(), spec: service }] };
    if let Ok(model) = codegen::lower::lower(&set) {
        RENDERED.fetch_add(1, Ordering::Relaxed);
        if let Err(error) = codegen::emit::generate(&model) {
            panic!("a spec that lowers must render:\n{error}\n--- spec ---\n{text}");
        }
    }
}

fn run(name: &str, default_cases: u32, strategy: impl Strategy<Value = String>) {
    let cases = cases(default_cases);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let before = RENDERED.load(Ordering::Relaxed);
    let result = runner.run(&strategy, |text| {
        run_pipeline(&text);
        Ok(())
    });
    if let Err(error) = result {
        panic!("{name}: {error}");
    }
    let rendered = RENDERED.load(Ordering::Relaxed) - before;
    eprintln!("{name}: {cases} cases, no panic ({rendered} valid enough to render)");
}

#[test]
fn random_text_never_panics_the_loader() {
    run("random text", 2000, any::<String>());
    run(
        "random bytes as text",
        1000,
        proptest::collection::vec(any::<u8>(), 0..400).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
    );
}

/// Names that stress identifier policy: keywords, digits, non-ASCII, symbols, std names.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("type".to_owned()),
        Just("self".to_owned()),
        Just("Self".to_owned()),
        Just("crate".to_owned()),
        Just("gen".to_owned()),
        Just("Option".to_owned()),
        Just("Client".to_owned()),
        Just("None".to_owned()),
        Just("Other".to_owned()),
        Just("1st".to_owned()),
        Just("$filter".to_owned()),
        Just("If-Match".to_owned()),
        Just("名前".to_owned()),
        Just("_".to_owned()),
        Just("".to_owned()),
        "[a-zA-Z][a-zA-Z0-9_$-]{0,8}",
        "\\PC{1,6}",
    ]
}

fn type_expr(names: Vec<String>) -> impl Strategy<Value = String> {
    let builtin = prop_oneof![
        Just("string".to_owned()),
        Just("int64".to_owned()),
        Just("double".to_owned()),
        Just("bool".to_owned()),
        Just("datetime".to_owned()),
        Just("json".to_owned()),
        Just("etag".to_owned()),
        Just("secret".to_owned()),
    ];
    let named = proptest::sample::select(if names.is_empty() { vec!["Missing".to_owned()] } else { names });
    prop_oneof![
        6 => builtin,
        2 => named.clone(),
        1 => named.clone().prop_map(|n| format!("list<{n}>")),
        1 => named.prop_map(|n| format!("map<{n}>")),
        1 => Just("nonsense<".to_owned()),
    ]
}

/// A YAML service with random names, types (some unknown), cycles, enums and paths.
fn service_yaml() -> impl Strategy<Value = String> {
    let type_name = prop_oneof![
        1 => Just("Self".to_owned()),
        1 => Just("Option".to_owned()),
        1 => Just("Client".to_owned()),
        1 => Just("type".to_owned()),
        1 => Just("Box".to_owned()),
        4 => "[A-Z][a-zA-Z0-9_]{0,6}",
    ];
    proptest::collection::btree_set(type_name, 1..5).prop_map(|names| names.into_iter().collect::<Vec<_>>()).prop_flat_map(|type_names| {
        let field = (name(), type_expr(type_names.clone()), any::<bool>(), any::<bool>());
        let fields = proptest::collection::vec(field, 0..5);
        let members = proptest::collection::vec((name(), prop_oneof![name().prop_map(serde_yaml::Value::from), any::<i64>().prop_map(serde_yaml::Value::from)]), 0..4);
        let kinds = proptest::collection::vec((0u8..3, fields, members, any::<bool>(), type_expr(type_names.clone())), type_names.len());
        let scalar = prop_oneof![Just("string".to_owned()), Just("int64".to_owned()), Just("bool".to_owned()), Just("datetime".to_owned())];
        let param = (name(), prop_oneof![8 => Just("query"), 1 => Just("path"), 2 => Just("header")], prop_oneof![8 => scalar, 1 => type_expr(type_names.clone())], any::<bool>());
        let operation = (
            name(),
            prop_oneof![4 => Just("POST"), 2 => Just("PUT"), 1 => Just("GET"), 1 => Just("DELETE"), 1 => Just("BREW")],
            prop_oneof![8 => Just("/b".to_owned()), 1 => Just("/a/{id}".to_owned()), 1 => "/[a-z{}/]{0,10}"],
            proptest::collection::vec(param, 0..4),
            proptest::option::of(type_expr(type_names.clone())),
            proptest::collection::vec((prop_oneof![4 => Just(200u16), 1 => Just(201), 1 => Just(204), 1 => Just(404)], proptest::option::of(type_expr(type_names.clone()))), 1..3),
        );
        (Just(type_names), kinds, proptest::collection::vec(operation, 1..4), prop_oneof![4 => Just("svc".to_owned()), 1 => name()])
    })
    .prop_map(|(type_names, kinds, operations, service)| {
        use serde_yaml::{Mapping, Value};
        let mut types = Vec::new();
        for (type_name, (kind, fields, members, open, alias)) in type_names.iter().zip(kinds) {
            let mut entry = Mapping::new();
            entry.insert("name".into(), type_name.clone().into());
            match kind {
                0 => {
                    entry.insert("kind".into(), "object".into());
                    let fields: Vec<Value> = fields
                        .into_iter()
                        .map(|(name, ty, required, nullable)| {
                            let mut field = Mapping::new();
                            field.insert("name".into(), name.into());
                            field.insert("type".into(), ty.into());
                            field.insert("required".into(), required.into());
                            field.insert("nullable".into(), nullable.into());
                            field.insert("description".into(), "```\nfn x() {}\n``` <b>*/".into());
                            Value::Mapping(field)
                        })
                        .collect();
                    entry.insert("fields".into(), fields.into());
                }
                1 => {
                    entry.insert("kind".into(), "enum".into());
                    let integer = members.first().is_some_and(|(_, value)| value.is_i64());
                    entry.insert("repr".into(), if integer { "integer" } else { "string" }.into());
                    entry.insert("open".into(), open.into());
                    let members: Vec<Value> = members
                        .into_iter()
                        .map(|(name, value)| {
                            let mut member = Mapping::new();
                            member.insert("name".into(), name.into());
                            member.insert("value".into(), value);
                            Value::Mapping(member)
                        })
                        .collect();
                    entry.insert("members".into(), members.into());
                }
                _ => {
                    entry.insert("kind".into(), "alias".into());
                    entry.insert("type".into(), alias.into());
                }
            }
            types.push(Value::Mapping(entry));
        }
        let operations: Vec<Value> = operations
            .into_iter()
            .enumerate()
            .map(|(index, (name, method, path, params, body, responses))| {
                let mut op = Mapping::new();
                op.insert("id".into(), format!("g_{index}").into());
                op.insert("group".into(), "g".into());
                op.insert("name".into(), name.into());
                op.insert("method".into(), method.into());
                op.insert("path".into(), path.into());
                let params: Vec<Value> = params
                    .into_iter()
                    .map(|(name, location, ty, required)| {
                        let mut param = Mapping::new();
                        param.insert("name".into(), name.into());
                        param.insert("in".into(), location.into());
                        param.insert("type".into(), ty.into());
                        param.insert("required".into(), required.into());
                        Value::Mapping(param)
                    })
                    .collect();
                op.insert("params".into(), params.into());
                if let Some(body) = body {
                    let mut entry = Mapping::new();
                    entry.insert("type".into(), body.into());
                    op.insert("body".into(), Value::Mapping(entry));
                }
                let responses: Vec<Value> = responses
                    .into_iter()
                    .map(|(status, ty)| {
                        let mut response = Mapping::new();
                        response.insert("status".into(), u64::from(status).into());
                        if let Some(ty) = ty {
                            response.insert("type".into(), ty.into());
                        }
                        Value::Mapping(response)
                    })
                    .collect();
                op.insert("responses".into(), responses.into());
                Value::Mapping(op)
            })
            .collect();
        let mut root = Mapping::new();
        root.insert("service".into(), service.into());
        root.insert("title".into(), "Fuzz".into());
        root.insert("protocol".into(), "rest".into());
        root.insert("base_url".into(), "https://fuzz.example.com".into());
        let mut group = Mapping::new();
        group.insert("id".into(), "g".into());
        root.insert("groups".into(), vec![Value::Mapping(group)].into());
        root.insert("operations".into(), operations.into());
        root.insert("types".into(), types.into());
        serde_yaml::to_string(&Value::Mapping(root)).unwrap_or_default()
    })
}

#[test]
fn structured_random_specs_lower_and_render_or_are_rejected() {
    run("structured specs", 2000, service_yaml());
}

#[test]
fn mutated_real_specs_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for file in ["spec/visma_net.yaml", "spec/projector.yaml"] {
        let text = std::fs::read_to_string(root.join(file)).expect("the real spec is readable");
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let count = lines.len();
        let mutation = (0u8..4, 0..count, 0..count, any::<char>());
        let strategy = proptest::collection::vec(mutation, 1..6).prop_map(move |mutations| {
            let mut lines = lines.clone();
            for (kind, a, b, ch) in mutations {
                let (a, b) = (a % lines.len().max(1), b % lines.len().max(1));
                if lines.is_empty() {
                    break;
                }
                match kind {
                    0 => {
                        lines.remove(a);
                    }
                    1 => {
                        let copy = lines[a].clone();
                        lines.insert(b, copy);
                    }
                    2 => lines.swap(a, b),
                    _ => {
                        let line = &mut lines[a];
                        let at = line
                            .char_indices()
                            .nth(b % (line.chars().count() + 1))
                            .map(|(i, _)| i)
                            .unwrap_or(line.len());
                        line.insert(at, ch);
                    }
                }
            }
            lines.join("\n")
        });
        run(&format!("mutated {file}"), 150, strategy);
    }
}
