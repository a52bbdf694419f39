//! Generated docs never contain a code block rustdoc would compile, and never a character a
//! doc comment cannot hold, whatever the descriptions say (see `fixtures/hostile_docs.yaml`):
//! `common::check_doc_lines` on every generated file of the real specs and the fixtures.

use crate::common;

#[test]
fn no_generated_doc_comment_opens_a_doctest() {
    let mut fences = 0;
    let mut examples = 0;
    for (spec_dir, _) in codegen::WORKSPACE_OUTPUTS {
        for file in common::generate(spec_dir).iter().filter(|file| common::is_generated_rust(file)) {
            let blocks = common::check_doc_lines(file).unwrap_or_else(|problem| panic!("{problem}"));
            fences += blocks.text_fences;
            examples += blocks.examples;
        }
    }
    assert!(fences > 0, "the hostile fixture should produce fenced blocks");
    assert!(examples > 0, "the generator writes examples");
}
