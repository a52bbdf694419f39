//! The OpenAPI importer's unions: `oneOf`/`anyOf` with a `discriminator` (with and without
//! `mapping`) become tagged unions, without one untagged unions, and what stays unmapped is
//! reported at its pointer.

use std::path::Path;

use codegen::import::openapi::{self, RefReader};

use crate::common;
use codegen::import::{self, Document};
use codegen::spec::{ServiceSpec, TypeSpec, UnionSpec};

struct NoDisk;

impl RefReader for NoDisk {
    fn read(&self, path: &Path) -> Result<String, String> {
        Err(format!("{} is not an input", path.display()))
    }
}

fn union<'s>(spec: &'s ServiceSpec, name: &str) -> &'s UnionSpec {
    match spec.types.iter().find(|ty| ty.name() == name) {
        Some(TypeSpec::Union(union)) => union,
        other => panic!("`{name}` is not a union: {other:#?}"),
    }
}

/// (name, tag, type) of each variant.
fn variants(union: &UnionSpec) -> Vec<(&str, Option<&str>, &str)> {
    union.variants.iter().map(|v| (v.name.as_str(), v.tag.as_deref(), v.ty.as_str())).collect()
}

#[test]
fn one_of_and_any_of_become_tagged_and_untagged_unions() {
    let name = "unions-openapi30.yaml";
    let path = common::test_data("import_fixtures/openapi").join(name);
    let text = std::fs::read_to_string(path).unwrap();
    let imported =
        openapi::import(&[Document::new(format!("tests/import_fixtures/openapi/{name}"), text)], "zoo", &NoDisk);
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    let spec = &imported.spec;

    let pet = union(spec, "Pet");
    assert_eq!((pet.discriminator.as_deref(), pet.open), (Some("petType"), true));
    // A tagged variant is named after its tag (the Rust name is `Cat`).
    assert_eq!(variants(pet), [("cat", Some("cat"), "Cat"), ("dog", Some("dog"), "Dog")]);
    // Without a mapping: the schema name, or the one value the variant's tag property may take.
    let animal = union(spec, "Animal");
    assert_eq!(variants(animal), [("Cat", Some("Cat"), "Cat"), ("bird", Some("bird"), "Bird")]);
    let setting = union(spec, "Setting");
    assert_eq!(setting.discriminator, None);
    assert_eq!(
        variants(setting),
        [
            ("int64", None, "int64"),
            ("datetime", None, "datetime"),
            ("string list", None, "list<string>"),
            ("Dog", None, "Dog")
        ]
    );
    // A mapping entry that names no alternative is reported; the alternative without an entry
    // takes its schema name.
    let mapped = union(spec, "Mapped");
    assert_eq!(variants(mapped), [("cat", Some("cat"), "Cat"), ("Dog", Some("Dog"), "Dog")]);
    // Inline alternatives that each fix `state`: tagged by it (inferred), and their objects leave
    // the tag out (the union writes and reads it), so no one-value enum type is made for it.
    let disk_state = union(spec, "DiskState");
    assert_eq!(disk_state.discriminator.as_deref(), Some("state"));
    assert_eq!(disk_state.inferred, ["discriminator"]);
    assert_eq!(
        variants(disk_state),
        [("creating", Some("creating"), "DiskStateCreating"), ("attached", Some("attached"), "DiskStateAttached")]
    );
    let fields = |name: &str| match spec.types.iter().find(|ty| ty.name() == name) {
        Some(TypeSpec::Object(object)) => object.fields.iter().map(|field| field.name.clone()).collect::<Vec<_>>(),
        other => panic!("`{name}` is not an object: {other:#?}"),
    };
    assert_eq!(fields("DiskStateAttached"), ["instance"]);
    assert!(fields("DiskStateCreating").is_empty());
    assert!(!spec.types.iter().any(|ty| ty.name().ends_with("State") && ty.name() != "DiskState"), "no tag enum");
    // A `$ref`'d variant may be used elsewhere: it keeps its tag property.
    assert!(fields("Cat").contains(&"petType".to_owned()));
    let origin = format!("{name}#/components/schemas/Mapped/discriminator/mapping/fish");
    let skipped = imported.report.skipped.iter().find(|s| s.origin == origin).unwrap_or_else(|| {
        panic!("nothing reported at {origin}: {:#?}", imported.report.skipped);
    });
    assert_eq!(skipped.construct, "discriminator mapping");
    assert!(skipped.reason.contains("not one of the alternatives"), "{}", skipped.reason);
    assert!(
        !imported.report.skipped.iter().any(|s| s.construct == "oneOf" || s.construct == "anyOf"),
        "no union is left as `json`: {:#?}",
        imported.report.skipped
    );

    // The import renders, reads back, lowers and generates.
    let header = import::render_yaml::header("cargo xtask import openapi", None);
    let yaml = import::render_yaml::render(spec, &header);
    common::in_snapshots("", || insta::assert_snapshot!("import_openapi_unions__openapi_unions", yaml));
    let dir = std::env::temp_dir().join(format!("openapi-unions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("crate.yaml"), "name: import-test\nversion: 0.1.0\ndescription: test\n").unwrap();
    std::fs::write(dir.join("zoo.yaml"), &yaml).unwrap();
    let files = codegen::generate_dir(&dir, "spec").unwrap_or_else(|error| panic!("{error}"));
    std::fs::remove_dir_all(&dir).unwrap();
    let types = files.iter().find(|file| file.path.ends_with("zoo/types.rs")).expect("a types module");
    assert!(types.contents.contains("pub enum Pet {"), "{}", types.contents);
}
