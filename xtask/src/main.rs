//! `cargo xtask`: the project's command line. It parses arguments (`xtask::cli`) and prints;
//! what the commands do is in `xtask`'s library, and all generation logic in the `codegen`
//! library.
//!
//! Exit status: 0 on success (and for `--help`), 1 when a command fails (an invalid spec, stale
//! output with `--check`, a breaking change with `--fail-on`), 2 for a command line that cannot
//! run (an unknown command or argument: the message names it and shows the usage) and when a
//! diff side does not load.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::WORKSPACE_OUTPUTS;

/// Generation is allocation-bound (token trees built, parsed and printed): see `Cargo.toml`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use xtask::cli::{self, Command};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let command = match cli::parse(&args) {
        Ok(command) => command,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help(None) => println!("{}", cli::usage()),
        Command::Help(Some(name)) => println!("usage:\n{}", cli::usage_of(name)),
        Command::Codegen { check, quiet } => match xtask::codegen(&workspace_root(), WORKSPACE_OUTPUTS, check) {
            Ok(report) if !quiet => report.lines().iter().for_each(|line| println!("{line}")),
            Ok(_) => {}
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        },
        Command::Diff(options) => return diff(&options),
        Command::DiffRules => println!("{}", codegen::diff::report::rules_table()),
        Command::Import(options) => return import(&options),
        Command::BenchScale { shapes, sizes } => {
            if let Err(message) = xtask::scale::bench(&shapes, sizes.as_deref(), |line| println!("{line}")) {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        }
        Command::OpenapiCrate { inputs, service, out } => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| workspace_root());
            match xtask::bench::openapi_crate(&cwd, &inputs, &service, &out) {
                Ok(lines) => lines.iter().for_each(|line| println!("{line}")),
                Err(message) => {
                    eprintln!("{message}");
                    return ExitCode::FAILURE;
                }
            }
        }
        Command::Corpus { documents, out } => {
            match xtask::corpus::corpus(&workspace_root(), &documents, out.as_deref(), |line| println!("{line}")) {
                Ok(true) => {}
                Ok(false) => return ExitCode::FAILURE,
                Err(message) => {
                    eprintln!("{message}");
                    return ExitCode::FAILURE;
                }
            }
        }
        Command::Bench { documents } => {
            if let Err(message) = xtask::bench::bench(&workspace_root(), &documents, |line| println!("{line}")) {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

fn diff(options: &xtask::DiffOptions) -> ExitCode {
    // `--base` reads the workspace's git repository; paths are the user's, relative to where the
    // command runs (`cargo run` keeps the directory).
    let root = match options.sides {
        xtask::Sides::Base(_) => workspace_root(),
        xtask::Sides::Paths(..) => std::env::current_dir().unwrap_or_else(|_| workspace_root()),
    };
    match xtask::diff(&root, options) {
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

fn import(options: &xtask::ImportOptions) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_else(|_| workspace_root());
    match xtask::run_import(&workspace_root(), &cwd, options) {
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

fn workspace_root() -> PathBuf {
    // xtask/ sits directly below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}
