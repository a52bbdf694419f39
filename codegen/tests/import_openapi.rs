//! The OpenAPI/Swagger importer: fixtures to exact specs, references, reports, hostile input, and the corpus.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::import::openapi::{self, RefReader};
use codegen::import::{self, Document, Facts, Format, Imported};
use codegen::load::{self, SpecFile, SpecSet};
use codegen::spec::{CrateSpec, ServiceSpec};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import_fixtures/openapi")
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
/// `OPENAPI_CORPUS=/path/sample_openapi cargo test -p codegen --test import_openapi corpus -- --ignored --nocapture`.
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
