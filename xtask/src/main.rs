//! `cargo xtask`: the project's command line. It parses arguments and prints; what the
//! commands do is in `xtask`'s library, and all generation logic in the `codegen` library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::WORKSPACE_OUTPUTS;

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask diff (--base <git-ref> | <old-spec> <new-spec>) [--format markdown|json|text]
                        [--fail-on breaking|wire|rust]
       cargo xtask diff-rules
       cargo xtask import <format> <inputs...> --service <id> [--facts <file-or-folder>...]
                          [--overlay <file>] [--check]
       cargo xtask bench-scale [<shape>...] [--sizes <n>,<n>...]

  codegen          regenerate generated/ from spec/ (and fixture-clients/ from the test fixtures)
  codegen --check  write nothing; fail and list stale files when the output is not up to date
  diff             report the API changes between spec/ at a git ref and the working tree, or between
                   two spec folders or files: what changed, and what breaks on the wire and for Rust
                   users of the generated crate (docs/diff-rules.md). `--fail-on breaking` exits
                   with status 1 on a breaking change (wire: only wire-breaking ones, rust: only
                   rust-major ones); status 2 means a side does not load
  diff-rules       print the rule table of docs/diff-rules.md
  bench-scale      time load, lower, emit and diff on synthetic specs of growing size (shapes:
                   operations, one-group, alias-chain, nested-objects; default all) and print
                   the time per operation or type
  import           read vendor documents (files or folders) of a format into spec/<id>.yaml, confirm
                   inferred facts from --facts sources, apply the hand corrections of
                   spec/overlays/<id>.yaml (or --overlay) and print what was read, inferred and
                   skipped. Exits with status 1 when a document was skipped, or with --check when
                   the file would change. The formats:";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => xtask::codegen(&workspace_root(), WORKSPACE_OUTPUTS, false),
        ["codegen", "--check"] => xtask::codegen(&workspace_root(), WORKSPACE_OUTPUTS, true),
        ["diff", rest @ ..] => return diff(rest),
        ["import", rest @ ..] => return import(rest),
        ["bench-scale", rest @ ..] => return bench_scale(rest),
        ["diff-rules"] => Ok(vec![codegen::diff::report::rules_table()]),
        _ => Err(usage()),
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
    let options = match xtask::parse_diff_args(args) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("error: {error}\n\n{}", usage());
            return ExitCode::from(2);
        }
    };
    // `--base` reads the workspace's git repository; paths are the user's, relative to where the
    // command runs (`cargo run` keeps the directory).
    let root = match options.sides {
        xtask::Sides::Base(_) => workspace_root(),
        xtask::Sides::Paths(..) => std::env::current_dir().unwrap_or_else(|_| workspace_root()),
    };
    match xtask::diff(&root, &options) {
        Ok(outcome) => {
            print!("{}", outcome.rendered);
            if outcome.fail {
                eprintln!("error: breaking API changes (--fail-on)");
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn import(args: &[&str]) -> ExitCode {
    let options = match xtask::parse_import_args(args) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("error: {error}\n\n{}", usage());
            return ExitCode::from(2);
        }
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| workspace_root());
    match xtask::run_import(&workspace_root(), &cwd, &options) {
        Ok(outcome) => {
            for line in &outcome.lines {
                println!("{line}");
            }
            for error in &outcome.errors {
                eprintln!("{error}");
            }
            if outcome.fail {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn bench_scale(args: &[&str]) -> ExitCode {
    let mut shapes = Vec::new();
    let mut sizes = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if *arg == "--sizes" {
            let parsed: Option<Vec<usize>> = args
                .next()
                .and_then(|list| list.split(',').map(|n| n.trim().parse().ok().filter(|n| *n > 0)).collect());
            match parsed {
                Some(list) => sizes = Some(list),
                None => {
                    eprintln!("error: --sizes takes positive numbers separated by commas\n\n{}", usage());
                    return ExitCode::from(2);
                }
            }
        } else if let Some(shape) = xtask::scale::Shape::parse(arg) {
            shapes.push(shape);
        } else {
            eprintln!("error: unknown shape `{arg}`\n\n{}", usage());
            return ExitCode::from(2);
        }
    }
    if shapes.is_empty() {
        shapes = xtask::scale::Shape::ALL.to_vec();
    }
    match xtask::scale::bench(&shapes, sizes.as_deref(), |line| println!("{line}")) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The usage text, ending with the import formats of the registry.
fn usage() -> String {
    let formats: Vec<String> = codegen::import::FORMATS
        .iter()
        .map(|format| format!("                     {:<22} {}", format.name(), format.summary()))
        .collect();
    format!("{USAGE}\n{}", formats.join("\n"))
}

fn workspace_root() -> PathBuf {
    // xtask/ sits directly below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}
