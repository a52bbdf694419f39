//! What the test modules share: the workspace and test-data folders, generating and lowering a
//! spec folder, the one check of generated doc lines, temporary folders, a time limit, the
//! snapshot settings, and the property tests' cases and seed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use codegen::GeneratedFile;
use proptest::test_runner::{Config, RngSeed};

/// The workspace root, the folder that holds `spec/` and `codegen/`.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A path below `codegen/tests/`, where the test data lives (`fixtures`, `invalid`, ...).
pub fn test_data(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(relative)
}

/// The files the spec folder `spec_dir` (relative to the workspace) generates, with the folder
/// named in messages as `cargo xtask codegen` names it; panics with the diagnostics.
pub fn generate(spec_dir: &str) -> Vec<GeneratedFile> {
    codegen::generate_dir(&workspace().join(spec_dir), spec_dir).unwrap_or_else(|error| panic!("{error}"))
}

/// The model of the spec folder `dir`, named `shown` in messages; panics with the diagnostics.
pub fn lower_dir(dir: &Path, shown: &str) -> codegen::model::Model {
    let set = codegen::load::load_dir(dir, shown).unwrap_or_else(|error| panic!("{error}"));
    codegen::lower::lower(&set).unwrap_or_else(|error| panic!("{error}"))
}

/// The generated Rust files that come from the spec (the runtime is copied verbatim).
pub fn is_generated_rust(file: &GeneratedFile) -> bool {
    file.path.ends_with(".rs") && !file.path.starts_with("src/runtime/")
}

/// The blocks [`check_doc_lines`] found in a file.
#[derive(Debug, Default)]
pub struct DocBlocks {
    /// Fenced `text` blocks, the form every block of a description takes.
    pub text_fences: usize,
    /// The generator's own examples.
    pub examples: usize,
}

/// Checks the doc comments of a generated Rust file, whatever the descriptions said: every doc
/// line stays a `///` or `//!` line (prettyplease prints a doc string that holds a line break as
/// a block comment or an attribute), holds no tab or carriage return, and opens neither an
/// indented code block nor a fence rustdoc would compile. The one exception is the generator's
/// own examples: a `no_run` block whose first line is `codegen::emit::EXAMPLE_MARKER`, which no
/// description can produce (`docs` fences every block of a description as `text`).
pub fn check_doc_lines(file: &GeneratedFile) -> Result<DocBlocks, String> {
    let path = &file.path;
    let mut blocks = DocBlocks::default();
    let mut open = false;
    let mut lines = file.contents.lines().enumerate().peekable();
    while let Some((number, line)) = lines.next() {
        let at = number + 1;
        let start = line.trim_start();
        if ["/**", "/*!", "#[doc =", "#![doc ="].iter().any(|form| start.starts_with(form)) {
            return Err(format!("{path}:{at}: a doc string with a line break: {line}"));
        }
        let Some(doc) = start.strip_prefix("///").or_else(|| start.strip_prefix("//!")) else { continue };
        if doc.contains('\r') || doc.contains('\t') {
            return Err(format!("{path}:{at}: control character"));
        }
        // rustdoc also treats a line indented four spaces after a blank line as code.
        if !open && doc.starts_with("     ") {
            return Err(format!("{path}:{at}: indented code block: {doc:?}"));
        }
        let doc = doc.trim();
        if doc.starts_with("```") {
            if !open && doc == "```no_run" {
                let next = lines.peek().map(|(_, line)| line.trim_start());
                let marked = next.and_then(|line| line.strip_prefix("///").or_else(|| line.strip_prefix("//!")));
                if marked.map(str::trim) != Some(codegen::emit::EXAMPLE_MARKER) {
                    return Err(format!("{path}:{at}: a `no_run` block that is not one of the generator's examples"));
                }
                blocks.examples += 1;
            } else if !open {
                if doc != "```text" {
                    return Err(format!("{path}:{at}: a fence that is not `text`: {doc}"));
                }
                blocks.text_fences += 1;
            }
            open = !open;
        }
    }
    if open {
        return Err(format!("{path}: a fence is left open"));
    }
    Ok(blocks)
}

/// A fresh, empty folder below the system's temporary folder, removed when dropped (passed or
/// failed). Its name holds the process id and a counter: the tests run at once in one process.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let number = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("{name}-{}-{number}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `f` on another thread and fails the test if it takes longer than `limit` (the thread is
/// left behind: a hang must fail the test, not stall the suite).
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    receive.recv_timeout(limit).unwrap_or_else(|_| panic!("did not finish within {limit:?}"))
}

/// Runs `assert` with insta's snapshots in `codegen/tests/snapshots/<folder>`, named exactly as
/// the assertions name them: the files kept their names when the test files became modules of
/// one binary (so a name carries its former binary's prefix, `diff_reports__...`).
pub fn in_snapshots<R>(folder: &str, assert: impl FnOnce() -> R) -> R {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path(Path::new("../snapshots").join(folder));
    settings.bind(assert)
}

/// The seed of the property tests' default run. It is fixed so that a red CI means a change
/// broke something, not that this run happened to draw a new case; exploring is a separate,
/// documented run.
const DEFAULT_SEED: u64 = 0x5eed_2026_1202;

/// `PROPTEST_CASES`, or the test's own default.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(default)
}

/// The fixed seed, unless `PROPTEST_RNG_SEED=<n>` names another one (proptest reads it into
/// its default config) or `FUZZ_RANDOM=1` asks for a fresh random one.
fn rng_seed() -> RngSeed {
    if std::env::var_os("FUZZ_RANDOM").is_some_and(|value| value == "1") {
        RngSeed::Random
    } else if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
        Config::default().rng_seed
    } else {
        RngSeed::Fixed(DEFAULT_SEED)
    }
}

/// A proptest config of `default_cases` cases (or `PROPTEST_CASES`) from [`rng_seed`], without
/// a regressions file: the tests that keep one set it themselves.
pub fn proptest_config(default_cases: u32) -> Config {
    Config { cases: cases(default_cases), rng_seed: rng_seed(), failure_persistence: None, ..Config::default() }
}
