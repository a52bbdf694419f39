//! The corpus excerpts' clients (`codegen/tests/import_fixtures/openapi/corpus/`, imported to
//! `fixture-clients`' `corpus_*` services) against loopback servers: per API, the operations
//! that stress what real documents hold, with exact requests and real answers.

mod github;
mod nexus;
mod small_apis;
