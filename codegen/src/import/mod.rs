//! Importers: vendor documents → spec (temporary module list until the framework lands).

pub mod aspnet_help;
pub mod draft;
pub mod html_text;
pub mod sample_json;
