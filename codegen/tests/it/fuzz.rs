//! Property tests: random and mutated specs go through load, lower and emit. Nothing may
//! panic, and a spec that lowers must render to code that has no evident compile error (two
//! items of one name, a doc comment that breaks out of its line, an invalid cargo feature).
//! `accepted_specs_compile` also hands a sample of the specs that lowered to rustc and clippy,
//! with the SOAP specs (`spec/projector.yaml`, the SOAP fixture) and mutations of them that lower.
//! Each test prints how many cases it ran; `PROPTEST_CASES` changes the count, and
//! `FUZZ_COMPILE_SAMPLES` the compiled sample: `cargo test -p codegen --test it fuzz:: -- --nocapture`.
//! The default run draws from a fixed seed (see `common::proptest_config`), so CI repeats the same cases;
//! `FUZZ_RANDOM=1` (or `PROPTEST_RNG_SEED=<n>`) explores new ones.
//!
//! Inputs that found bugs are kept twice: proptest's seeds in `tests/fuzz_regressions/`
//! (replayed first by each run) and the failing spec texts in `tests/fuzz_seeds/`, which
//! `seeds_that_found_bugs_stay_fixed` runs whatever the strategies become.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use codegen::load::{parse, SpecFile, SpecSet};
use codegen::spec::{CrateSpec, ServiceSpec};
use codegen::GeneratedFile;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use serde_yaml::{Mapping, Value};

use crate::common;

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

/// Load → lower → emit on one service text: whether the spec got through `lower` (and so was
/// rendered), or how the pipeline broke its contract. A panic is left to the caller's runner.
fn run_pipeline(text: &str) -> Result<bool, String> {
    let Ok((set, _)) = codegen::load::load_text("spec/fuzz.yaml", text.to_owned(), Some(krate())) else {
        return Ok(false);
    };
    let model = match codegen::lower::lower(&set) {
        Ok(model) => model,
        Err(diagnostics) => {
            if std::env::var_os("FUZZ_REJECTIONS").is_some() {
                for diagnostic in &diagnostics.0 {
                    eprintln!("rejected: {}", diagnostic.message);
                }
            }
            return Ok(false);
        }
    };
    // A spec that lowers must render: tokens that do not parse panic, which the runner reports.
    let files = codegen::emit::generate(&model);
    check_output(&files)
        .map_err(|problem| format!("a spec that lowers must generate code that compiles:\n{problem}"))?;
    Ok(true)
}

/// Compile errors visible without a compiler: duplicate names in one scope, doc lines that
/// `common::check_doc_lines` refuses (text that left its `///` line, a code block rustdoc would
/// run), and cargo feature names cargo rejects.
fn check_output(files: &[GeneratedFile]) -> Result<(), String> {
    for file in files {
        let path = &file.path;
        if path == "Cargo.toml" {
            let features = file.contents.split("[features]\n").nth(1).unwrap_or_default();
            for line in features.lines().take_while(|line| !line.is_empty()) {
                let Some((key, _)) = line.split_once(" = ") else { continue };
                if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                    return Err(format!("Cargo.toml: invalid feature name `{key}`"));
                }
            }
        }
        if !common::is_generated_rust(file) {
            continue;
        }
        common::check_doc_lines(file)?;
        let parsed = syn::parse_file(&file.contents).map_err(|error| format!("{path}: {error}"))?;
        unique_names(&parsed.items).map_err(|problem| format!("{path}: {problem}"))?;
    }
    Ok(())
}

/// Item names of a module (type namespace and value namespace), methods of each type, enum
/// variants and struct fields must each be distinct.
fn unique_names(items: &[syn::Item]) -> Result<(), String> {
    fn insert(seen: &mut BTreeSet<String>, what: &str, name: String) -> Result<(), String> {
        if seen.insert(name.clone()) {
            Ok(())
        } else {
            Err(format!("{what} `{name}` is defined twice"))
        }
    }
    let mut types = BTreeSet::new();
    let mut values = BTreeSet::new();
    let mut methods = BTreeSet::new();
    for item in items {
        match item {
            syn::Item::Struct(item) => {
                insert(&mut types, "type", item.ident.to_string())?;
                let mut fields = BTreeSet::new();
                for field in &item.fields {
                    if let Some(name) = &field.ident {
                        insert(&mut fields, &format!("field of {}", item.ident), name.to_string())?;
                    }
                }
            }
            syn::Item::Enum(item) => {
                insert(&mut types, "type", item.ident.to_string())?;
                let mut variants = BTreeSet::new();
                for variant in &item.variants {
                    insert(&mut variants, &format!("variant of {}", item.ident), variant.ident.to_string())?;
                }
            }
            syn::Item::Type(item) => insert(&mut types, "type", item.ident.to_string())?,
            syn::Item::Mod(item) => insert(&mut types, "module", item.ident.to_string())?,
            syn::Item::Fn(item) => insert(&mut values, "function", item.sig.ident.to_string())?,
            syn::Item::Use(item) => {
                if let syn::UseTree::Path(path) = &item.tree {
                    if let syn::UseTree::Name(name) = path.tree.as_ref() {
                        insert(&mut types, "name", name.ident.to_string())?;
                    }
                }
            }
            syn::Item::Impl(item) if item.trait_.is_none() => {
                let self_ty = item.self_ty.as_ref();
                let owner = quote::ToTokens::to_token_stream(self_ty).to_string();
                for inner in &item.items {
                    match inner {
                        syn::ImplItem::Fn(method) => {
                            insert(&mut methods, "method", format!("{owner}::{}", method.sig.ident))?;
                        }
                        syn::ImplItem::Const(constant) => {
                            insert(&mut methods, "associated item", format!("{owner}::{}", constant.ident))?;
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn run(name: &str, default_cases: u32, strategy: impl Strategy<Value = String>) {
    let regressions = format!("tests/fuzz_regressions/{}.txt", name.replace(|c: char| !c.is_alphanumeric(), "_"));
    let persistence = FileFailurePersistence::Direct(Box::leak(regressions.into_boxed_str()));
    let config = Config { failure_persistence: Some(Box::new(persistence)), ..common::proptest_config(default_cases) };
    let cases = config.cases;
    let mut runner = TestRunner::new(config);
    let rendered = AtomicUsize::new(0);
    let result = runner.run(&strategy, |text| {
        if run_pipeline(&text).map_err(TestCaseError::fail)? {
            rendered.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{name}: {error}");
    }
    let rendered = rendered.into_inner();
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

/// Names that stress identifier policy: keywords, digits, non-ASCII, symbols, std names,
/// names of what the generator emits itself, and text that is hostile in a doc comment.
fn name() -> impl Strategy<Value = String> {
    let fixed = [
        "type",
        "self",
        "Self",
        "crate",
        "super",
        "gen",
        "async",
        "match",
        "Option",
        "Client",
        "Error",
        "Result",
        "None",
        "Other",
        "UnknownValue",
        "1st",
        "$filter",
        "If-Match",
        "visibleInAP",
        "名前",
        "Größe",
        "_",
        "",
        "client",
        "client_param",
        "body",
        "send",
        "new",
        "value",
        "types",
        "a`b",
        "x\ny",
        "*/",
        "[x]",
        "```",
    ];
    prop_oneof![
        3 => proptest::sample::select(fixed.to_vec()).prop_map(str::to_owned),
        6 => "[a-zA-Z][a-zA-Z0-9_$-]{0,8}",
        1 => "\\PC{1,6}",
        1 => any::<String>(),
    ]
}

/// Mostly `valid`; once in `1 + odds` cases `invalid` (a typo a person could make).
fn rarely<T: std::fmt::Debug + Clone + 'static>(
    odds: u32,
    valid: impl Strategy<Value = T> + 'static,
    invalid: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<T> {
    prop_oneof![odds => valid.boxed(), 1 => invalid.boxed()].boxed()
}

/// Descriptions and other free text.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("```\nfn x() { nope }\n```".to_owned()),
        Just("```rust\nlet x: u32 = \"\";".to_owned()),
        Just("*/ /* #[x] #![y] <b> <script> [x] [y][z] `a [l](https://e.com/a_(b)) https://e.com/(x)".to_owned()),
        Just("    indented code\n\n    more".to_owned()),
        Just("a\nb\r\nc\td\u{0}".to_owned()),
        "\\PC{0,30}",
        any::<String>(),
    ]
}

fn type_expr(names: Vec<String>) -> impl Strategy<Value = String> {
    let builtin = proptest::sample::select(vec![
        "string", "int32", "int64", "float", "double", "decimal", "bool", "date", "datetime", "uuid", "json", "etag",
        "secret", "binary",
    ])
    .prop_map(str::to_owned);
    let named = proptest::sample::select(if names.is_empty() { vec!["Missing".to_owned()] } else { names });
    let valid = prop_oneof![
        6 => builtin,
        3 => named.clone(),
        1 => named.clone().prop_map(|n| format!("list<{n}>")),
        1 => named.prop_map(|n| format!("map<{n}>")),
    ];
    rarely(200, valid, prop_oneof![Just("nonsense<".to_owned()), Just("Missing".to_owned()), Just(String::new())])
}

fn mapping(entries: Vec<(&str, Value)>) -> Value {
    let mut map = Mapping::new();
    for (key, value) in entries {
        if !value.is_null() {
            map.insert(key.into(), value);
        }
    }
    Value::Mapping(map)
}

fn optional(value: Option<String>) -> Value {
    value.map_or(Value::Null, Value::from)
}

/// A field, parameter or member description: usually none, sometimes hostile.
fn description() -> impl Strategy<Value = Option<String>> {
    proptest::option::weighted(0.3, text())
}

/// Usually none; else mostly a valid snake_case name, keywords included.
fn rust_name() -> impl Strategy<Value = Option<String>> {
    proptest::option::weighted(0.05, rarely(8, "(type|self|crate|gen|send|client|[a-z][a-z0-9_]{0,6})", name()))
}

fn field(type_names: Vec<String>) -> impl Strategy<Value = Value> {
    let default = proptest::option::weighted(
        0.15,
        prop_oneof![
            text().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            Just(serde_yaml::from_str::<Value>("{ a: 1, b: [x, \"y`\"] }").unwrap_or_default()),
        ],
    );
    (name(), type_expr(type_names), any::<(bool, bool, bool)>(), description(), rust_name(), default).prop_map(
        |(name, ty, (required, nullable, read_only), description, rust_name, default)| {
            mapping(vec![
                ("name", name.into()),
                ("type", ty.into()),
                ("required", required.into()),
                ("nullable", nullable.into()),
                ("read_only", read_only.into()),
                ("description", optional(description)),
                ("rust_name", optional(rust_name)),
                ("default", default.unwrap_or(Value::Null)),
            ])
        },
    )
}

fn type_def(type_name: String, type_names: Vec<String>) -> impl Strategy<Value = Value> {
    let fields = proptest::collection::vec(field(type_names.clone()), 0..5);
    let integer = any::<bool>();
    let members = integer.prop_flat_map(|integer| {
        let value = if integer {
            rarely(100, any::<i64>().prop_map(Value::from), name().prop_map(Value::from)).boxed()
        } else {
            rarely(100, name().prop_map(Value::from), any::<i64>().prop_map(Value::from)).boxed()
        };
        (Just(integer), proptest::collection::vec((name(), value, description()), 1..5))
    });
    // An alias of itself is a cycle `lower` rejects; keep it rare.
    let others: Vec<String> = type_names.iter().filter(|name| **name != type_name).cloned().collect();
    let alias = rarely(30, type_expr(others.clone()), type_expr(type_names));
    // Tagged (with a discriminator and a tag per variant) or untagged; variants of any type.
    let union = (proptest::collection::vec((name(), type_expr(others)), 1..4), proptest::option::of(name()));
    (0u8..4, fields, members, any::<bool>(), alias, description(), union).prop_map(
        move |(kind, fields, (integer, members), open, alias, description, (variants, discriminator))| {
            let name = Value::from(type_name.clone());
            match kind {
                0 => mapping(vec![
                    ("kind", "object".into()),
                    ("name", name),
                    ("description", optional(description)),
                    ("fields", fields.into()),
                ]),
                1 => {
                    let members: Vec<Value> = members
                        .into_iter()
                        .map(|(name, value, description)| {
                            mapping(vec![
                                ("name", name.into()),
                                ("value", value),
                                ("description", optional(description)),
                            ])
                        })
                        .collect();
                    mapping(vec![
                        ("kind", "enum".into()),
                        ("name", name),
                        ("repr", if integer { "integer" } else { "string" }.into()),
                        ("open", open.into()),
                        ("members", members.into()),
                    ])
                }
                2 => mapping(vec![("kind", "alias".into()), ("name", name), ("type", alias.into())]),
                _ => {
                    let tagged = discriminator.is_some();
                    let variants: Vec<Value> = variants
                        .into_iter()
                        .map(|(variant, ty)| {
                            let tag = if tagged { Value::from(variant.clone()) } else { Value::Null };
                            mapping(vec![("name", variant.into()), ("tag", tag), ("type", ty.into())])
                        })
                        .collect();
                    mapping(vec![
                        ("kind", "union".into()),
                        ("name", name),
                        ("discriminator", optional(discriminator)),
                        ("open", open.into()),
                        ("variants", variants.into()),
                    ])
                }
            }
        },
    )
}

fn param(type_names: Vec<String>) -> impl Strategy<Value = Value> {
    let scalar = proptest::sample::select(vec!["string", "int64", "bool", "datetime", "etag", "list<string>"])
        .prop_map(str::to_owned);
    let location = prop_oneof![8 => Just("query"), 2 => Just("path"), 2 => Just("header")];
    let ty = rarely(20, scalar, type_expr(type_names));
    // Header and path parameter names are what HTTP and URL templates allow.
    let restricted = rarely(30, "[A-Za-z][A-Za-z0-9_-]{0,8}", name());
    (location, name(), restricted, ty, any::<bool>(), description(), rust_name()).prop_map(
        |(location, name, restricted, ty, required, description, rust_name)| {
            let name = if location == "query" { name } else { restricted };
            mapping(vec![
                ("name", name.into()),
                ("in", location.into()),
                ("type", ty.into()),
                ("required", (required || location == "path").into()),
                ("description", optional(description)),
                ("rust_name", optional(rust_name)),
            ])
        },
    )
}

fn operation(type_names: Vec<String>, group_count: usize) -> impl Strategy<Value = Value> {
    let method = rarely(
        100,
        prop_oneof![4 => Just("POST"), 2 => Just("PUT"), 2 => Just("GET"), 1 => Just("DELETE"), 1 => Just("patch")],
        Just("BREW"),
    );
    // Usually the path holds exactly the path parameters; sometimes it is arbitrary.
    let path = rarely(20, Just(None), prop_oneof![Just("/a`b/<c> d".to_owned()), "/[a-z{}/`]{0,10}"].prop_map(Some));
    let statuses =
        rarely(30, proptest::sample::subsequence(vec![200u16, 201, 202, 204, 206, 299], 1..3), Just(vec![200u16, 404]));
    let response = (proptest::option::of(type_expr(type_names.clone())), proptest::collection::vec(name(), 0..2));
    let error_status = prop_oneof![Just(Value::from(404u64)), Just(Value::from(500u64)), Just(Value::from("default"))];
    let error = (error_status, proptest::option::of(type_expr(type_names.clone())))
        .prop_map(|(status, ty)| mapping(vec![("status", status), ("type", optional(ty))]));
    (
        (0..group_count, proptest::option::weighted(0.7, name()), method, path),
        proptest::collection::vec(param(type_names.clone()), 0..4),
        proptest::option::weighted(0.4, (type_expr(type_names), any::<bool>())),
        (statuses, proptest::collection::vec(response, 3)),
        proptest::collection::vec(error, 0..2),
        (description(), description(), proptest::option::weighted(0.1, text())),
    )
        .prop_map(
            |(
                (group, name, method, path),
                params,
                body,
                (statuses, responses),
                errors,
                (summary, description, source_id),
            )| {
                let path = path.unwrap_or_else(|| {
                    let mut path = "/b".to_owned();
                    for param in &params {
                        if param.get("in").and_then(Value::as_str) == Some("path") {
                            path.push_str(&format!(
                                "/{{{}}}",
                                param.get("name").and_then(Value::as_str).unwrap_or_default()
                            ));
                        }
                    }
                    path
                });
                let body = match body {
                    Some((ty, required)) if method != "GET" => {
                        mapping(vec![("type", ty.into()), ("required", required.into())])
                    }
                    _ => Value::Null,
                };
                let responses: Vec<Value> = statuses
                    .into_iter()
                    .zip(responses)
                    .map(|(status, (ty, headers))| {
                        let headers = if headers.is_empty() { Value::Null } else { headers.into() };
                        mapping(vec![
                            ("status", u64::from(status).into()),
                            ("type", optional(ty)),
                            ("headers", headers),
                        ])
                    })
                    .collect();
                mapping(vec![
                    ("group", Value::from(group as u64)),
                    ("name", optional(name)),
                    ("method", method.into()),
                    ("path", path.into()),
                    ("summary", optional(summary)),
                    ("description", optional(description)),
                    ("source_id", optional(source_id)),
                    ("params", params.into()),
                    ("body", body),
                    ("responses", responses.into()),
                    ("errors", errors.into()),
                ])
            },
        )
}

/// A YAML service with random names, types (some unknown), cycles, enums, paths and docs.
fn service_yaml() -> impl Strategy<Value = String> {
    let type_name = prop_oneof![
        1 => proptest::sample::select(vec!["Self", "Option", "Client", "type", "Box", "Vec", "Größe", "_", "OrdersApi", "名前"]).prop_map(str::to_owned),
        4 => "[A-Z][a-zA-Z0-9_]{0,6}",
    ];
    let group_id = rarely(
        30,
        prop_oneof![4 => Just("g".to_owned()), 1 => Just("orders".to_owned()), 1 => Just("type".to_owned()), 1 => "[a-z]{1,4}(_[a-z]{1,3})?"],
        proptest::sample::select(vec!["types", "new", "self", "base_url", "http", "Orders"]).prop_map(str::to_owned),
    );
    let service_id = rarely(
        20,
        prop_oneof![Just("svc".to_owned()), Just("self".to_owned()), "[a-z]{1,4}(_[a-z]{1,3})?"],
        prop_oneof![
            proptest::sample::select(vec!["type", "runtime", "default", "crate"]).prop_map(str::to_owned),
            name()
        ],
    );
    let base_url = rarely(
        20,
        prop_oneof![
            Just("https://fuzz.example.com".to_owned()),
            Just("http://fuzz.example.com:8080/api/v1/".to_owned())
        ],
        prop_oneof![
            Just("https://fuzz.example.com/a>b <c>".to_owned()),
            "https?://[a-z.`<>\\[\\]]{0,12}(/[a-z?#]{0,5})?"
        ],
    );
    let groups =
        proptest::collection::btree_set(group_id, 1..3).prop_map(|groups| groups.into_iter().collect::<Vec<_>>());
    proptest::collection::btree_set(type_name, 1..5)
        .prop_map(|names| names.into_iter().collect::<Vec<_>>())
        .prop_flat_map(move |type_names| {
            let types: Vec<_> = type_names.iter().map(|name| type_def(name.clone(), type_names.clone())).collect();
            (types, groups.clone(), Just(type_names))
        })
        .prop_flat_map(move |(types, groups, type_names)| {
            let operations = proptest::collection::vec(operation(type_names, groups.len()), 1..4);
            (Just(types), Just(groups), operations, service_id.clone(), base_url.clone(), (text(), description()))
        })
        .prop_map(|(types, groups, operations, service, base_url, (title, description))| {
            let operations: Vec<Value> = operations
                .into_iter()
                .enumerate()
                .map(|(index, mut operation)| {
                    // The strategy picks a group by index; the spec names it.
                    if let Value::Mapping(map) = &mut operation {
                        let group = map.get("group").and_then(Value::as_u64).unwrap_or_default() as usize;
                        let group = groups.get(group).cloned().unwrap_or_default();
                        map.insert("id".into(), format!("{group}_{index}").into());
                        map.insert("group".into(), group.into());
                    }
                    operation
                })
                .collect();
            let groups: Vec<Value> = groups.into_iter().map(|id| mapping(vec![("id", id.into())])).collect();
            let root = mapping(vec![
                ("service", service.into()),
                ("title", title.into()),
                ("description", optional(description)),
                ("protocol", "rest".into()),
                ("base_url", base_url.into()),
                ("groups", groups.into()),
                ("operations", operations.into()),
                ("types", types.into()),
            ]);
            serde_yaml::to_string(&root).unwrap_or_default()
        })
}

#[test]
fn structured_random_specs_lower_and_render_or_are_rejected() {
    run("structured specs", 2000, service_yaml());
}

/// `text` with one to five line mutations: a line removed, copied elsewhere, two swapped, or a
/// character inserted.
fn line_mutations(text: &str) -> impl Strategy<Value = String> {
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let count = lines.len().max(1);
    let mutation = (0u8..4, 0..count, 0..count, any::<char>());
    proptest::collection::vec(mutation, 1..6).prop_map(move |mutations| {
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
                    let at =
                        line.char_indices().nth(b % (line.chars().count() + 1)).map(|(i, _)| i).unwrap_or(line.len());
                    line.insert(at, ch);
                }
            }
        }
        lines.join("\n")
    })
}

#[test]
fn mutated_real_specs_never_panic() {
    let root = common::workspace();
    for file in ["spec/visma_net.yaml", "spec/projector.yaml", "codegen/tests/fixtures/names.yaml"] {
        let text = std::fs::read_to_string(root.join(file)).expect("the spec is readable");
        let strategy = line_mutations(&text);
        run(&format!("mutated {file}"), 150, strategy);
    }
}

#[test]
fn seeds_that_found_bugs_stay_fixed() {
    let seeds = common::test_data("fuzz_seeds");
    let mut paths: Vec<_> =
        std::fs::read_dir(&seeds).expect("tests/fuzz_seeds").map(|entry| entry.expect("entry").path()).collect();
    paths.sort();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("seed is readable");
        if let Err(problem) = run_pipeline(&text) {
            panic!("{}: {problem}", path.display());
        }
    }
    eprintln!("{} seeds that once found bugs: no panic", paths.len());
}

// What lowers, compiles: accepted specs are generated as modules of one crate and checked by
// rustc. Parameter locations × type shapes get a strategy of their own, because a parameter
// type that cannot be written into its location is the usual way a spec got through `lower`
// and then failed to compile.

/// The named types of every parameter-matrix spec: one of each kind a parameter can name.
const MATRIX_TYPES: &str = r#"
- { kind: enum, name: Color, repr: string, members: [ { name: Red, value: red }, { name: Blue, value: "b-l/ue" } ] }
- { kind: enum, name: Mood, repr: string, open: true, members: [ { name: Glad, value: glad } ] }
- { kind: enum, name: Level, repr: integer, members: [ { name: Low, value: 1 }, { name: High, value: 9 } ] }
- { kind: enum, name: Code, repr: integer, open: true, members: [] }
- { kind: alias, name: Id, type: int64 }
- { kind: alias, name: Name, type: string }
- { kind: alias, name: Tint, type: Color }
- { kind: alias, name: Ids, type: "list<int32>" }
- { kind: alias, name: Blob, type: json }
- { kind: alias, name: ItemRef, type: Item }
- { kind: union, name: Pick, discriminator: kind, open: true, variants: [ { name: Item, tag: item, type: Item } ] }
- { kind: union, name: Either, variants: [ { name: Id, type: Id }, { name: Names, type: "list<Name>" }, { name: Pick, type: Pick } ] }
- kind: object
  name: Item
  fields:
    - { name: name, type: string, required: true }
    - { name: price, type: double }
    - { name: tags, type: "list<Name>" }
    - { name: child, type: Item }
    - { name: extra, type: "map<Blob>", required: true, nullable: true }
- kind: object
  name: Flat
  fields:
    - { name: name, type: string, required: true }
    - { name: size, type: int32 }
    - { name: color, type: Tint }
    - { name: at, type: datetime, nullable: true }
    - { name: amount, type: decimal }
"#;

const MATRIX_LEAVES: &[&str] = &[
    "string", "int32", "int64", "float", "double", "decimal", "bool", "date", "datetime", "uuid", "json", "etag",
    "secret", "binary", "Color", "Mood", "Level", "Code", "Id", "Name", "Tint", "Ids", "Blob", "Item", "ItemRef",
    "Pick", "Either", "Flat",
];

/// Every parameter location with each `style` it may be given (`None`: no `style` key).
const MATRIX_PLACES: &[(&str, Option<&str>)] = &[
    ("path", None),
    ("query", None),
    ("query", Some("repeat")),
    ("query", Some("comma")),
    ("query", Some("space")),
    ("query", Some("pipe")),
    ("query", Some("deep_object")),
    ("header", None),
    ("cookie", None),
];

/// Every type expression shape over the matrix leaves: `T`, `list<T>`, `map<T>`, nested lists.
fn matrix_type() -> impl Strategy<Value = String> {
    let leaf = proptest::sample::select(MATRIX_LEAVES.to_vec()).prop_map(str::to_owned);
    leaf.prop_recursive(3, 8, 1, |inner| {
        prop_oneof![
            3 => inner.clone().prop_map(|t| format!("list<{t}>")),
            1 => inner.prop_map(|t| format!("map<{t}>")),
        ]
    })
}

/// A parameter: mostly of a type its location can carry (so that whole specs get through
/// `lower` often enough to compile), else of any shape.
fn matrix_param() -> impl Strategy<Value = ((&'static str, Option<&'static str>), String, bool)> {
    let place = proptest::sample::select(MATRIX_PLACES.to_vec());
    (place, any::<bool>()).prop_flat_map(|((location, style), required)| {
        let fitting: Vec<String> = MATRIX_LEAVES
            .iter()
            .flat_map(|leaf| [leaf.to_string(), format!("list<{leaf}>"), format!("map<{leaf}>")])
            .filter(|ty| param_fits(location, style, ty))
            .collect();
        let ty = prop_oneof![3 => proptest::sample::select(fitting), 1 => matrix_type().boxed()];
        (Just((location, style)), ty, Just(required))
    })
}

fn matrix_operation() -> impl Strategy<Value = Value> {
    let param = matrix_param();
    let method = prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("PATCH"), Just("DELETE")];
    let body = proptest::option::weighted(0.5, (matrix_type(), any::<bool>()));
    let statuses = proptest::sample::subsequence(vec![200u16, 201, 204], 1..3);
    let response_types = proptest::collection::vec(proptest::option::of(matrix_type()), 3);
    let error = proptest::option::weighted(0.5, (proptest::option::of(matrix_type()), any::<bool>()));
    (method, proptest::collection::vec(param, 0..4), body, statuses, response_types, error).prop_map(
        |(method, params, body, statuses, response_types, error)| {
            let mut path = "/r".to_owned();
            let params: Vec<Value> = params
                .into_iter()
                .enumerate()
                .map(|(index, ((location, style), ty, required))| {
                    let name = match location {
                        "path" => {
                            path.push_str(&format!("/{{p{index}}}"));
                            format!("p{index}")
                        }
                        "header" => format!("X-H{index}"),
                        "cookie" => format!("c{index}"),
                        _ => format!("q{index}"),
                    };
                    let mut keys = vec![
                        ("name", name.into()),
                        ("in", location.into()),
                        ("type", ty.into()),
                        ("required", (required || location == "path").into()),
                    ];
                    keys.extend(style.map(|style| ("style", style.into())));
                    mapping(keys)
                })
                .collect();
            let body = match body {
                Some((ty, required)) if method != "GET" => {
                    mapping(vec![("type", ty.into()), ("required", required.into())])
                }
                _ => Value::Null,
            };
            let responses: Vec<Value> = statuses
                .into_iter()
                .zip(response_types)
                .map(|(status, ty)| {
                    let ty = if status == 204 { None } else { ty };
                    mapping(vec![("status", u64::from(status).into()), ("type", optional(ty))])
                })
                .collect();
            // Typed errors of one operation share one body type.
            let errors: Vec<Value> = match error {
                None => Vec::new(),
                Some((ty, with_default)) => {
                    let mut statuses = vec![Value::from(404u64)];
                    if with_default {
                        statuses.push("default".into());
                    }
                    statuses
                        .into_iter()
                        .map(|status| mapping(vec![("status", status), ("type", optional(ty.clone()))]))
                        .collect()
                }
            };
            mapping(vec![
                ("group", "g".into()),
                ("method", method.into()),
                ("path", path.into()),
                ("params", params.into()),
                ("body", body),
                ("responses", responses.into()),
                ("errors", errors.into()),
            ])
        },
    )
}

/// A service whose operations take parameters of every location and type shape, and bodies and
/// answers of every type shape.
fn param_matrix_yaml() -> impl Strategy<Value = String> {
    proptest::collection::vec(matrix_operation(), 1..4).prop_map(|operations| {
        let operations: Vec<Value> = operations
            .into_iter()
            .enumerate()
            .map(|(index, mut operation)| {
                if let Value::Mapping(map) = &mut operation {
                    map.insert("id".into(), format!("g_op{index}").into());
                }
                operation
            })
            .collect();
        let types: Value = serde_yaml::from_str(MATRIX_TYPES).expect("the matrix types are YAML");
        let root = mapping(vec![
            ("service", "matrix".into()),
            ("title", "Parameter matrix".into()),
            ("protocol", "rest".into()),
            ("base_url", "https://matrix.example.com".into()),
            ("groups", vec![mapping(vec![("id", "g".into())])].into()),
            ("operations", operations.into()),
            ("types", types),
        ]);
        serde_yaml::to_string(&root).unwrap_or_default()
    })
}

/// An accepted spec to compile, and where it came from (shown when it fails).
struct Sample {
    origin: String,
    text: String,
}

/// Runs a strategy like `run` does, and keeps up to `keep` of the specs that lowered.
fn accepted_samples(
    name: &str,
    default_cases: u32,
    keep: usize,
    strategy: impl Strategy<Value = String>,
) -> Vec<Sample> {
    let kept = std::sync::Mutex::new(Vec::new());
    let lowered = AtomicUsize::new(0);
    let config = common::proptest_config(default_cases);
    let cases = config.cases;
    let result = TestRunner::new(config).run(&strategy, |text| {
        if run_pipeline(&text).map_err(TestCaseError::fail)? {
            lowered.fetch_add(1, Ordering::Relaxed);
            let mut kept = kept.lock().expect("not poisoned");
            if kept.len() < keep {
                let origin = format!("{name} #{}", kept.len());
                kept.push(Sample { origin, text });
            }
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{name}: {error}");
    }
    let kept = kept.into_inner().expect("not poisoned");
    eprintln!("{name}: {cases} cases, no panic ({} lowered, {} of them compiled)", lowered.into_inner(), kept.len());
    kept
}

/// Whether the test matrix expects `lower` to accept a parameter of this type in this location
/// with this `style`: the types with one text form (scalar builtins, enums, aliases of those),
/// in the query or a header also a list of them; a list only for the joining styles, and a map
/// of scalars or an object of scalar fields (`Flat`) for `deep_object`. This is the rule
/// `spec/README.md` states.
fn param_fits(location: &str, style: Option<&str>, ty: &str) -> bool {
    let scalar = |ty: &str| {
        !["json", "secret", "binary", "Ids", "Blob", "Item", "ItemRef", "Pick", "Either", "Flat"].contains(&ty)
            && MATRIX_LEAVES.contains(&ty)
    };
    let inner = |prefix: &str| ty.strip_prefix(prefix).and_then(|ty| ty.strip_suffix('>'));
    let list_of_scalars = inner("list<").is_some_and(scalar);
    match (location, style) {
        ("query", Some("deep_object")) => ty == "Flat" || inner("map<").is_some_and(scalar),
        ("query", Some("comma" | "space" | "pipe")) => list_of_scalars,
        ("query", None | Some("repeat")) | ("header", None) => scalar(ty) || list_of_scalars,
        ("path" | "cookie", None) => scalar(ty),
        _ => false,
    }
}

/// Every location × every type shape up to one level of nesting, each decided by `lower` alone;
/// the accepted ones become one spec (an operation per parameter) to compile.
fn param_matrix_samples() -> Result<Vec<Sample>, String> {
    let mut shapes: Vec<String> = Vec::new();
    for leaf in MATRIX_LEAVES {
        shapes.extend([leaf.to_string(), format!("list<{leaf}>"), format!("map<{leaf}>")]);
    }
    shapes.extend(["list<list<string>>".to_owned(), "list<map<string>>".to_owned()]);
    let spec = |params: &[(String, &str, Option<&str>, String, bool)]| {
        let types: Value = serde_yaml::from_str(MATRIX_TYPES).expect("the matrix types are YAML");
        let operations: Vec<Value> = params
            .iter()
            .enumerate()
            .map(|(index, (name, location, style, ty, required))| {
                let path = if *location == "path" { format!("/r/{{{name}}}") } else { "/r".to_owned() };
                let mut keys = vec![
                    ("name", name.clone().into()),
                    ("in", (*location).into()),
                    ("type", ty.clone().into()),
                    ("required", (*required).into()),
                ];
                keys.extend(style.map(|style| ("style", style.into())));
                let param = mapping(keys);
                mapping(vec![
                    ("id", format!("g_op{index}").into()),
                    ("group", "g".into()),
                    ("method", "GET".into()),
                    ("path", path.into()),
                    ("params", vec![param].into()),
                    ("responses", vec![mapping(vec![("status", 204u64.into())])].into()),
                ])
            })
            .collect();
        let root = mapping(vec![
            ("service", "matrix".into()),
            ("title", "Parameter matrix".into()),
            ("protocol", "rest".into()),
            ("base_url", "https://matrix.example.com".into()),
            ("groups", vec![mapping(vec![("id", "g".into())])].into()),
            ("operations", operations.into()),
            ("types", types),
        ]);
        serde_yaml::to_string(&root).unwrap_or_default()
    };
    let mut wrong = Vec::new();
    let mut samples = Vec::new();
    for &(location, style) in MATRIX_PLACES {
        let mut accepted = Vec::new();
        let place = match style {
            Some(style) => format!("{location} `style: {style}`"),
            None => location.to_owned(),
        };
        for ty in &shapes {
            let name = if location == "header" { "X-Value" } else { "value" }.to_owned();
            let one = [(name.clone(), location, style, ty.clone(), true)];
            let lowered = run_pipeline(&spec(&one))?;
            if lowered != param_fits(location, style, ty) {
                wrong.push(format!("{place} `{ty}`: {}", if lowered { "accepted" } else { "refused" }));
            }
            if lowered {
                accepted.push((format!("{name}{}", accepted.len() / 2), location, style, ty.clone(), true));
                if location != "path" {
                    accepted.push((format!("{name}{}", accepted.len() / 2), location, style, ty.clone(), false));
                }
            }
        }
        samples.push(Sample { origin: format!("parameter matrix, {place}"), text: spec(&accepted) });
    }
    if wrong.is_empty() {
        Ok(samples)
    } else {
        Err(format!("`lower` decides these parameters against the rule of spec/README.md:\n{}", wrong.join("\n")))
    }
}

/// Generates every sample as a service module of one crate and runs `cargo check` on it, offline
/// with the workspace's `Cargo.lock`, in the target folder `diff_compile.rs` uses (so the
/// dependencies are built once for both). Fails with the specs rustc refused.
fn check_samples_compile(samples: &[Sample]) -> Result<(), String> {
    let services = samples
        .iter()
        .enumerate()
        .map(|(index, sample)| {
            let mut spec = parse::<ServiceSpec>("spec/fuzz.yaml", &sample.text).map_err(|error| error.to_string())?;
            spec.service = format!("sample_{index}");
            Ok(SpecFile { file: format!("spec/sample_{index}.yaml"), spec })
        })
        .collect::<Result<Vec<_>, String>>()?;
    // A pre-release version with build metadata, which cargo must accept as well.
    let mut krate = krate();
    krate.spec.name = "fuzz-samples".to_owned();
    krate.spec.version = "0.1.0-fuzz.1+compiled".to_owned();
    let model = codegen::lower::lower(&SpecSet { krate, services }).map_err(|error| error.to_string())?;
    let files = codegen::emit::generate(&model);

    let target = common::workspace().join("target/diff-compile");
    let dir = target.join("fuzz-samples");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    for file in &files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("a parent")).map_err(|error| error.to_string())?;
        let contents =
            if file.path == "Cargo.toml" { format!("{}\n[workspace]\n", file.contents) } else { file.contents.clone() };
        std::fs::write(&path, contents).map_err(|error| format!("{}: {error}", path.display()))?;
    }
    std::fs::copy(common::workspace().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|error| error.to_string())?;
    // Clippy's lints too, as CI applies them to the generated crates; plain `check` where clippy
    // is not installed. Clippy builds the dependencies like `check`, so they are shared.
    let clippy = std::process::Command::new(env!("CARGO"))
        .args(["clippy", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    let output = std::process::Command::new(env!("CARGO"))
        // All features: the `blocking` and `mock` modules must compile for every accepted spec too.
        .args([if clippy { "clippy" } else { "check" }, "--offline", "--all-features", "--message-format", "short"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .map_err(|error| format!("cargo does not run: {error}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Warnings count: the generated crates are built with `-D warnings`.
    let problems: Vec<&str> =
        stderr.lines().filter(|line| line.starts_with("src/") || line.starts_with("error")).collect();
    if output.status.success() && problems.is_empty() {
        return Ok(());
    }
    // A problem in a sample's module names it; one in `lib.rs` is on the line that lists it.
    let lib_rs = files.iter().find(|file| file.path == "src/lib.rs").map(|file| file.contents.as_str());
    let lib_lines: Vec<&str> = lib_rs.unwrap_or_default().lines().collect();
    let mut failing = BTreeSet::new();
    for line in &problems {
        let at_lib_line = line
            .strip_prefix("src/lib.rs:")
            .and_then(|rest| rest.split(':').next()?.parse::<usize>().ok())
            .and_then(|number| lib_lines.get(number.checked_sub(1)?))
            .and_then(|text| text.split("sample_").nth(1));
        let sample = line.strip_prefix("src/sample_").or(at_lib_line);
        if let Some(index) = sample.and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()) {
            failing.extend(index.parse::<usize>().ok());
        }
    }
    let mut report = String::from("a spec that lowers must generate code that compiles:\n");
    for index in &failing {
        let sample = &samples[*index];
        report.push_str(&format!("\n--- sample_{index} ({}):\n{}\n", sample.origin, sample.text));
    }
    report.push_str(&format!("\n--- rustc (the crate is in {}):\n", dir.display()));
    for line in stderr.lines().take(200) {
        report.push_str(line);
        report.push('\n');
    }
    Err(report)
}

/// The SOAP specs compiled as written and in mutations that still lower.
const SOAP_SPECS: &[&str] = &["spec/projector.yaml", "codegen/tests/fixtures/soap.yaml"];

/// `FUZZ_COMPILE_SAMPLES` scales the random samples (default 60).
#[test]
fn accepted_specs_compile() {
    let random = std::env::var("FUZZ_COMPILE_SAMPLES").ok().and_then(|n| n.parse().ok()).unwrap_or(60usize);
    let started = std::time::Instant::now();
    let mut samples = param_matrix_samples().unwrap_or_else(|problem| panic!("{problem}"));
    let matrix = samples.len();
    let seeds = common::test_data("fuzz_seeds");
    let mut paths: Vec<_> =
        std::fs::read_dir(&seeds).expect("tests/fuzz_seeds").map(|entry| entry.expect("entry").path()).collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("seed is readable");
        if run_pipeline(&text).unwrap_or(false) {
            samples.push(Sample { origin: path.display().to_string(), text });
        }
    }
    let seeds = samples.len() - matrix;
    // The SOAP services, as written and mutated: their emitters (envelopes, the session, the
    // redirect check) are only reached from SOAP specs, which the random strategies do not write.
    for file in SOAP_SPECS {
        let text = std::fs::read_to_string(common::workspace().join(file)).expect("the spec is readable");
        assert!(run_pipeline(&text).unwrap_or_else(|problem| panic!("{file}: {problem}")), "{file} lowers");
        samples.push(Sample { origin: (*file).to_owned(), text: text.clone() });
        samples.extend(accepted_samples(&format!("mutated {file}"), 200, random / 12, line_mutations(&text)));
    }
    let soap = samples.len() - matrix - seeds;
    let params = accepted_samples("parameter specs", 150, random * 2 / 3, param_matrix_yaml());
    let params_count = params.len();
    samples.extend(params);
    let structured = accepted_samples("structured specs", 300, random / 3, service_yaml());
    let structured_count = structured.len();
    samples.extend(structured);
    let generated = started.elapsed();
    if let Err(problem) = check_samples_compile(&samples) {
        panic!("{problem}");
    }
    eprintln!(
        "compiled {} accepted specs as one crate ({matrix} parameter-matrix services, {seeds} seeds, \
         {soap} SOAP specs and mutations of them, {params_count} random parameter specs, \
         {structured_count} structured specs): generated in {:.1} s, \
         checked by rustc in {:.1} s",
        samples.len(),
        generated.as_secs_f64(),
        (started.elapsed() - generated).as_secs_f64()
    );
}
