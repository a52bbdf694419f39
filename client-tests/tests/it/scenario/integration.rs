//! The integration of issue 11, as a user writes it against the generated crate: only business
//! logic. Tokens, paging, background jobs, sessions and retries are the runtime's work.
//!
//! It mirrors a Visma.net project's open tasks into Projector, fills in missing descriptions in
//! Visma.net (guarded by the ETag), releases the project's kit assembly as a background job, and
//! schedules a 2sms account task that reports the run.

use api_clients::account_tasks::{self, types::AccountTaskRequest, types::Frequency};
use api_clients::projector::types::{PwsAuthenticateRq, PwsProjectRef, PwsProjectTaskDetail, PwsSaveProjectTaskRq};
use api_clients::projector::{self, types::PwsUnauthenticateRq, Session};
use api_clients::visma_net::types::{DtoValueOfString, ProjTaskStatus, ProjectTaskUpdateDto};
use api_clients::{visma_net, ClientConfig, Secret};

/// What the integration is configured with (from the environment, in a real deployment).
pub struct Settings {
    pub visma_url: String,
    /// Visma Connect's token endpoint; `None` is the documented one.
    pub token_url: Option<String>,
    pub client_id: String,
    pub client_secret: Secret,
    pub tenant_id: String,
    pub projector_url: String,
    pub projector_account: String,
    pub projector_user: String,
    pub projector_password: Secret,
    pub sms_url: String,
    pub sms_key: Secret,
    pub project: String,
    pub kit_assembly: String,
    pub report_task: uuid::Uuid,
}

/// What one run did.
#[derive(Debug, PartialEq)]
pub struct Report {
    pub mirrored: Vec<String>,
    pub described: Vec<i32>,
    pub kit_assembly_released: bool,
    pub report_task: Option<uuid::Uuid>,
}

pub async fn run(settings: &Settings) -> Result<Report, Box<dyn std::error::Error>> {
    let mut credentials = visma_net::ClientCredentials::new(
        settings.client_id.clone(),
        settings.client_secret.clone(),
        settings.tenant_id.clone(),
    );
    if let Some(token_url) = &settings.token_url {
        credentials = credentials.token_url(token_url.clone());
    }
    let visma =
        visma_net::Client::with_client_credentials(ClientConfig::new().base_url(&settings.visma_url), credentials)?;

    let tasks = visma.project_task().get_all_tasks().project_id(&settings.project).page_size(50).collect_all().await?;
    let open: Vec<_> = tasks.into_iter().filter(|task| task.status != Some(ProjTaskStatus::Completed)).collect();

    // Tasks without a description get their id as one; the ETag makes a concurrent edit a 412.
    let mut described = Vec::new();
    for task in open.iter().filter(|task| task.description.as_deref().unwrap_or("").is_empty()) {
        let (Some(internal_id), Some(task_id)) = (task.internal_id, &task.task_id) else { continue };
        let current = visma.project_task().get_task_by_internal_id(internal_id).send().await?;
        let changes = ProjectTaskUpdateDto::new().with_description(DtoValueOfString::new().with_value(task_id.clone()));
        let mut update = visma.project_task().update_task(internal_id, changes);
        if let Some(etag) = current.etag() {
            update = update.if_match(etag);
        }
        update.send().await?;
        described.push(internal_id);
    }

    let release = visma.kit_assembly().release_kit_assembly("KIT", &settings.kit_assembly);
    release.send_in_background().await?.wait().await?;

    let projector = projector::Client::new(ClientConfig::new().base_url(&settings.projector_url))?;
    let login = PwsAuthenticateRq::new(
        settings.projector_account.clone(),
        settings.projector_password.clone(),
        settings.projector_user.clone(),
    );
    let session = Session::authenticate(&projector, login).await?;
    let mut mirrored = Vec::new();
    for task in &open {
        let Some(task_id) = &task.task_id else { continue };
        let detail = PwsProjectTaskDetail::new().with_external_system_identifier(task_id.clone()).with_task_name(
            task.description.clone().filter(|text| !text.is_empty()).unwrap_or_else(|| task_id.clone()),
        );
        let project = PwsProjectRef::new().with_project_code(settings.project.clone());
        projector.save_project_task(&session, PwsSaveProjectTaskRq::new(project, detail)).await?;
        mirrored.push(task_id.clone());
    }
    projector.unauthenticate(&session, PwsUnauthenticateRq::new()).await?;

    let sms = account_tasks::Client::new(
        ClientConfig::new().base_url(&settings.sms_url).secret_header("X-Api-Key", settings.sms_key.clone()),
    )?;
    let parameters = serde_json::json!({ "project": settings.project, "mirrored": mirrored.len() }).to_string();
    let request = AccountTaskRequest::new(settings.report_task, Frequency::None, parameters, "application/json");
    let created = sms.admin_tasks().create_account_task(request).send().await?;

    let report_task = created.body.response_data.and_then(|data| data.detail).and_then(|task| task.id);
    Ok(Report { mirrored, described, kit_assembly_released: true, report_task })
}
