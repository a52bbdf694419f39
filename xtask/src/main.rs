//! `cargo xtask`: the project's command line. It parses arguments and prints; what the
//! commands do is in `xtask`'s library, and all generation logic in the `codegen` library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::WORKSPACE_OUTPUTS;

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask diff (--base <git-ref> | <old-spec> <new-spec>) [--format markdown|json|text] [--fail-on breaking]

  codegen          regenerate generated/ from spec/ (and fixture-clients/ from the test fixtures)
  codegen --check  write nothing; fail and list stale files when the output is not up to date
  diff             report the API changes between two specs: what changed, and what breaks on the
                   wire and for Rust users of the generated crate (see docs/diff-rules.md)
  diff-rules       print the rule table of docs/diff-rules.md";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => xtask::codegen(&workspace_root(), WORKSPACE_OUTPUTS, false),
        ["codegen", "--check"] => xtask::codegen(&workspace_root(), WORKSPACE_OUTPUTS, true),
        ["diff", rest @ ..] => return diff(rest),
        ["diff-rules"] => Ok(vec![codegen::diff::report::rules_table()]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn diff(args: &[&str]) -> ExitCode {
    let result = xtask::parse_diff_args(args)
        .map_err(|error| format!("error: {error}\n\n{USAGE}"))
        .and_then(|options| xtask::diff(&workspace_root(), &options));
    match result {
        Ok((report, fail)) => {
            print!("{report}");
            if fail {
                eprintln!("error: breaking API changes (--fail-on breaking)");
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    // xtask/ sits directly below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}
