//! The `cargo xtask` binary as a person calls it: help in every spelling exits 0 and names every
//! command; a wrong command or argument exits 2 with what was wrong, a hint and the usage.

use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("the xtask binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_exits_zero_and_describes_every_command() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let output = xtask(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", text(&output.stderr));
        let usage = text(&output.stdout);
        for command in ["codegen", "diff", "diff-rules", "import", "bench-scale", "openapi-crate", "bench", "corpus"] {
            assert!(usage.contains(&format!("cargo xtask {command}")), "{args:?} does not show `{command}`:\n{usage}");
        }
        assert!(usage.contains("--quiet") && usage.contains("--check"), "{usage}");
    }
}

#[test]
fn help_after_a_command_shows_that_command() {
    for args in [&["codegen", "--help"][..], &["codegen", "-h"], &["help", "codegen"]] {
        let output = xtask(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let usage = text(&output.stdout);
        assert!(usage.contains("cargo xtask codegen [--check] [--quiet]"), "{usage}");
        assert!(!usage.contains("cargo xtask import"), "only the command asked about: {usage}");
    }
    for command in ["diff", "import", "bench-scale", "diff-rules", "corpus"] {
        let output = xtask(&[command, "--help"]);
        assert_eq!(output.status.code(), Some(0), "{command} --help: {}", text(&output.stderr));
        assert!(text(&output.stdout).contains(&format!("cargo xtask {command}")));
    }
}

#[test]
fn unknown_arguments_fail_with_a_hint_and_the_usage() {
    let cases: &[(&[&str], &str)] = &[
        (&["codegen", "--chek"], "error: unknown argument `--chek`\n  = help: did you mean `--check`?\n"),
        (&["codgen"], "error: unknown command `codgen`\n  = help: did you mean `codegen`?\n"),
        (&["diff", "--formt", "json"], "error: unknown option `--formt`\n  = help: did you mean `--format`?\n"),
        (&["import", "wsdl"], "error: name the documents"),
        (
            &["bench-scale", "alias-chains"],
            "error: unknown shape `alias-chains`\n  = help: did you mean `alias-chain`?",
        ),
        (&["corpus"], "error: name the OpenAPI documents to check"),
        (&["corpus", "nexus.json", "--ot", "x"], "error: unknown option `--ot`\n  = help: did you mean `--out`?\n"),
        (&[], "error: name a command"),
    ];
    for (args, expected) in cases {
        let output = xtask(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = text(&output.stderr);
        assert!(message.starts_with(expected), "{args:?}:\n{message}");
        assert!(message.contains("usage:"), "{args:?} shows no usage:\n{message}");
        assert!(output.stdout.is_empty(), "{args:?} printed to stdout");
    }
}
