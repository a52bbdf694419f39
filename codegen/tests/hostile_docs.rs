//! Generated docs never contain a code block rustdoc would compile, and never a character a
//! doc comment cannot hold, whatever the descriptions say (see `fixtures/hostile_docs.yaml`).
//! The one exception is the generator's own examples: a `no_run` block whose first line is
//! `codegen::emit::EXAMPLE_MARKER`, which no description can produce (`docs` fences every
//! block of a description as `text`).

use std::path::Path;

#[test]
fn no_generated_doc_comment_opens_a_doctest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut fences = 0;
    let mut examples = 0;
    for (spec_dir, _) in codegen::WORKSPACE_OUTPUTS {
        let files = codegen::generate_dir(&root.join(spec_dir), spec_dir).unwrap_or_else(|error| panic!("{error}"));
        for file in files.iter().filter(|file| file.path.ends_with(".rs") && !file.path.starts_with("src/runtime/")) {
            let mut open = false;
            let mut lines = file.contents.lines().enumerate().peekable();
            while let Some((number, line)) = lines.next() {
                // prettyplease prints a doc string that holds a line break as a block comment or
                // an attribute; every doc line must stay a `///` or `//!` line.
                let start = line.trim_start();
                assert!(
                    !["/**", "/*!", "#[doc =", "#![doc ="].iter().any(|form| start.starts_with(form)),
                    "{}:{}: a doc string with a line break: {line}",
                    file.path,
                    number + 1
                );
                let Some(doc) = line.trim_start().strip_prefix("///").or_else(|| line.trim_start().strip_prefix("//!"))
                else {
                    continue;
                };
                assert!(!doc.contains('\r') && !doc.contains('\t'), "{}:{}: control character", file.path, number + 1);
                // rustdoc also treats a line indented four spaces after a blank line as code.
                assert!(
                    open || !doc.starts_with("     "),
                    "{}:{}: indented code block: {doc:?}",
                    file.path,
                    number + 1
                );
                let doc = doc.trim();
                if doc.starts_with("```") {
                    if !open && doc == "```no_run" {
                        let next = lines.peek().map(|(_, line)| line.trim_start());
                        let marked =
                            next.and_then(|line| line.strip_prefix("///").or_else(|| line.strip_prefix("//!")));
                        assert_eq!(
                            marked.map(str::trim),
                            Some(codegen::emit::EXAMPLE_MARKER),
                            "{}:{}: a `no_run` block that is not one of the generator's examples",
                            file.path,
                            number + 1
                        );
                        examples += 1;
                    } else if !open {
                        assert_eq!(doc, "```text", "{}:{}: a fence that is not `text`", file.path, number + 1);
                        fences += 1;
                    }
                    open = !open;
                }
            }
            assert!(!open, "{}: a fence is left open", file.path);
        }
    }
    assert!(fences > 0, "the hostile fixture should produce fenced blocks");
    assert!(examples > 0, "the generator writes examples");
}
