//! `cargo xtask bench-scale`: times every phase of generation on synthetic specs of growing
//! size, to show that cost grows linearly with the spec. A benchmark to run by hand, not a
//! test: CI does not run it.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// One synthetic spec shape, generated at a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `n` operations spread over `n / 100` groups (at least one).
    Operations,
    /// `n` operations in a single group.
    OneGroup,
    /// `n` aliases, each naming the one before it.
    AliasChain,
    /// `n` objects, each with a field of the next one's type.
    NestedObjects,
    /// The `operations` spec with every response type misspelt: `n` problems, each given its
    /// line and column (the "place" phase) instead of emitting.
    UnknownTypes,
}

impl Shape {
    pub const ALL: [Shape; 5] =
        [Shape::Operations, Shape::OneGroup, Shape::AliasChain, Shape::NestedObjects, Shape::UnknownTypes];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Operations => "operations",
            Shape::OneGroup => "one-group",
            Shape::AliasChain => "alias-chain",
            Shape::NestedObjects => "nested-objects",
            Shape::UnknownTypes => "unknown-types",
        }
    }

    pub fn parse(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|shape| shape.name() == name)
    }
}

pub const CRATE: &str = "name: scale\nversion: 0.1.0\ndescription: Synthetic spec for cargo xtask bench-scale.\n";

/// The service file of `shape` at size `n`.
pub fn service(shape: Shape, n: usize) -> String {
    let mut text = String::from("service: scale\ntitle: Scale\nprotocol: rest\nbase_url: https://scale.example.com\n");
    match shape {
        Shape::UnknownTypes => {
            return service(Shape::Operations, n)
                .replace("responses: [ { status: 200, type: Thing } ]", "responses: [ { status: 200, type: Thingg } ]")
        }
        Shape::Operations | Shape::OneGroup => {
            let groups = if shape == Shape::OneGroup { 1 } else { n.div_ceil(100).max(1) };
            text.push_str("groups:\n");
            for group in 0..groups {
                let _ = writeln!(text, "- {{ id: g{group} }}");
            }
            text.push_str("operations:\n");
            for operation in 0..n {
                let group = operation % groups;
                let _ = writeln!(
                    text,
                    "- {{ id: g{group}_op{operation}, group: g{group}, method: GET, path: '/things/{{id}}/op{operation}', \
                     summary: Operation {operation}., \
                     params: [ {{ name: id, in: path, type: int64, required: true }}, {{ name: pageSize, in: query, type: int32 }} ], \
                     responses: [ {{ status: 200, type: Thing }} ] }}"
                );
            }
            text.push_str("types:\n- { kind: object, name: Thing, fields: [ { name: id, type: int64 } ] }\n");
        }
        Shape::AliasChain => {
            text.push_str("groups: [ { id: things } ]\noperations:\n");
            let _ = writeln!(
                text,
                "- {{ id: things_get, group: things, method: GET, path: /things, responses: [ {{ status: 200, type: A{} }} ] }}",
                n - 1
            );
            text.push_str("types:\n- { kind: alias, name: A0, type: string }\n");
            for alias in 1..n {
                let _ = writeln!(text, "- {{ kind: alias, name: A{alias}, type: 'list<A{}>' }}", alias - 1);
            }
        }
        Shape::NestedObjects => {
            text.push_str("groups: [ { id: things } ]\noperations:\n");
            text.push_str(
                "- { id: things_get, group: things, method: GET, path: /things, responses: [ { status: 200, type: O0 } ] }\n",
            );
            text.push_str("types:\n");
            for object in 0..n {
                let inner = if object + 1 == n { "string".to_owned() } else { format!("O{}", object + 1) };
                let _ = writeln!(
                    text,
                    "- {{ kind: object, name: O{object}, fields: [ {{ name: inner, type: {inner} }}, {{ name: id, type: int64 }} ] }}"
                );
            }
        }
    }
    text
}

/// Time spent in each phase of one run.
#[derive(Debug, Clone, Default)]
pub struct Timing {
    pub load: Duration,
    pub lower: Duration,
    pub emit: Duration,
    pub diff: Duration,
    /// Giving the problems of an invalid spec their lines and columns (`Sources::locate`).
    pub place: Option<Duration>,
    /// CPU time of the process over the four phases, when the platform says (Linux): on a
    /// busy machine it shows the cost that wall time hides.
    pub cpu: Option<Duration>,
    /// Peak resident memory of the process so far, in bytes (Linux).
    pub peak_memory: Option<u64>,
    pub bytes: usize,
}

impl Timing {
    pub fn total(&self) -> Duration {
        self.load + self.lower + self.emit + self.diff + self.place.unwrap_or_default()
    }
}

/// Writes the spec of `shape` at size `n` into `dir` and times load, lower, emit + render and
/// the diff of the spec against itself.
pub fn run(dir: &Path, shape: Shape, n: usize) -> Result<Timing, String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    std::fs::write(dir.join("crate.yaml"), CRATE).map_err(|error| error.to_string())?;
    std::fs::write(dir.join("scale.yaml"), service(shape, n)).map_err(|error| error.to_string())?;
    let mut timing = Timing::default();
    let cpu_before = cpu_time();

    let start = Instant::now();
    let (set, sources) =
        codegen::load::load_dir_with_sources(dir, "spec").map_err(|diagnostics| diagnostics.to_string())?;
    timing.load = start.elapsed();

    let start = Instant::now();
    let lowered = codegen::lower::lower(&set);
    timing.lower = start.elapsed();
    let model = match (shape, lowered) {
        (Shape::UnknownTypes, Err(problems)) => {
            let start = Instant::now();
            let placed = sources.locate(problems);
            timing.place = Some(start.elapsed());
            timing.cpu = cpu_time().zip(cpu_before).map(|(after, before)| after.saturating_sub(before));
            timing.peak_memory = peak_memory();
            let unplaced = placed
                .0
                .iter()
                .filter(|problem| !matches!(problem.location, codegen::diagnostics::Location::SpecNode { .. }))
                .count();
            if placed.0.len() != n || unplaced > 0 {
                return Err(format!("expected {n} placed problems, found {} ({unplaced} not placed)", placed.0.len()));
            }
            let _ = std::fs::remove_dir_all(dir);
            return Ok(timing);
        }
        (Shape::UnknownTypes, Ok(_)) => return Err("the misspelt spec lowered".to_owned()),
        (_, lowered) => lowered.map_err(|diagnostics| diagnostics.to_string())?,
    };

    let start = Instant::now();
    let files = codegen::emit::generate(&model);
    timing.emit = start.elapsed();
    timing.bytes = files.iter().map(|file| file.contents.len()).sum();

    let start = Instant::now();
    let report = codegen::diff::diff(&model, &model);
    timing.diff = start.elapsed();
    timing.cpu = cpu_time().zip(cpu_before).map(|(after, before)| after.saturating_sub(before));
    timing.peak_memory = peak_memory();
    if !report.changes.is_empty() {
        return Err(format!("a spec differs from itself: {} changes", report.changes.len()));
    }
    let _ = std::fs::remove_dir_all(dir);
    Ok(timing)
}

/// User plus system CPU time of this process, from `/proc/self/stat` (in clock ticks, which
/// are 1/100 s on Linux).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after its `)` are plain numbers.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// The process's peak resident set (`VmHWM` in `/proc/self/status`).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
}

/// The default sizes: operations at 1k/10k/100k, the type shapes at 1k/4k.
pub fn default_sizes(shape: Shape) -> &'static [usize] {
    match shape {
        Shape::Operations => &[1_000, 10_000, 100_000],
        Shape::UnknownTypes => &[1_000, 10_000, 100_000],
        Shape::OneGroup => &[1_000, 10_000, 20_000],
        Shape::AliasChain | Shape::NestedObjects => &[1_000, 4_000],
    }
}

/// Runs the benchmark, handing each line of the table to `print` as soon as it is measured.
pub fn bench(shapes: &[Shape], sizes: Option<&[usize]>, mut print: impl FnMut(&str)) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("xtask-bench-scale-{}", std::process::id()));
    print(&format!(
        "{:<15} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>8}",
        "shape",
        "n",
        "load s",
        "lower s",
        "emit s",
        "diff s",
        "place s",
        "total s",
        "cpu s",
        "µs per n",
        "out MB",
        "peak MB"
    ));
    for &shape in shapes {
        for &n in sizes.unwrap_or(default_sizes(shape)) {
            let timing = run(&dir, shape, n)?;
            print(&format!(
                "{:<15} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8} {:>8.2} {:>8} {:>9.1} {:>8.1} {:>8}",
                shape.name(),
                n,
                timing.load.as_secs_f64(),
                timing.lower.as_secs_f64(),
                timing.emit.as_secs_f64(),
                timing.diff.as_secs_f64(),
                timing.place.map_or("-".to_owned(), |place| format!("{:.2}", place.as_secs_f64())),
                timing.total().as_secs_f64(),
                timing.cpu.map_or("-".to_owned(), |cpu| format!("{:.2}", cpu.as_secs_f64())),
                timing.total().as_secs_f64() * 1e6 / n as f64,
                timing.bytes as f64 / 1e6,
                timing.peak_memory.map_or("-".to_owned(), |bytes| format!("{:.0}", bytes as f64 / 1e6)),
            ));
        }
    }
    Ok(())
}
