//! Format `openapi-generator-md`: the markdown documentation openapi-generator writes for a
//! client (`docs/Api/*Api.md` and `docs/Model/*.md`).

use super::{Document, Facts, Format, Imported, Report};
use crate::diagnostics::Diagnostics;
use crate::spec::{Protocol, ServiceSpec};

/// The format's registry entry.
pub struct OpenApiGeneratorMd;

impl Format for OpenApiGeneratorMd {
    fn name(&self) -> &'static str {
        "openapi-generator-md"
    }

    fn summary(&self) -> &'static str {
        "openapi-generator client documentation in markdown: API documents and model documents"
    }

    fn import(&self, docs: &[Document], facts: &Facts, service: &str) -> Imported {
        let _ = (docs, facts);
        Imported {
            spec: ServiceSpec {
                service: service.to_owned(),
                title: service.to_owned(),
                description: None,
                source: None,
                protocol: Protocol::Rest,
                base_url: String::new(),
                auth: Vec::new(),
                groups: Vec::new(),
                operations: Vec::new(),
                types: Vec::new(),
                soap: None,
            },
            report: Report::default(),
            problems: Diagnostics::default(),
        }
    }
}
