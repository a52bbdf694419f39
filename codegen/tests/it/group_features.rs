//! Which groups reach each type (`Service::type_groups`), on the `group_features` fixture and on
//! the real specs: directly, through fields and lists, shared, unused, and the job state type.

use std::collections::BTreeMap;

use codegen::model::{Model, Service};

use crate::common;

fn lowered(folder: &str) -> Model {
    common::lower_dir(&common::workspace().join(folder), folder)
}

fn service<'a>(model: &'a Model, module: &str) -> &'a Service {
    model.services.iter().find(|service| service.module == module).expect("the service")
}

/// Type ident → the features of the groups that reach it.
fn reach(service: &Service) -> BTreeMap<&str, Vec<&str>> {
    service
        .types
        .iter()
        .zip(&service.type_groups)
        .map(|(def, groups)| {
            let features = groups.iter().map(|&group| service.groups[group].feature.as_str()).collect();
            (def.wire_name(), features)
        })
        .collect()
}

#[test]
fn types_are_reached_through_operations_fields_and_lists() {
    let model = lowered("codegen/tests/fixtures");
    let service = service(&model, "group_features");
    let features: Vec<&str> = service.groups.iter().map(|group| group.feature.as_str()).collect();
    assert_eq!(features, ["group_features-pets", "group_features-cars", "group_features-archive"]);
    let (pets, cars) = ("group_features-pets", "group_features-cars");
    let expected = BTreeMap::from([
        ("Pet", vec![pets]),
        ("Car", vec![cars]),
        ("Owner", vec![pets, cars]),
        ("Tag", vec![pets]),
        ("Problem", vec![pets, cars]),
        ("Spare", vec![]),
    ]);
    assert_eq!(reach(service), expected);
}

#[test]
fn the_job_state_type_is_reached_by_the_groups_that_run_jobs() {
    let model = lowered("spec");
    let visma = service(&model, "visma_net");
    let reach = reach(visma);
    // `project_task` and `kit_assembly` reach the state type only by running jobs (`BackgroundJob` names
    // it); `background` answers it.
    assert_eq!(
        reach["BackgroundRequestStateDto"],
        ["visma_net-project_task", "visma_net-background", "visma_net-kit_assembly"]
    );
    // The accepted answer of a job is an answer of the operations that run as jobs.
    assert_eq!(reach["BackgroundApiAcceptedDto"], ["visma_net-project_task", "visma_net-kit_assembly"]);
    assert_eq!(reach["TaskExtendedDto"], ["visma_net-project_task"]);
    assert_eq!(reach["KitAssemblyDto"], ["visma_net-kit_assembly"]);
    // A SOAP service has no groups, so no type is behind one.
    let projector = service(&model, "projector");
    assert!(projector.groups.is_empty() && projector.type_groups.iter().all(Vec::is_empty));
}
