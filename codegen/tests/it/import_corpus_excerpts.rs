//! Excerpts of progenitor's real-world corpus (`import_fixtures/openapi/corpus/`, cut by its
//! `cut.py`), and the Swagger 2.0 petstore, import to exactly the committed fixtures
//! `corpus_<api>.yaml`, which client-tests call on loopback servers: an importer change shows
//! here as a readable spec diff.

use crate::common;

use codegen::import::{self, Document, Facts};

/// (document under `import_fixtures/openapi/`, service): the service id is the fixture's file stem.
const EXCERPTS: &[(&str, &str)] = &[
    ("corpus/nexus.json", "corpus_nexus"),
    ("corpus/api.github.com.json", "corpus_github"),
    ("corpus/buildomat.json", "corpus_buildomat"),
    ("corpus/keeper.json", "corpus_keeper"),
    ("corpus/propolis-server.json", "corpus_propolis"),
    ("corpus/param-collision.json", "corpus_param_collision"),
    ("corpus/param-overrides.json", "corpus_param_overrides"),
    ("petstore-swagger2.json", "corpus_petstore"),
];

#[test]
fn each_excerpt_imports_to_its_committed_fixture() {
    let format = import::format("openapi").expect("the openapi format");
    for (excerpt, service) in EXCERPTS {
        let shown = format!("codegen/tests/import_fixtures/openapi/{excerpt}");
        let text = std::fs::read_to_string(common::workspace().join(&shown)).unwrap();
        let outcome = import::run(
            format,
            &[Document::new(shown, text)],
            &Facts::default(),
            service,
            None,
            "cargo xtask import openapi",
        )
        .unwrap_or_else(|problems| panic!("{excerpt}: {problems}"));
        assert!(outcome.problems.is_empty(), "{excerpt}: {}", outcome.problems);
        let fixture = common::workspace().join(format!("codegen/tests/fixtures/{service}.yaml"));
        let committed = std::fs::read_to_string(&fixture).unwrap();
        assert!(
            committed == outcome.yaml,
            "{excerpt} no longer imports to {}: re-run `cargo xtask import openapi codegen/tests/import_fixtures/openapi/{excerpt} --service {service}`, move spec/{service}.yaml there and review the diff",
            fixture.display()
        );
    }
}
