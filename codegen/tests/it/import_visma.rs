//! The proof on the Visma seeds: importing `spec/sources/visma_net/` with its facts and the
//! overlay gives the hand-written spec back (semantically, by `codegen::diff`), and without facts
//! the import says exactly which wire names it guessed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::import::{self, Document, Facts, Overlay};
use codegen::load::{SpecFile, SpecSet};
use codegen::spec::{CrateSpec, ServiceSpec, TypeSpec};

use crate::common::workspace as root;

/// Every file below `dir`, in name order, as a document named by its path below the workspace.
fn documents(dir: &str) -> Vec<Document> {
    fn walk(path: &Path, out: &mut Vec<PathBuf>) {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> =
                std::fs::read_dir(path).unwrap().map(|entry| entry.unwrap().path()).collect();
            entries.sort();
            entries.iter().for_each(|entry| walk(entry, out));
        } else {
            out.push(path.to_path_buf());
        }
    }
    let mut files = Vec::new();
    walk(&root().join(dir), &mut files);
    files
        .into_iter()
        .map(|file| {
            let shown = file.strip_prefix(root()).unwrap().display().to_string();
            Document::new(shown, std::fs::read_to_string(&file).unwrap())
        })
        .collect()
}

fn visma_docs() -> Vec<Document> {
    let mut docs = documents("spec/sources/visma_net/api");
    docs.extend(documents("spec/sources/visma_net/models"));
    docs
}

fn visma_facts() -> Facts {
    Facts::read(&documents("spec/sources/visma_net/facts")).expect("the facts read")
}

fn overlay() -> Overlay {
    let path = "spec/overlays/visma_net.yaml";
    Overlay::parse(&Document::new(path, std::fs::read_to_string(root().join(path)).unwrap()))
        .expect("the overlay parses")
}

fn format() -> &'static dyn import::Format {
    import::format("openapi-generator-md").expect("the format is registered")
}

fn lower(spec: ServiceSpec) -> codegen::model::Model {
    let krate =
        CrateSpec { name: "api-clients".into(), version: "0.1.0".into(), description: "x".into(), license: None };
    let set = SpecSet {
        krate: SpecFile { file: "crate.yaml".into(), spec: krate },
        services: vec![SpecFile { file: "spec/visma_net.yaml".into(), spec }],
    };
    codegen::lower::lower(&set).unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
}

#[test]
fn the_committed_spec_is_the_import_of_its_documents() {
    let outcome = import::run(
        format(),
        &visma_docs(),
        &visma_facts(),
        "visma_net",
        Some(&overlay()),
        "cargo xtask import openapi-generator-md",
    )
    .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    assert!(outcome.problems.is_empty(), "{}", outcome.problems);
    let committed = std::fs::read_to_string(root().join("spec/visma_net.yaml")).unwrap();
    assert!(
        outcome.yaml == committed,
        "spec/visma_net.yaml is not the import of spec/sources/visma_net/: run `cargo xtask import openapi-generator-md spec/sources/visma_net/api spec/sources/visma_net/models --service visma_net --facts spec/sources/visma_net/facts` and commit"
    );
}

#[test]
fn the_import_with_facts_and_overlay_is_the_hand_written_spec() {
    let outcome = import::run(format(), &visma_docs(), &visma_facts(), "visma_net", Some(&overlay()), "test").unwrap();
    let hand_text = std::fs::read_to_string(root().join("codegen/tests/import_fixtures/visma_net.hand.yaml")).unwrap();
    let hand: ServiceSpec = codegen::load::parse("visma_net.hand.yaml", &hand_text).unwrap();
    let mut imported = outcome.spec.clone();
    imported.strip_provenance();
    let report = codegen::diff::diff(&lower(hand), &lower(imported));
    let changes: Vec<String> = report.changes.iter().map(|change| format!("{change:?}")).collect();
    assert!(changes.is_empty(), "the import differs from the hand-written spec:\n{}", changes.join("\n"));
}

#[test]
fn with_facts_only_the_integer_widths_of_parameters_are_left_inferred() {
    let mut imported = format().import(&visma_docs(), &visma_facts(), "visma_net");
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    // Pagination is inferred from the parameters' names whatever the facts say (no source
    // states it); `the_pagination_is_inferred_from_the_page_parameters` checks those.
    imported.report.inferred.retain(|fact| !fact.item.ends_with(".pagination"));
    let keys: BTreeSet<&str> = imported.report.inferred.iter().map(|fact| fact.key.as_str()).collect();
    assert_eq!(keys, BTreeSet::from(["type"]), "{:#?}", imported.report.inferred);
    // No source states the format of `int` parameters (the PHP client says `integer`).
    assert_eq!(imported.report.inferred.len(), 11);
    assert!(imported.report.inferred.iter().all(|fact| fact.item.contains(".params[") && fact.value == "int32"));
    // The corrections facts made: the two model wire names and the header parameters.
    let corrected: BTreeSet<String> = imported.report.corrected.iter().map(|fact| fact.value.clone()).collect();
    assert_eq!(
        corrected,
        BTreeSet::from([
            "calendarID".to_owned(),
            "itemID".to_owned(),
            "erp-api-background".to_owned(),
            "If-Match".to_owned()
        ])
    );
    // Nothing in the spec is marked inferred except those 11.
    let marked: usize =
        imported.spec.operations.iter().flat_map(|op| &op.params).filter(|param| !param.inferred.is_empty()).count();
    let fields_marked = imported
        .spec
        .types
        .iter()
        .any(|ty| matches!(ty, TypeSpec::Object(o) if o.fields.iter().any(|f| !f.inferred.is_empty())));
    assert_eq!((marked, fields_marked), (11, false));
}

#[test]
fn without_facts_the_wrongly_inferred_wire_names_are_calendar_id_and_item_id() {
    let imported = format().import(&visma_docs(), &Facts::none(), "visma_net");
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    // The facts table: (dto, property) -> json_name.
    let table = std::fs::read_to_string(root().join("spec/sources/visma_net/facts/visma-model-facts.tsv")).unwrap();
    let truth: std::collections::BTreeMap<(String, String), String> = table
        .lines()
        .skip(1)
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            ((columns[0].to_owned(), columns[1].to_owned()), columns[2].to_owned())
        })
        .collect();
    let mut wrong = BTreeSet::new();
    let mut inferred_fields = 0;
    for fact in imported.report.inferred.iter().filter(|fact| fact.key == "name" && fact.item.starts_with("types[")) {
        inferred_fields += 1;
        let model = fact.item.trim_start_matches("types[").split(']').next().unwrap().to_owned();
        let property = fact.read.clone().expect("the document's name is reported");
        let right = truth
            .get(&(model.clone(), property.clone()))
            .unwrap_or_else(|| panic!("{model}.{property} is not in the table"));
        if *right != fact.value {
            wrong.insert(format!("{model}.{right}"));
        }
    }
    // Every property's wire name is inferred (the documents only give PHP names), and the report lists each.
    assert_eq!(inferred_fields, truth.len());
    assert_eq!(wrong, BTreeSet::from(["EmployeeDto.calendarID".to_owned(), "KitAssemblyDto.itemID".to_owned()]));
    // The spec marks them too, so the generated docs say so.
    let marked = imported
        .spec
        .types
        .iter()
        .filter_map(|ty| match ty {
            TypeSpec::Object(object) => {
                Some(object.fields.iter().filter(|field| field.inferred.contains(&"name".to_owned())).count())
            }
            _ => None,
        })
        .sum::<usize>();
    assert_eq!(marked, truth.len());
}

#[test]
fn generated_docs_show_the_source_and_the_inferred_facts() {
    let project_task = std::fs::read_to_string(root().join("generated/src/visma_net/project_task.rs")).unwrap();
    assert!(project_task.contains("/// Source: `000_2c41d01fd9befeb9.txt` line 15."), "operation provenance");
    assert!(project_task.contains("/// Source: `000_2c41d01fd9befeb9.txt` line 85."), "parameter provenance");
    assert!(project_task.contains("/// Inferred by the importer, not stated in the source: the type."));
    let types = std::fs::read_to_string(root().join("generated/src/visma_net/types.rs")).unwrap();
    assert!(types.contains("/// Source: `EmployeeDto.md` line 18."), "field provenance");
}

#[test]
fn php_model_sources_agree_with_the_facts_table() {
    // The full PHP model sources are not copied into the repository; check them where the seeds are.
    let models = root().join("../shared/seeds/visma-client-src/Model");
    if !models.is_dir() {
        eprintln!("skipped: {} is not there", models.display());
        return;
    }
    let mut sources = documents("spec/sources/visma_net/facts");
    for entry in std::fs::read_dir(&models).unwrap() {
        let path = entry.unwrap().path();
        sources.push(Document::new(path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
    }
    // Facts::read fails on any disagreement between two sources.
    let facts = Facts::read(&sources).unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    assert_eq!(facts.fields.len(), 290);
    let fact = &facts.fields[&("BackgroundRequestStateDto".to_owned(), "response_headers".to_owned())];
    assert_eq!(fact.ty.as_deref(), Some("array<string,string>"), "the PHP source completes the table's cut type");
}

#[test]
fn php_model_reader() {
    let php = r#"<?php
class EmployeeDto implements ModelInterface
{
    protected static $openAPIModelName = 'EmployeeDto';
    protected static $openAPITypes = [
        'calendar_id' => 'string',
        'status' => 'string',
        'count' => 'int',
        'when' => '\DateTime',
        'children' => '\OpenAPI\Client\Model\Child[]'
    ];
    protected static $openAPIFormats = [
        'calendar_id' => null,
        'status' => null,
        'count' => 'int64',
        'when' => 'date',
        'children' => null
    ];
    protected static array $openAPINullables = [
        'calendar_id' => false,
        'status' => true,
        'count' => false,
        'when' => false,
        'children' => false
    ];
    protected static $attributeMap = [
        'calendar_id' => 'calendarID',
        'status' => 'status',
        'count' => 'count',
        'when' => 'when',
        'children' => 'children'
    ];
    public const STATUS_ON_HOLD = 'OnHold';
    public const STATUS_IT_S = 'It\'s';
    public function getStatusAllowableValues()
    {
        return [
            self::STATUS_ON_HOLD,
            self::STATUS_IT_S,
        ];
    }
}
"#;
    let facts = Facts::read(&[Document::new("Model/EmployeeDto.php", php)]).unwrap();
    let get = |property: &str| facts.fields[&("EmployeeDto".to_owned(), property.to_owned())].clone();
    assert_eq!(get("calendar_id").wire_name, "calendarID");
    assert_eq!(get("calendar_id").origin, "EmployeeDto.php:27");
    assert_eq!(get("status").nullable, Some(true));
    assert_eq!(get("status").enum_values, vec!["OnHold".to_owned(), "It's".to_owned()]);
    assert_eq!((get("count").ty.as_deref(), get("count").format.as_deref()), (Some("int"), Some("int64")));
    assert_eq!(get("when").format.as_deref(), Some("date"));
    assert_eq!(get("children").ty.as_deref(), Some("Child[]"));
}

#[test]
fn facts_that_disagree_are_an_error_naming_both_sources() {
    let table = "dto\tproperty\tjson_name\ttype\tformat\tnullable\tenum_values\nEmployeeDto\tcalendar_id\tcalendarId\tstring\t\tfalse\t\n";
    let other = "dto\tproperty\tjson_name\ttype\tformat\tnullable\tenum_values\nEmployeeDto\tcalendar_id\tcalendarID\tstring\t\tfalse\t\n";
    let error = Facts::read(&[Document::new("a.tsv", table), Document::new("b.tsv", other)]).unwrap_err().to_string();
    assert!(error.contains("wire name `calendarId` vs `calendarID` (the other source: a.tsv:2)"), "{error}");
    assert!(error.contains("--> b.tsv:2:1"), "{error}");
    let error = Facts::read(&[Document::new("notes.txt", "hello")]).unwrap_err().to_string();
    assert!(error.contains("not a facts source"), "{error}");
}

#[test]
fn unsupported_types_and_uncaptured_lines_are_reported_as_skipped() {
    let model = "# Upload\n\n## Properties\n\nName | Type | Description | Notes\n------------ | ------------- | ------------- | -------------\n**file** | **\\SplFileObject** | The file. | [optional]\n";
    let imported = format().import(&[Document::new("models/Upload.md", model)], &Facts::none(), "svc");
    assert!(imported.problems.is_empty(), "{}", imported.problems);
    let TypeSpec::Object(object) = &imported.spec.types[0] else { panic!() };
    assert_eq!(object.fields[0].ty, "json");
    let skipped = &imported.report.skipped[0];
    assert_eq!(
        (skipped.origin.as_str(), skipped.construct.as_str()),
        ("Upload.md:7", "type `\\SplFileObject` of `file`")
    );
    let report = format().import(&visma_docs(), &visma_facts(), "visma_net").report;
    let constructs: Vec<&str> = report.skipped.iter().map(|skipped| skipped.construct.as_str()).collect();
    assert!(constructs.contains(&"`Accept` lines of 4 operations"), "{constructs:?}");
    assert_eq!(constructs.iter().filter(|construct| construct.ends_with("example")).count(), 12);
}

#[test]
fn the_pagination_is_inferred_from_the_page_parameters() {
    let imported = format().import(&visma_docs(), &visma_facts(), "visma_net");
    let paginated: Vec<String> = imported
        .report
        .inferred
        .iter()
        .filter(|fact| fact.item.ends_with(".pagination"))
        .map(|fact| format!("{}.{} = {}", fact.item, fact.key, fact.value))
        .collect();
    assert_eq!(
        paginated,
        [
            "operations[project_task_get_all_tasks].pagination.style = page_number",
            "operations[project_task_get_all_tasks].pagination.page = pageNumber",
            "operations[project_task_get_all_tasks].pagination.size = pageSize",
            "operations[kit_assembly_get_kit_assemblies].pagination.style = page_number",
            "operations[kit_assembly_get_kit_assemblies].pagination.page = pageNumber",
            "operations[kit_assembly_get_kit_assemblies].pagination.size = pageSize",
            "operations[kit_assembly_get_kit_assemblies].pagination.items = records",
        ]
    );
    // The envelope's one list field holds the items; the inferred keys are marked on the item.
    let kits = imported.spec.operations.iter().find(|op| op.id == "kit_assembly_get_kit_assemblies").unwrap();
    let pagination = kits.pagination.as_ref().unwrap();
    assert_eq!(pagination.items.as_deref(), Some("records"));
    assert_eq!(pagination.inferred, ["style", "page", "size", "items"]);
    // Operations without both parameters are not paginated.
    assert_eq!(imported.spec.operations.iter().filter(|op| op.pagination.is_some()).count(), 2);
}
