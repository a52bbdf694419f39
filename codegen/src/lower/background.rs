//! `background_jobs` of a service: the job protocol checked against its operations, and each operation that can run as a job.

use super::pagination::{object_of, through_aliases};
use super::ServiceLowering;
use crate::diagnostics::did_you_mean;
use crate::model::{
    BackgroundCall, BackgroundJobs, FieldAccess, Group, HeaderValue, ObjectDef, Operation, ParamLocation, PathPart,
    SuccessShape, TypeDef, TypeRef, WireValue,
};
use crate::spec::{self, BackgroundJobsSpec};

/// The service's job protocol, and `background` on every operation that takes its header.
pub(super) fn lower_background_jobs(
    lowering: &mut ServiceLowering<'_>,
    types: &[TypeDef],
    groups: &mut [Group],
) -> Option<BackgroundJobs> {
    let spec = lowering.spec.background_jobs.as_ref()?;
    let path = "background_jobs";
    if lowering.spec.protocol == spec::Protocol::Soap {
        lowering.error(path, "background jobs are for REST services").hint("remove `background_jobs`");
        return None;
    }
    let operations: Vec<&Operation> = groups.iter().flat_map(|group| group.operations.iter()).collect();
    let state = job_operation(lowering, &operations, &spec.state, &format!("{path}.state"));
    let content = job_operation(lowering, &operations, &spec.content, &format!("{path}.content"));
    let mut status_field = None;
    let mut message_field = None;
    let mut state_type = None;
    if let Some((state, _, _)) = &state {
        let single = match &state.success {
            SuccessShape::Single(response) => response.ty.as_ref(),
            SuccessShape::Enum { .. } => None,
        };
        match single.and_then(|ty| object_of(types, ty).map(|object| (ty, object))) {
            None => {
                lowering
                    .error(
                        format!("{path}.state"),
                        format!("operation `{}` does not answer one object (the job state)", spec.state),
                    )
                    .hint("the state operation answers a single success status with an object body");
            }
            Some((_, object)) => {
                state_type = Some(object.ident.clone());
                status_field = text_field(lowering, types, object, &spec.status, &format!("{path}.status"));
                if let Some(message) = &spec.message {
                    message_field = text_field(lowering, types, object, message, &format!("{path}.message"));
                }
                check_status_words(lowering, types, object, spec, path);
            }
        }
    }
    for (key, words) in [("finished", &spec.finished), ("failed", &spec.failed)] {
        if words.is_empty() {
            lowering
                .error(format!("{path}.{key}"), format!("`{key}` lists no status"))
                .hint(format!("list the status values of a {key} job"));
        }
    }
    // Owned now: the operations are changed below.
    let state = state.map(|(_, path, status)| (path, status));
    let content = content.map(|(_, path, status)| (path, status));
    let mut takes_header = false;
    for operation in groups.iter_mut().flat_map(|group| group.operations.iter_mut()) {
        takes_header |= operation.params.iter().any(|param| param.wire_name.eq_ignore_ascii_case(&spec.header));
        operation.background = background_call(lowering, types, spec, operation);
    }
    if !takes_header {
        lowering.error(format!("{path}.header"), format!("no operation takes header `{}`", spec.header)).hint(
            "name the header parameter the operations that can run as jobs take, or remove `background_jobs`"
                .to_owned(),
        );
    }
    let ((state_path, state_status), (content_path, content_status)) = (state?, content?);
    let state_type = state_type?;
    Some(BackgroundJobs {
        state_type,
        state_path,
        state_status,
        content_path,
        content_status,
        status_field: status_field?,
        message_field,
        finished: spec.finished.clone(),
        failed: spec.failed.clone(),
        header: spec.header.clone(),
        value: spec.value.clone(),
    })
}

/// A GET operation whose one parameter is the job id in its path: the operation, the path
/// around the id, and its success status.
fn job_operation<'o>(
    lowering: &mut ServiceLowering<'_>,
    operations: &[&'o Operation],
    id: &str,
    path: &str,
) -> Option<(&'o Operation, (String, String), u16)> {
    let Some(operation) = operations.iter().copied().find(|operation| operation.id == id) else {
        let hint = did_you_mean(id, operations.iter().map(|operation| operation.id.as_str()))
            .or_else(|| Some("name an operation of this service by its `id`".to_owned()));
        lowering.error(path, format!("unknown operation `{id}`")).maybe_hint(hint);
        return None;
    };
    let path_params: Vec<&PathPart> = operation.path.iter().filter(|part| matches!(part, PathPart::Param(_))).collect();
    let other_required = operation.params.iter().any(|param| param.required && param.location != ParamLocation::Path);
    let single_status = match &operation.success {
        SuccessShape::Single(response) => Some(response.status),
        SuccessShape::Enum { .. } => None,
    };
    let (true, [_], false, Some(status)) =
        (operation.method == crate::model::HttpMethod::Get, path_params.as_slice(), other_required, single_status)
    else {
        lowering
            .error(
                path,
                format!("operation `{id}` is not a GET whose only required parameter is the job id in its path"),
            )
            .hint(
                "the job's state and content are read with `GET /…/{id}`, answered with one success status".to_owned(),
            );
        return None;
    };
    let mut before = String::new();
    let mut after = String::new();
    let mut seen_id = false;
    for part in &operation.path {
        match part {
            PathPart::Literal(text) if seen_id => after.push_str(text),
            PathPart::Literal(text) => before.push_str(text),
            PathPart::Param(_) => seen_id = true,
        }
    }
    Some((operation, (before, after), status))
}

/// A string (or string enum) field of the state: its access.
fn text_field(
    lowering: &mut ServiceLowering<'_>,
    types: &[TypeDef],
    object: &ObjectDef,
    name: &str,
    path: &str,
) -> Option<FieldAccess> {
    let Some(field) = object.fields.iter().find(|field| field.wire_name == name) else {
        let hint = did_you_mean(name, object.fields.iter().map(|field| field.wire_name.as_str()))
            .or_else(|| Some(format!("name a field of `{}`", object.wire_name)));
        lowering.error(path, format!("`{}` has no field `{name}`", object.wire_name)).maybe_hint(hint);
        return None;
    };
    let text = match through_aliases(types, &field.ty) {
        TypeRef::String => true,
        TypeRef::Named { ident, .. } => types.iter().any(|def| {
            matches!(def, TypeDef::Enum(enumeration) if &enumeration.ident == ident && enumeration.repr == spec::EnumRepr::String)
        }),
        _ => false,
    };
    if !text {
        lowering
            .error(path, format!("field `{name}` of `{}` is not text", object.wire_name))
            .hint("name a `string` field, or one of a string enum");
        return None;
    }
    Some(FieldAccess { ident: field.ident.clone(), optional: field.optional, tristate: field.tristate })
}

/// When the status field is a closed enum, every status word must be one of its values.
fn check_status_words(
    lowering: &mut ServiceLowering<'_>,
    types: &[TypeDef],
    object: &ObjectDef,
    spec: &BackgroundJobsSpec,
    path: &str,
) {
    let Some(field) = object.fields.iter().find(|field| field.wire_name == spec.status) else { return };
    let TypeRef::Named { ident, .. } = through_aliases(types, &field.ty) else { return };
    let Some(TypeDef::Enum(enumeration)) =
        types.iter().find(|def| matches!(def, TypeDef::Enum(enumeration) if &enumeration.ident == ident))
    else {
        return;
    };
    if enumeration.open {
        return;
    }
    for (key, words) in [("finished", &spec.finished), ("failed", &spec.failed)] {
        for word in words {
            let known = enumeration.members.iter().any(|member| member.value == WireValue::String(word.clone()));
            if !known {
                lowering
                    .error(format!("{path}.{key}"), format!("`{word}` is not a value of `{}`", enumeration.wire_name))
                    .hint("list the enum's values, or make it `open: true`");
            }
        }
    }
}

/// How `operation` is sent as a job: it takes the header, and answers the accepted status with
/// a job id and exactly one other success status (the result).
fn background_call(
    lowering: &mut ServiceLowering<'_>,
    types: &[TypeDef],
    spec: &BackgroundJobsSpec,
    operation: &Operation,
) -> Option<BackgroundCall> {
    let header = operation.params.iter().position(|param| {
        param.location == ParamLocation::Header && !param.required && param.wire_name.eq_ignore_ascii_case(&spec.header)
    })?;
    let SuccessShape::Enum { cases, .. } = &operation.success else { return None };
    let [first, second] = cases.as_slice() else { return None };
    let (accepted, result) = if first.status == spec.accepted_status { (first, second) } else { (second, first) };
    if accepted.status != spec.accepted_status {
        return None;
    }
    let path = format!("operations[{}]", operation.id);
    let object = accepted.ty.as_ref().and_then(|ty| object_of(types, ty))?;
    let job_id = text_field(lowering, types, object, &spec.job_id, &format!("background_jobs.job_id (in {path})"))?;
    let id_type = object.fields.iter().find(|field| field.wire_name == spec.job_id).map(|field| &field.ty);
    if id_type.is_none_or(|ty| through_aliases(types, ty) != &TypeRef::String) {
        lowering
            .error(
                "background_jobs.job_id",
                format!("the job id `{}` of the accepted answer of {path} is not a string", spec.job_id),
            )
            .hint("name a `string` field of the accepted answer's body");
        return None;
    }
    let value = header_value(lowering, types, &operation.params[header].ty, &spec.value, &path)?;
    Some(BackgroundCall {
        header,
        value,
        accepted_variant: accepted.variant.clone(),
        job_id,
        result_variant: result.variant.clone(),
        result: result.ty.clone(),
    })
}

/// The header value as the parameter's type spells it.
fn header_value(
    lowering: &mut ServiceLowering<'_>,
    types: &[TypeDef],
    ty: &TypeRef,
    value: &str,
    path: &str,
) -> Option<HeaderValue> {
    match through_aliases(types, ty) {
        TypeRef::String => Some(HeaderValue::Text(value.to_owned())),
        TypeRef::Named { ident, .. } => {
            let enumeration = types.iter().find_map(|def| match def {
                TypeDef::Enum(enumeration) if &enumeration.ident == ident => Some(enumeration),
                _ => None,
            });
            let Some(enumeration) = enumeration.filter(|e| e.repr == spec::EnumRepr::String) else {
                lowering
                    .error(
                        "background_jobs.value",
                        format!("the background header of {path} is neither text nor a string enum"),
                    )
                    .hint("give the header parameter `type: string` or a string enum");
                return None;
            };
            let member = enumeration.members.iter().find(|member| member.value == WireValue::String(value.to_owned()));
            match member {
                Some(member) => {
                    Some(HeaderValue::Member { ty: enumeration.ident.clone(), variant: member.ident.clone() })
                }
                None if enumeration.open => Some(HeaderValue::Other {
                    ty: enumeration.ident.clone(),
                    variant: enumeration.other_variant.clone(),
                    value: value.to_owned(),
                }),
                None => {
                    lowering
                        .error(
                            "background_jobs.value",
                            format!(
                                "`{value}` is not a value of `{}`, the header's type in {path}",
                                enumeration.wire_name
                            ),
                        )
                        .hint("use one of the enum's values, or make it `open: true`");
                    None
                }
            }
        }
        _ => {
            lowering
                .error(
                    "background_jobs.value",
                    format!("the background header of {path} is neither text nor a string enum"),
                )
                .hint("give the header parameter `type: string` or a string enum");
            None
        }
    }
}
