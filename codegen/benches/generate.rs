//! Prints what generation costs and produces for the real specs: time of load + lower + emit
//! (median of warm runs), and the operations, types and lines per service.
//!
//! `cargo bench -p codegen --bench generate` (set `RUNS` to change the number of timed runs).

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = root.join("spec");
    let runs: usize = std::env::var("RUNS").ok().and_then(|runs| runs.parse().ok()).unwrap_or(5);

    // One warm-up run, so file caches and allocations do not count.
    let files = codegen::generate_dir(&spec, "spec").unwrap_or_else(|error| panic!("{error}"));
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let files = codegen::generate_dir(&spec, "spec").unwrap_or_else(|error| panic!("{error}"));
            let elapsed = start.elapsed();
            assert!(!files.is_empty());
            elapsed
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];

    let set = codegen::load::load_dir(&spec, "spec").unwrap_or_else(|error| panic!("{error}"));
    let model = codegen::lower::lower(&set).unwrap_or_else(|error| panic!("{error}"));
    println!("service            operations  types  lines");
    for service in &model.services {
        let operations = match &service.soap {
            Some(soap) => soap.operations.len(),
            None => service.groups.iter().map(|group| group.operations.len()).sum(),
        };
        let prefix = format!("src/{}/", service.module);
        let lines: usize =
            files.iter().filter(|file| file.path.starts_with(&prefix)).map(|file| file.contents.lines().count()).sum();
        println!("{:<18} {:>10} {:>6} {:>6}", service.module, operations, service.types.len(), lines);
    }
    let total: usize = files.iter().map(|file| file.contents.lines().count()).sum();
    let runtime: usize = files
        .iter()
        .filter(|file| file.path.starts_with("src/runtime/"))
        .map(|file| file.contents.lines().count())
        .sum();
    println!("all files: {} files, {total} lines ({runtime} of them the copied runtime)", files.len());
    println!(
        "generate (load + lower + emit + render), {runs} warm runs: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
}
