//! The generated clients against real servers on loopback, one module per concern, in one test
//! binary (one link instead of one per file). `common` holds what the modules share; run one
//! module with a filter: `cargo test -p client-tests --test it oauth2::`.

mod common;

mod account_tasks;
mod api_keys;
mod background_jobs;
mod blocking;
mod bodies;
mod client_behaviour;
mod corpus;
mod group_features;
mod hooks;
mod mock_server;
mod oauth2;
mod pagination;
mod param_styles;
mod projector;
mod public_api;
mod redirects;
mod retries;
mod scenario;
mod secrets;
mod statuses;
mod tls;
mod tracing;
mod tristate;
mod unions;
mod vendoring;
mod visma_background_and_kit_assembly;
mod visma_project_task;
