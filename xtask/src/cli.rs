//! The command line of `cargo xtask`: the commands, their usage text, and parsing the arguments
//! into a [`Command`] or a usage error that says what was wrong and how to call the command.

use std::fmt;

use codegen::diagnostics::did_you_mean;

use crate::diff::{parse_diff_args, DiffOptions};
use crate::import::{parse_import_args, ImportOptions};
use crate::scale::Shape;

/// One subcommand: its name, how it is called, and what it does.
pub struct Subcommand {
    pub name: &'static str,
    pub synopsis: &'static str,
    pub about: &'static str,
    /// Its options, for the "did you mean" hint of a misspelt one.
    pub options: &'static [&'static str],
}

/// Every subcommand, in the order the usage lists them.
pub const SUBCOMMANDS: &[Subcommand] = &[
    Subcommand {
        name: "codegen",
        options: &["--check", "--quiet", "-q"],
        synopsis: "cargo xtask codegen [--check] [--quiet]",
        about: "regenerate generated/ from spec/ (and fixture-clients/ from the test fixtures), writing only
the files that change, and print per folder what was written, removed and left unchanged.
  --check   write nothing: print `up to date`, or list the stale files and exit with status 1
  --quiet   print nothing but errors (-q)",
    },
    Subcommand {
        name: "diff",
        options: &["--base", "--format", "--fail-on"],
        synopsis: "cargo xtask diff (--base <git-ref> | <old-spec> <new-spec>) [--format markdown|json|text]
                 [--fail-on breaking|wire|rust]",
        about: "report the API changes between spec/ at a git ref and the working tree, or between two spec
folders or files: what changed, and what breaks on the wire and for Rust users of the generated
crate (docs/diff-rules.md). `--fail-on breaking` exits with status 1 on a breaking change (wire:
only wire-breaking ones, rust: only rust-major ones); status 2 means a side does not load.",
    },
    Subcommand {
        name: "diff-rules",
        options: &[],
        synopsis: "cargo xtask diff-rules",
        about: "print the rule table of docs/diff-rules.md.",
    },
    Subcommand {
        name: "import",
        options: &["--service", "--facts", "--overlay", "--check"],
        synopsis: "cargo xtask import <format> <inputs...> --service <id> [--facts <file-or-folder>...]
                   [--overlay <file>] [--check]",
        about: "read vendor documents (files or folders) of a format into spec/<id>.yaml, confirm inferred
facts from --facts sources, apply the hand corrections of spec/overlays/<id>.yaml (or --overlay)
and print what was read, inferred and skipped. Exits with status 1 when a document was skipped,
or with --check when the file would change.",
    },
    Subcommand {
        name: "bench-scale",
        options: &["--sizes"],
        synopsis: "cargo xtask bench-scale [<shape>...] [--sizes <n>,<n>...]",
        about: "time load, lower, emit and diff on synthetic specs of growing size (shapes: operations,
one-group, alias-chain, nested-objects, unknown-types; default all) and print the time per
operation or type.",
    },
    Subcommand {
        name: "openapi-crate",
        options: &["--service", "--out"],
        synopsis: "cargo xtask openapi-crate <document> [<referenced files>...] --service <id> --out <folder>",
        about: "import an OpenAPI or Swagger document and write a standalone client crate into <folder>, in
one step and without touching spec/ (the import report says what was mapped and skipped).",
    },
    Subcommand {
        name: "bench",
        options: &[],
        synopsis: "cargo xtask bench <openapi-document>...",
        about: "measure our generator against progenitor's CLI (installed into target/bench-tools at a
pinned version on first use) on the same documents: generation time, generated lines and
`cargo check` time of each generated crate, and the ratios. Takes minutes; CI does not run it.",
    },
    Subcommand {
        name: "corpus",
        options: &["--out"],
        synopsis: "cargo xtask corpus <openapi-document>... [--out <folder>]",
        about: "import and generate each OpenAPI document as its own crate (in <folder>, default apidoc-corpus/
in the system's temporary folder), run `cargo clippy -D warnings` and `cargo doc` with warnings
denied on each, and print per document the operations mapped, the generated lines, each step's
result and the constructs left unmapped. Exits with status 1 when a step fails. Takes minutes;
CI does not run it.",
    },
    Subcommand {
        name: "help",
        options: &[],
        synopsis: "cargo xtask help [<command>]   (or --help, -h; also after a command)",
        about: "print this usage, or one command's.",
    },
];

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Print the usage of every command, or of one; exit with status 0.
    Help(Option<&'static str>),
    Codegen {
        check: bool,
        quiet: bool,
    },
    Diff(DiffOptions),
    DiffRules,
    Import(ImportOptions),
    BenchScale {
        shapes: Vec<Shape>,
        sizes: Option<Vec<usize>>,
    },
    OpenapiCrate {
        inputs: Vec<std::path::PathBuf>,
        service: String,
        out: std::path::PathBuf,
    },
    Bench {
        documents: Vec<std::path::PathBuf>,
    },
    Corpus {
        documents: Vec<std::path::PathBuf>,
        out: Option<std::path::PathBuf>,
    },
}

/// A command line that cannot run: what is wrong, a hint, and the command it was for (whose
/// usage is shown). Exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    pub command: Option<&'static str>,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        if let Some(hint) = &self.hint {
            writeln!(f, "  = help: {hint}")?;
        }
        writeln!(f)?;
        match self.command {
            Some(name) => write!(f, "usage:\n{}\n\nRun `cargo xtask help` for every command.", usage_of(name)),
            None => write!(f, "{}", usage()),
        }
    }
}

/// Whether an argument asks for help (anywhere after the command, as people type it).
fn is_help(arg: &str) -> bool {
    matches!(arg, "--help" | "-h")
}

/// Parses the arguments after `cargo xtask`.
pub fn parse(args: &[&str]) -> Result<Command, UsageError> {
    let Some((&name, rest)) = args.split_first() else {
        return Err(UsageError { command: None, message: "name a command".to_owned(), hint: None });
    };
    if is_help(name) || name == "help" {
        return match rest {
            [] => Ok(Command::Help(None)),
            [command, ..] => subcommand(command).map(|sub| Command::Help(Some(sub.name))),
        };
    }
    let sub = subcommand(name)?;
    if rest.iter().any(|arg| is_help(arg)) {
        return Ok(Command::Help(Some(sub.name)));
    }
    let wrong = |message: String| {
        // `unknown option `--formt``: the closest option of the command.
        let hint = message
            .strip_prefix("unknown option `")
            .and_then(|rest| rest.split('`').next())
            .and_then(|option| did_you_mean(option, sub.options.iter().copied()));
        UsageError { command: Some(sub.name), message, hint }
    };
    match sub.name {
        "codegen" => parse_codegen(rest),
        "diff" => parse_diff_args(rest).map(Command::Diff).map_err(wrong),
        "diff-rules" => match rest {
            [] => Ok(Command::DiffRules),
            [arg, ..] => Err(wrong(format!("`diff-rules` takes no arguments, not `{arg}`"))),
        },
        "import" => parse_import_args(rest).map(Command::Import).map_err(wrong),
        "bench-scale" => parse_bench_scale(rest),
        "openapi-crate" => parse_openapi_crate(rest).map_err(wrong),
        "bench" => match rest.iter().find(|arg| arg.starts_with('-')) {
            Some(arg) => Err(wrong(format!("unknown option `{arg}`"))),
            None => Ok(Command::Bench { documents: rest.iter().map(Into::into).collect() }),
        },
        "corpus" => parse_corpus(rest).map_err(wrong),
        _ => Ok(Command::Help(None)),
    }
}

fn parse_corpus(args: &[&str]) -> Result<Command, String> {
    let (mut documents, mut out) = (Vec::new(), None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--out" => out = Some(args.next().ok_or("--out needs a folder")?.into()),
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            document => documents.push(document.into()),
        }
    }
    if documents.is_empty() {
        return Err("name the OpenAPI documents to check (e.g. progenitor's sample_openapi/*.json)".to_owned());
    }
    Ok(Command::Corpus { documents, out })
}

fn subcommand(name: &str) -> Result<&'static Subcommand, UsageError> {
    SUBCOMMANDS.iter().find(|sub| sub.name == name).ok_or_else(|| UsageError {
        command: None,
        message: format!("unknown command `{name}`"),
        hint: did_you_mean(name, SUBCOMMANDS.iter().map(|sub| sub.name)),
    })
}

fn parse_codegen(args: &[&str]) -> Result<Command, UsageError> {
    let (mut check, mut quiet) = (false, false);
    for arg in args {
        match *arg {
            "--check" => check = true,
            "--quiet" | "-q" => quiet = true,
            other => {
                return Err(UsageError {
                    command: Some("codegen"),
                    message: format!("unknown argument `{other}`"),
                    hint: did_you_mean(other, ["--check", "--quiet", "-q"]),
                })
            }
        }
    }
    Ok(Command::Codegen { check, quiet })
}

fn parse_bench_scale(args: &[&str]) -> Result<Command, UsageError> {
    let wrong = |message: String, hint: Option<String>| UsageError { command: Some("bench-scale"), message, hint };
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
                None => return Err(wrong("--sizes takes positive numbers separated by commas".to_owned(), None)),
            }
        } else if let Some(shape) = Shape::parse(arg) {
            shapes.push(shape);
        } else {
            let names = Shape::ALL.map(Shape::name);
            let hint = did_you_mean(arg, names.iter().copied().chain(["--sizes"]))
                .unwrap_or_else(|| format!("the shapes are {}", names.join(", ")));
            return Err(wrong(format!("unknown shape `{arg}`"), Some(hint)));
        }
    }
    if shapes.is_empty() {
        shapes = Shape::ALL.to_vec();
    }
    Ok(Command::BenchScale { shapes, sizes })
}

fn parse_openapi_crate(args: &[&str]) -> Result<Command, String> {
    let (mut inputs, mut service, mut out) = (Vec::new(), None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--service" => service = Some(args.next().ok_or("--service needs a service id")?.to_string()),
            "--out" => out = Some(args.next().ok_or("--out needs a folder")?.into()),
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            input => inputs.push(input.into()),
        }
    }
    if inputs.is_empty() {
        return Err("name the OpenAPI document".to_owned());
    }
    let service = service.ok_or("--service <id> is required (the service's snake_case id)")?;
    let out = out.ok_or("--out <folder> is required (where the crate is written)")?;
    Ok(Command::OpenapiCrate { inputs, service, out })
}

/// The usage of every command, ending with the import formats of the registry.
pub fn usage() -> String {
    let mut text = String::from("usage: cargo xtask <command> [<arguments>]\n");
    for sub in SUBCOMMANDS {
        text.push('\n');
        text.push_str(&usage_of(sub.name));
        text.push('\n');
    }
    text.trim_end().to_owned()
}

/// One command's usage: how it is called, what it does (and for `import`, the formats).
pub fn usage_of(name: &str) -> String {
    let Some(sub) = SUBCOMMANDS.iter().find(|sub| sub.name == name) else { return usage() };
    let synopsis: Vec<String> = sub.synopsis.lines().map(|line| format!("  {line}")).collect();
    let about: Vec<String> = sub.about.lines().map(|line| format!("    {line}")).collect();
    let mut text = format!("{}\n{}", synopsis.join("\n"), about.join("\n"));
    if sub.name == "import" {
        text.push_str("\n    The formats:");
        for format in codegen::import::FORMATS {
            text.push_str(&format!("\n      {:<22} {}", format.name(), format.summary()));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_in_every_spelling_names_every_command() {
        for args in [&["--help"][..], &["-h"], &["help"]] {
            assert_eq!(parse(args), Ok(Command::Help(None)), "{args:?}");
        }
        let usage = usage();
        for sub in SUBCOMMANDS {
            let first = sub.synopsis.lines().next().unwrap_or_default();
            assert!(usage.contains(first), "{} is missing from the usage", sub.name);
        }
        assert!(usage.contains("openapi-generator-md"), "the import formats are listed");
    }

    #[test]
    fn help_after_a_command_is_that_commands_usage() {
        assert_eq!(parse(&["codegen", "--help"]), Ok(Command::Help(Some("codegen"))));
        assert_eq!(parse(&["diff", "--base", "main", "-h"]), Ok(Command::Help(Some("diff"))));
        assert_eq!(parse(&["help", "import"]), Ok(Command::Help(Some("import"))));
        assert!(usage_of("import").contains("wsdl"));
        assert!(!usage_of("codegen").contains("bench-scale"));
    }

    #[test]
    fn codegen_options_in_any_order() {
        assert_eq!(parse(&["codegen"]), Ok(Command::Codegen { check: false, quiet: false }));
        assert_eq!(parse(&["codegen", "-q", "--check"]), Ok(Command::Codegen { check: true, quiet: true }));
        assert_eq!(parse(&["codegen", "--quiet"]), Ok(Command::Codegen { check: false, quiet: true }));
    }

    #[test]
    fn unknown_arguments_fail_with_a_hint_and_the_usage() {
        let error = parse(&["codegen", "--chek"]).unwrap_err();
        assert_eq!(error.hint.as_deref(), Some("did you mean `--check`?"));
        let shown = error.to_string();
        assert!(shown.starts_with("error: unknown argument `--chek`\n  = help: did you mean `--check`?\n"), "{shown}");
        assert!(shown.contains("cargo xtask codegen [--check] [--quiet]"), "{shown}");

        let error = parse(&["codegne"]).unwrap_err();
        assert_eq!(error.hint.as_deref(), Some("did you mean `codegen`?"));
        assert!(parse(&[]).unwrap_err().to_string().contains("usage: cargo xtask <command>"));

        let error = parse(&["bench-scale", "operation"]).unwrap_err();
        assert_eq!(error.hint.as_deref(), Some("did you mean `operations`?"));
        let error = parse(&["diff", "--bsae", "main"]).unwrap_err();
        assert!(error.to_string().contains("unknown option `--bsae`"), "{error}");
        assert_eq!(error.hint.as_deref(), Some("did you mean `--base`?"));
        let error = parse(&["import", "wsdl", "a.wsdl", "--servce", "x"]).unwrap_err();
        assert_eq!(error.hint.as_deref(), Some("did you mean `--service`?"));
        assert!(parse(&["diff-rules", "x"]).is_err());
        assert!(parse(&["import", "--service"]).is_err());
    }
}
