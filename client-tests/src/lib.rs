//! Intentionally empty: this package only holds the integration tests in `tests/`, which drive
//! the generated `api-clients` crate against a wiremock server on loopback.
