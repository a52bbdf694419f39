//! The corpus excerpts' clients (`codegen/tests/import_fixtures/openapi/corpus/`, imported to
//! `fixture-clients`' `corpus_*` services), and the Swagger 2.0 petstore, against loopback
//! servers: per API, the operations that stress what real documents hold, with exact requests
//! and real answers.

mod github;
mod nexus;
mod petstore;
mod progenitor_tests;
mod small_apis;
