//! `cargo xtask openapi-crate` (one OpenAPI document → a standalone client crate, in one
//! process) and `cargo xtask bench`, which runs it side by side with progenitor's CLI on the
//! same documents and prints the ratios. A benchmark to run by hand: CI never runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The progenitor release measured against; the issue that asked for the benchmark names it, and
/// a pinned version keeps the figures of two runs comparable.
pub const PROGENITOR_VERSION: &str = "0.15.1";

/// Generation runs per generator and document (the median is printed).
const GENERATION_RUNS: usize = 5;
/// `cargo check` runs per generated crate, after one that builds the dependencies.
const CHECK_RUNS: usize = 3;

/// Imports `inputs` (an OpenAPI document and the files its `$ref`s name) as service `service`
/// and writes the generated crate into `out`, without touching the workspace's `spec/`: the
/// same steps as `cargo xtask import openapi` then `cargo xtask codegen` (import, lower,
/// generate, write only what changed), in one process and without writing the spec and
/// reading it back (a test checks that the crates are the same).
pub fn openapi_crate(cwd: &Path, inputs: &[PathBuf], service: &str, out: &Path) -> Result<Vec<String>, String> {
    Ok(write_openapi_crate(cwd, inputs, service, out)?.lines)
}

/// What [`write_openapi_crate`] did: the report lines it prints, and the import's own figures.
pub struct WrittenCrate {
    pub lines: Vec<String>,
    pub imported: codegen::import::Outcome,
}

/// [`openapi_crate`], keeping the import's report for a caller that tabulates it (`cargo xtask corpus`).
pub fn write_openapi_crate(cwd: &Path, inputs: &[PathBuf], service: &str, out: &Path) -> Result<WrittenCrate, String> {
    let started = std::time::Instant::now();
    let format = codegen::import::format("openapi").ok_or("error: the openapi import format is missing")?;
    let docs = crate::import::read_inputs(cwd, inputs)?;
    let command = "cargo xtask openapi-crate";
    let facts = codegen::import::Facts::default();
    let imported = codegen::import::run(format, &docs, &facts, service, None, command)
        .map_err(|diagnostics| crate::import::list(&diagnostics))?;
    let krate = codegen::spec::CrateSpec {
        name: format!("{}-client", service.replace('_', "-")),
        version: "0.1.0".to_owned(),
        description: "A client generated from an OpenAPI document.".to_owned(),
        license: None,
    };
    let set = codegen::load::SpecSet {
        krate: codegen::load::SpecFile { file: "spec/crate.yaml".to_owned(), spec: krate },
        services: vec![codegen::load::SpecFile { file: format!("spec/{service}.yaml"), spec: imported.spec.clone() }],
    };
    let model = codegen::lower::lower(&set).map_err(|diagnostics| crate::import::list(&diagnostics))?;
    let files = codegen::emit::generate(&model);
    let out = cwd.join(out);
    let out_text = out.display().to_string();
    let (plan, report) = crate::plan_folder(&out, &out_text, &files, started).map_err(|error| error.to_string())?;
    crate::apply(&out, &plan).map_err(|error| format!("error: writing {out_text}: {error}"))?;
    let mut lines = vec![imported.report.render(codegen::import::Counts::of(&imported.spec))];
    lines.extend(imported.problems.0.iter().map(ToString::to_string));
    let report = crate::CodegenReport { check: false, folders: vec![report] };
    lines.extend(report.lines().into_iter().take(1));
    Ok(WrittenCrate { lines, imported })
}

/// A folder below the system's temporary folder, removed when dropped.
pub(crate) struct Scratch {
    pub(crate) path: PathBuf,
}

impl Scratch {
    pub(crate) fn new(purpose: &str) -> Result<Scratch, String> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!("apidoc-{purpose}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|error| format!("error: creating {}: {error}", path.display()))?;
        Ok(Scratch { path })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// What one generator did with one document.
struct Side {
    /// `None` when the generator failed; the reason is in `failure`.
    generation: Option<Timing>,
    failure: Option<String>,
    lines: usize,
    check: Option<Timing>,
}

/// Wall and CPU time (the process and everything it waited for: cargo's rustc runs).
#[derive(Clone, Copy)]
pub(crate) struct Timing {
    pub(crate) wall: Duration,
    pub(crate) cpu: Duration,
}

/// Runs both generators on every document and prints a table and the ratios.
pub fn bench(root: &Path, documents: &[PathBuf], print: impl Fn(&str)) -> Result<(), String> {
    if documents.is_empty() {
        return Err("error: name the OpenAPI documents to measure\n  = help: progenitor's own are in its repository's sample_openapi/ (github.com/oxidecomputer/progenitor), e.g. `cargo xtask bench sample_openapi/nexus.json sample_openapi/api.github.com.json`".to_owned());
    }
    let tools = root.join("target/bench-tools");
    print("building our generator (release) ...");
    run_ok(Command::new(cargo()).current_dir(root).args(["build", "--release", "--quiet", "-p", "xtask"]))?;
    let ours = root.join("target/release/xtask");
    let progenitor = install_progenitor(&tools, &print)?;
    let scratch = Scratch::new("bench")?;
    let mut rows = Vec::new();
    for document in documents {
        let document = std::env::current_dir().map_err(|error| error.to_string())?.join(document);
        let stem = document.file_stem().and_then(|stem| stem.to_str()).unwrap_or("api");
        let service = service_name(stem);
        print(&format!("{stem}: generating ({GENERATION_RUNS} runs each) ..."));
        let our_out = scratch.path.join(format!("ours-{service}"));
        let their_out = scratch.path.join(format!("progenitor-{service}"));
        let doc_text = document.display().to_string();
        let our_out_text = our_out.display().to_string();
        let their_out_text = their_out.display().to_string();
        let crate_name = format!("{}-progenitor", service.replace('_', "-"));
        let mut our_side = measure_generation(GENERATION_RUNS, || {
            let mut command = Command::new(&ours);
            command.args(["openapi-crate", &doc_text, "--service", &service, "--out", &our_out_text]);
            command
        });
        let mut their_side = measure_generation(GENERATION_RUNS, || {
            let mut command = Command::new(&progenitor);
            command.args(["progenitor", "-i", &doc_text, "-o", &their_out_text, "-n", &crate_name, "-v", "0.1.0"]);
            command.args(["--interface", "builder"]);
            command
        });
        for (side, out, who) in [(&mut our_side, &our_out, "ours"), (&mut their_side, &their_out, "progenitor")] {
            if side.generation.is_none() {
                continue;
            }
            side.lines = rust_lines(&out.join("src"));
            print(&format!("{stem}: cargo check of {who}'s crate (dependencies first, then {CHECK_RUNS} runs) ..."));
            match measure_check(out, &scratch.path.join(format!("target-{who}-{service}")), &[], CHECK_RUNS) {
                Ok(timing) => side.check = Some(timing),
                Err(message) => side.failure = Some(format!("generated, but `cargo check` fails: {message}")),
            }
        }
        rows.push((stem.to_owned(), our_side, their_side));
    }
    print("");
    print(&format!("ours: cargo xtask openapi-crate (release); progenitor: cargo-progenitor {PROGENITOR_VERSION} --interface builder"));
    print(&format!("generation: median of {GENERATION_RUNS} runs, process to process; check: `cargo check` of the generated crate with its dependencies built, median of {CHECK_RUNS}"));
    print("");
    print("| document | generator | generation wall | generated lines | check wall | check CPU | result |");
    print("|---|---|---|---|---|---|---|");
    for (stem, ours, theirs) in &rows {
        for (who, side) in [("ours", ours), ("progenitor", theirs)] {
            let generation = side.generation.map_or("-".to_owned(), |t| seconds(t.wall));
            let (check_wall, check_cpu) =
                side.check.map_or(("-".to_owned(), "-".to_owned()), |t| (seconds(t.wall), seconds(t.cpu)));
            let result = side.failure.clone().unwrap_or_else(|| "ok".to_owned());
            print(&format!(
                "| {stem} | {who} | {generation} | {} | {check_wall} | {check_cpu} | {result} |",
                side.lines
            ));
        }
    }
    print("");
    for (stem, ours, theirs) in &rows {
        let ratio = |a: Option<Timing>, b: Option<Timing>, pick: fn(Timing) -> Duration| match (a, b) {
            (Some(a), Some(b)) if !pick(b).is_zero() => format!("{:.2}", pick(a).as_secs_f64() / pick(b).as_secs_f64()),
            _ => "n/a".to_owned(),
        };
        let line = match (ours.generation, theirs.generation) {
            (Some(a), Some(b)) => format!(
                "generation {:.1}x faster than progenitor; check wall {}x, check CPU {}x progenitor's",
                b.wall.as_secs_f64() / a.wall.as_secs_f64().max(1e-6),
                ratio(ours.check, theirs.check, |t| t.wall),
                ratio(ours.check, theirs.check, |t| t.cpu)
            ),
            (Some(_), None) => format!(
                "ours generates and {}; progenitor {}",
                if ours.check.is_some() { "checks" } else { "does not check" },
                theirs.failure.as_deref().unwrap_or("fails")
            ),
            (None, _) => format!("ours {}", ours.failure.as_deref().unwrap_or("fails")),
        };
        print(&format!("{stem}: {line}"));
    }
    for document in documents {
        let stem = document.file_stem().and_then(|stem| stem.to_str()).unwrap_or("api");
        let service = service_name(stem);
        if let Some(points) = crate::curve::measure(&ours, document, &service, &scratch.path)? {
            print("");
            crate::curve::lines(stem, &points).iter().for_each(|line| print(line));
        }
    }
    // Last, as the longest part: two checks per group feature of each crate we generated.
    for (stem, ours, _) in &rows {
        let service = service_name(stem);
        let (dir, target) =
            (scratch.path.join(format!("ours-{service}")), scratch.path.join(format!("target-ours-{service}")));
        if ours.check.is_none() {
            continue;
        }
        print("");
        print(&format!(
            "{stem}: cargo check of each group feature alone (twice each: dependencies, then the crate) ..."
        ));
        match crate::groups::measure(&dir, &target, &service) {
            Ok(Some((whole, groups))) => crate::groups::lines(stem, whole, &groups).iter().for_each(|line| print(line)),
            Ok(None) => print(&format!("{stem}: fewer than two groups; nothing to compare")),
            Err(message) => print(&format!("{stem}: the group checks failed: {message}")),
        }
    }
    Ok(())
}

pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// progenitor's CLI below `tools`, installed there at [`PROGENITOR_VERSION`] unless it is already.
fn install_progenitor(tools: &Path, print: &impl Fn(&str)) -> Result<PathBuf, String> {
    let binary = tools.join("bin/cargo-progenitor");
    // The CLI has no version flag (`--version` is the generated crate's); cargo's list says it.
    let installed = binary.is_file()
        && Command::new(cargo()).args(["install", "--list", "--root"]).arg(tools).output().is_ok_and(|output| {
            String::from_utf8_lossy(&output.stdout).contains(&format!("cargo-progenitor v{PROGENITOR_VERSION}:"))
        });
    if !installed {
        print(&format!("installing cargo-progenitor {PROGENITOR_VERSION} into {} (once) ...", tools.display()));
        let mut install = Command::new(cargo());
        install.args(["install", "cargo-progenitor", "--locked", "--version", PROGENITOR_VERSION, "--root"]);
        install.arg(tools);
        run_ok(&mut install)?;
    }
    Ok(binary)
}

fn measure_generation(runs: usize, command: impl Fn() -> Command) -> Side {
    let mut timings = Vec::new();
    for _ in 0..runs {
        match timed(&mut command()) {
            Ok((timing, output)) if output.status.success() => timings.push(timing),
            Ok((_, output)) => return failed(&output),
            Err(message) => return Side { generation: None, failure: Some(message), lines: 0, check: None },
        }
    }
    Side { generation: Some(median(timings)), failure: None, lines: 0, check: None }
}

fn failed(output: &Output) -> Side {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr
        .lines()
        .find(|line| line.contains("panicked"))
        .or_else(|| stderr.lines().rev().find(|line| !line.trim().is_empty()));
    let failure = format!("fails ({}): {}", output.status, reason.unwrap_or("no message").trim());
    Side { generation: None, failure: Some(failure), lines: 0, check: None }
}

/// `cargo check` of the crate at `dir` with `args` (its features): once to build the
/// dependencies, then `runs` times after touching `src/lib.rs`, so only the crate itself is
/// checked; the median.
pub(crate) fn measure_check(dir: &Path, target: &Path, args: &[&str], runs: usize) -> Result<Timing, String> {
    let check = || {
        let mut command = Command::new(cargo());
        // Not incremental: each measured run checks the whole crate, as a first build or CI does.
        command
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", "0")
            .args(["check", "--quiet"])
            .args(args);
        command
    };
    let (_, output) = timed(&mut check())?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr.lines().find(|line| line.starts_with("error")).unwrap_or("see cargo's output").to_owned());
    }
    let lib = dir.join("src/lib.rs");
    let mut timings = Vec::new();
    for _ in 0..runs {
        let file = std::fs::File::options().append(true).open(&lib).map_err(|error| error.to_string())?;
        file.set_modified(std::time::SystemTime::now()).map_err(|error| error.to_string())?;
        let (timing, output) = timed(&mut check())?;
        if !output.status.success() {
            return Err("a repeated check failed".to_owned());
        }
        timings.push(timing);
    }
    Ok(median(timings))
}

pub(crate) fn run_ok(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|error| format!("error: cannot run {command:?}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("error: {command:?} failed ({status})"))
    }
}

/// Runs `command` to its end, with its wall time and the CPU time of it and its descendants.
pub(crate) fn timed(command: &mut Command) -> Result<(Timing, Output), String> {
    let cpu_before = children_cpu();
    let started = Instant::now();
    let output = command.output().map_err(|error| format!("cannot run {command:?}: {error}"))?;
    let wall = started.elapsed();
    Ok((Timing { wall, cpu: children_cpu().saturating_sub(cpu_before) }, output))
}

/// User and system time of every finished child process (and what they waited for).
fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32).saturating_mul(1000));
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn median(mut timings: Vec<Timing>) -> Timing {
    timings.sort_by_key(|timing| timing.wall);
    let wall = timings[timings.len() / 2].wall;
    let mut cpus: Vec<Duration> = timings.iter().map(|timing| timing.cpu).collect();
    cpus.sort();
    Timing { wall, cpu: cpus[cpus.len() / 2] }
}

pub(crate) fn seconds(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

/// A service id from a document's file stem: `api.github.com` → `api_github_com`.
pub(crate) fn service_name(stem: &str) -> String {
    let service: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect::<String>()
        .trim_matches('_')
        .to_owned();
    if service.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api_{service}")
    } else {
        service
    }
}

/// Lines of every `.rs` file below `dir`.
pub(crate) fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                rust_lines(&path)
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                std::fs::read_to_string(&path).map_or(0, |text| text.lines().count())
            } else {
                0
            }
        })
        .sum()
}
