//! The YAML renderer and the overlay on the real spec files: what is rendered loads back as
//! the same spec, and overlay entries apply or fail naming the entry.

use codegen::import::{render_yaml, Document, Overlay};
use codegen::load;
use codegen::spec::ServiceSpec;

use crate::common;

fn specs() -> Vec<(String, ServiceSpec)> {
    let dir = common::workspace().join("spec");
    let set = load::load_dir(&dir, "spec").expect("spec/ loads");
    let mut specs: Vec<_> = set.services.into_iter().map(|file| (file.file, file.spec)).collect();
    for fixture in std::fs::read_dir(common::test_data("fixtures")).unwrap() {
        let path = fixture.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".yaml") && name != "crate.yaml" {
            let text = std::fs::read_to_string(&path).unwrap();
            specs.push((name.clone(), load::parse(&name, &text).unwrap()));
        }
    }
    specs
}

#[test]
fn rendered_specs_load_back_unchanged() {
    let specs = specs();
    assert!(specs.len() >= 3);
    for (file, spec) in specs {
        let text = render_yaml::render(&spec, "# test\n");
        let back: ServiceSpec = load::parse(&file, &text).unwrap_or_else(|error| panic!("{file}: {error}\n{text}"));
        assert_eq!(back, spec, "{file} changed in the round trip");
        // Deterministic: the same spec renders to the same bytes.
        assert_eq!(render_yaml::render(&back, "# test\n"), text);
    }
}

#[test]
fn rendering_follows_the_hand_written_layout() {
    let (_, spec) = specs().into_iter().find(|(file, _)| file.ends_with("visma_net.yaml")).unwrap();
    let text = render_yaml::render(&spec, "");
    assert!(
        text.starts_with("service: visma_net\ntitle: Visma.net ERP API\ndescription: |-\n  The Visma.net ERP REST API"),
        "{}",
        &text[..200]
    );
    assert!(text.contains("\noperations:\n- id: project_task_get_all_tasks\n  group: project_task\n"));
    assert!(text.contains("\n  params:\n  - name: projectId\n    in: query\n    type: string\n"));
    assert!(text.contains("    headers:\n    - ETag\n"));
}

fn overlay(text: &str) -> Result<Overlay, codegen::Diagnostics> {
    Overlay::parse(&Document::new("spec/overlays/visma_net.yaml", text))
}

#[test]
fn overlay_entries_set_add_and_remove() {
    let (_, spec) = specs().into_iter().find(|(file, _)| file.ends_with("visma_net.yaml")).unwrap();
    let overlay = overlay(
        "overlay: visma_net
entries:
- set: { title: Renamed }
- at: operations[project_task_get_all_tasks]
  set: { name: list_tasks, summary: ~ }
- at: operations[project_task_get_all_tasks].params[erp-api-background]
  set: { type: string }
- at: operations[project_task_get_all_tasks].errors
  add: [{ status: 404 }]
- at: operations[project_task_get_all_tasks].params[pageSize]
  remove: true
",
    )
    .unwrap();
    let changed = overlay.apply(&spec).unwrap();
    assert_eq!(changed.title, "Renamed");
    let operation = &changed.operations[0];
    assert_eq!(operation.name.as_deref(), Some("list_tasks"));
    assert_eq!(operation.summary, None);
    assert_eq!(operation.params.iter().find(|p| p.name == "erp-api-background").unwrap().ty, "string");
    assert!(operation.params.iter().all(|p| p.name != "pageSize"));
    assert_eq!(operation.errors.len(), spec.operations[0].errors.len() + 1);
}

#[test]
fn an_overlay_entry_that_matches_nothing_is_an_error_naming_it() {
    let (_, spec) = specs().into_iter().find(|(file, _)| file.ends_with("visma_net.yaml")).unwrap();
    let overlay = overlay(
        "overlay: visma_net
entries:
- at: types[TaskExtendedDto]
  set: { description: fine }
- at: types[NoSuchDto].fields[x]
  set: { type: string }
- at: operations[project_task_get_all_tasks]
  set: { nmae: typo }
",
    )
    .unwrap();
    let error = overlay.apply(&spec).unwrap_err().to_string();
    // Each problem names its entry in words and by place: the line and column of the entry (or its `at`).
    assert!(
        error.contains("no item `NoSuchDto` in `types` (entry at `types[NoSuchDto].fields[x]`)\n  --> spec/overlays/visma_net.yaml:"),
        "{error}"
    );
    assert!(error.contains("= spec path: entries[1].at"), "{error}");
    assert!(error.contains("unknown field `nmae`"), "{error}");
    assert!(error.contains("(entry at `operations[project_task_get_all_tasks]`)"), "{error}");
    assert!(error.contains("= spec path: entries[2]\n"), "{error}");
    assert!(!error.contains("entries[0]"), "{error}");
    assert!(!error.contains("--> spec/overlays/visma_net.yaml\n"), "every problem has a line: {error}");
}

#[test]
fn overlay_shape_errors() {
    let error = overlay("overlay: visma_net\nentries:\n- at: types\n").unwrap_err().to_string();
    assert!(error.contains("exactly one action"), "{error}");
    let error = overlay("overlay: visma_net\nentries:\n- remove: true\n").unwrap_err().to_string();
    assert!(error.contains("need an `at`"), "{error}");
    let error = overlay("overlay: visma_net\nentries:\n- at: types\n  sett: {}\n").unwrap_err().to_string();
    assert!(error.contains("unknown field `sett`"), "{error}");
}

#[test]
fn overlay_entries_place_added_items_and_move_items_keeping_what_they_hold() {
    let (_, mut spec) = specs().into_iter().find(|(file, _)| file.ends_with("visma_net.yaml")).unwrap();
    spec.operations[0].params[2].origin = Some("ProjectTaskApi.md:40".to_owned());
    let names = |spec: &ServiceSpec| spec.operations[0].params.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    let before = names(&spec);
    assert_eq!(before[..3], ["projectId", "publicId", "projectInternalId"]);
    let placing = overlay(
        "overlay: visma_net
entries:
- at: operations[project_task_get_all_tasks].params
  add: [{ name: first, in: query, type: string }]
  before: projectId
- at: operations[project_task_get_all_tasks].params
  add: [{ name: second, in: query, type: string }, { name: third, in: query, type: string }]
  after: first
- at: operations[project_task_get_all_tasks].params[projectInternalId]
  move: true
  before: publicId
- at: operations[project_task_get_all_tasks].params[first]
  move: true
  after: third
",
    )
    .unwrap();
    let changed = placing.apply(&spec).unwrap();
    let after = names(&changed);
    assert_eq!(after[..6], ["second", "third", "first", "projectId", "projectInternalId", "publicId"]);
    assert_eq!(after[6..], before[3..]);
    // The moved item is the same item: its origin (where the documents say it) stays.
    let moved = changed.operations[0].params.iter().find(|p| p.name == "projectInternalId").unwrap();
    assert_eq!(moved, &spec.operations[0].params[2]);
    assert_eq!(moved.origin.as_deref(), Some("ProjectTaskApi.md:40"));

    // A sibling that is not there is an error naming the entry, like any stale entry.
    let stale = overlay(
        "overlay: visma_net
entries:
- at: operations[project_task_get_all_tasks].params
  add: [{ name: first, in: query, type: string }]
  after: gone
- at: operations[project_task_get_all_tasks].params[publicId]
  move: true
  before: publicId
- at: operations[project_task_get_all_tasks].params[projectId]
  move: true
  before: projectId2
",
    )
    .unwrap();
    let error = stale.apply(&spec).unwrap_err().to_string();
    assert!(error.contains("(entry at `operations[project_task_get_all_tasks].params`)"), "{error}");
    assert!(error.contains("= spec path: entries[0].at"), "{error}");
    assert!(error.contains("no sibling `gone` to place the item next to"), "{error}");
    assert!(error.contains("`publicId` cannot be placed next to itself"), "{error}");
    assert!(error.contains("no sibling `projectId2`"), "{error}");
    // Moving an item to where it already is changes nothing.
    let idle = overlay(
        "overlay: visma_net
entries:
- at: operations[project_task_get_all_tasks].params[publicId]
  move: true
  after: projectId
",
    )
    .unwrap();
    assert!(idle.apply(&spec).unwrap_err().to_string().contains("the entry changes nothing"));
}

#[test]
fn overlay_placement_shape_errors() {
    let error = overlay("overlay: visma_net\nentries:\n- at: types[A]\n  move: true\n").unwrap_err().to_string();
    assert!(error.contains("`move` needs `before` or `after`"), "{error}");
    let error = overlay("overlay: visma_net\nentries:\n- at: types\n  add: []\n  before: A\n  after: B\n")
        .unwrap_err()
        .to_string();
    assert!(error.contains("`before` or `after`, not both"), "{error}");
    let error = overlay("overlay: visma_net\nentries:\n- at: types[A]\n  set: { description: x }\n  after: B\n")
        .unwrap_err()
        .to_string();
    assert!(error.contains("place what `add` adds or `move` moves"), "{error}");
    let error = overlay("overlay: visma_net\nentries:\n- at: types[A]\n  move: true\n  remove: true\n  after: B\n")
        .unwrap_err()
        .to_string();
    assert!(error.contains("exactly one action"), "{error}");
}

#[test]
fn an_overlay_entry_that_changes_nothing_is_an_error() {
    let (_, spec) = specs().into_iter().find(|(file, _)| file.ends_with("visma_net.yaml")).unwrap();
    let overlay = overlay("overlay: visma_net\nentries:\n- set: { title: Visma.net ERP API }\n").unwrap();
    let error = overlay.apply(&spec).unwrap_err().to_string();
    assert!(error.contains("the entry changes nothing (entry for the service)"), "{error}");
    assert!(error.contains("--> spec/overlays/visma_net.yaml:3:3\n  = spec path: entries[0]"), "{error}");
}

#[test]
fn rename_follows_every_type_expression_and_set_clears_inferred() {
    let (_, mut spec) = specs().into_iter().find(|(file, _)| file.ends_with("visma_net.yaml")).unwrap();
    // Mark a parameter's type as inferred; a `set` of it is a person's statement.
    spec.operations[0].params[0].inferred = vec!["name".into(), "type".into()];
    let overlay = overlay(
        "overlay: visma_net
entries:
- at: types[TaskExtendedDto]
  rename: ProjectTask
- at: operations[project_task_get_all_tasks].params[projectId]
  set: { type: string, description: changed }
- at: operations[project_task_get_all_tasks].params[projectId]
  rename: Nope
",
    );
    let error = overlay.unwrap_err().to_string();
    assert!(error.contains("entries[2]") && error.contains("`rename` renames a type"), "{error}");
    let overlay = self::overlay(
        "overlay: visma_net
entries:
- at: types[TaskExtendedDto]
  rename: ProjectTask
- at: operations[project_task_get_all_tasks].params[projectId]
  set: { type: string, description: changed }
",
    )
    .unwrap();
    let changed = overlay.apply(&spec).unwrap();
    assert!(
        changed.types.iter().any(|ty| ty.name() == "ProjectTask")
            && changed.types.iter().all(|ty| ty.name() != "TaskExtendedDto")
    );
    let responses: Vec<_> = changed.operations[0].responses.iter().filter_map(|r| r.ty.clone()).collect();
    assert!(responses.contains(&"list<ProjectTask>".to_owned()), "{responses:?}");
    assert!(changed.operations[1].responses.iter().any(|r| r.ty.as_deref() == Some("ProjectTask")));
    assert_eq!(changed.operations[0].params[0].inferred, vec!["name".to_owned()]);
    // A rename onto an existing name is an error.
    let clash =
        self::overlay("overlay: visma_net\nentries:\n- at: types[TaskExtendedDto]\n  rename: MetadataDto\n").unwrap();
    assert!(clash.apply(&spec).unwrap_err().to_string().contains("a type `MetadataDto` already exists"));
}
