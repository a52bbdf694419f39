//! The cost curve of `cargo xtask bench`: our generator on the first 10, 25, 50 and 100% of a
//! large document's paths (in sorted order) (each cut keeping only the components it references), with the time
//! per operation and the peak memory, to show that cost stays linear in the document's size.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

/// The shares of the document's paths measured, in percent.
pub const SHARES: [usize; 4] = [10, 25, 50, 100];

/// A document needs this many operations for its curve to say something (below, start-up
/// dominates every point).
pub const MIN_OPERATIONS: usize = 100;

/// Runs per share; the median is printed.
const RUNS: usize = 5;

/// One point of the curve.
pub struct Point {
    pub share: usize,
    pub operations: usize,
    pub wall: Duration,
    /// The generator's peak resident memory, in bytes.
    pub peak_memory: u64,
}

/// The first `share` percent of `document`'s paths in sorted order (at least one), with the components they
/// reach through `$ref`s and nothing else, and how many operations the cut holds.
pub fn cut(document: &Value, share: usize) -> (Value, usize) {
    let mut cut = document.clone();
    let Some(paths) = document.get("paths").and_then(Value::as_object) else { return (cut, 0) };
    let keep = (paths.len() * share).div_ceil(100).max(1);
    let kept: Map<String, Value> = paths.iter().take(keep).map(|(path, item)| (path.clone(), item.clone())).collect();
    let operations = kept.values().map(operations_of).sum();
    let reached = reached_components(document, &Value::Object(kept.clone()));
    cut["paths"] = Value::Object(kept);
    // OpenAPI 3 keeps components in `components/<kind>`, Swagger 2 in top-level maps.
    for (section, kinds) in [
        ("components", None),
        ("definitions", Some("definitions")),
        ("parameters", Some("parameters")),
        ("responses", Some("responses")),
    ] {
        match kinds {
            None => {
                if let Some(components) = cut.get_mut(section).and_then(Value::as_object_mut) {
                    for (kind, members) in components.iter_mut() {
                        // Security schemes are named by `security`, never by a `$ref`.
                        if kind == "securitySchemes" {
                            continue;
                        }
                        if let Some(members) = members.as_object_mut() {
                            members.retain(|name, _| reached.contains(&format!("#/components/{kind}/{name}")));
                        }
                    }
                }
            }
            Some(kind) => {
                if let Some(members) = cut.get_mut(section).and_then(Value::as_object_mut) {
                    members.retain(|name, _| reached.contains(&format!("#/{kind}/{name}")));
                }
            }
        }
    }
    (cut, operations)
}

/// The operations of a path item: its members named after an HTTP method.
fn operations_of(item: &Value) -> usize {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    item.as_object().map_or(0, |item| item.keys().filter(|key| METHODS.contains(&key.as_str())).count())
}

/// Every local `$ref` reachable from `start`, following the references into `document`.
fn reached_components(document: &Value, start: &Value) -> BTreeSet<String> {
    let mut reached = BTreeSet::new();
    let mut pending = Vec::new();
    refs_in(start, &mut pending);
    while let Some(reference) = pending.pop() {
        if !reached.insert(reference.clone()) {
            continue;
        }
        let pointer = reference.trim_start_matches('#');
        if let Some(target) = document.pointer(pointer) {
            refs_in(target, &mut pending);
        }
    }
    reached
}

fn refs_in(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                match (key.as_str(), member) {
                    ("$ref", Value::String(reference)) if reference.starts_with("#/") => found.push(reference.clone()),
                    _ => refs_in(member, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs_in(item, found)),
        _ => {}
    }
}

/// Measures `ours` (the release xtask) on each share of `document`, writing the cuts and the
/// crates below `scratch`. `None` when the document has too few operations for a curve.
pub fn measure(ours: &Path, document: &Path, service: &str, scratch: &Path) -> Result<Option<Vec<Point>>, String> {
    let text =
        std::fs::read_to_string(document).map_err(|error| format!("error: reading {}: {error}", document.display()))?;
    let Ok(parsed) = serde_json::from_str::<Value>(&text) else {
        // A YAML document is measured side by side, but cut only as JSON.
        return Ok(None);
    };
    if cut(&parsed, 100).1 < MIN_OPERATIONS {
        return Ok(None);
    }
    let mut points = Vec::new();
    for share in SHARES {
        let (cut, operations) = cut(&parsed, share);
        let input = scratch.join(format!("curve-{service}-{share}.json"));
        std::fs::write(&input, cut.to_string())
            .map_err(|error| format!("error: writing {}: {error}", input.display()))?;
        let out = scratch.join(format!("curve-{service}-{share}"));
        let mut walls = Vec::new();
        let mut peak_memory = 0;
        for _ in 0..RUNS {
            let mut command = Command::new(ours);
            command.arg("openapi-crate").arg(&input).args(["--service", service, "--out"]).arg(&out);
            let (wall, memory) = run_with_peak_memory(&mut command)?;
            walls.push(wall);
            peak_memory = peak_memory.max(memory);
        }
        walls.sort();
        points.push(Point { share, operations, wall: walls[RUNS / 2], peak_memory });
    }
    Ok(Some(points))
}

/// Runs `command` to its end and returns its wall time and peak resident memory (`wait4`'s
/// figure for this one child, so the other processes the bench ran do not count).
fn run_with_peak_memory(command: &mut Command) -> Result<(Duration, u64), String> {
    let started = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("error: cannot run {command:?}: {error}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: wait4 only writes the status and the struct it is given; `child` is not waited
    // for again (dropping a `Child` neither waits nor kills).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::wait4(pid, &mut status, 0, &mut usage) } != pid {
        return Err(format!("error: waiting for {command:?} failed"));
    }
    let wall = started.elapsed();
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("error: {command:?} failed (status {status})"));
    }
    // Linux gives `ru_maxrss` in KiB.
    Ok((wall, u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024))
}

/// The curve as table lines, with the time per operation of the largest share against the
/// smallest's (1.0 is linear).
pub fn lines(stem: &str, points: &[Point]) -> Vec<String> {
    let mut lines = vec![
        format!("{stem}: our cost on a growing share of its paths (median of {RUNS} runs each)"),
        String::new(),
        "| share of paths | operations | generation wall | per operation | peak memory |".to_owned(),
        "|---|---|---|---|---|".to_owned(),
    ];
    let per_operation = |point: &Point| point.wall.as_secs_f64() * 1e6 / point.operations.max(1) as f64;
    for point in points {
        lines.push(format!(
            "| {}% | {} | {:.3} s | {:.0} µs | {:.0} MB |",
            point.share,
            point.operations,
            point.wall.as_secs_f64(),
            per_operation(point),
            point.peak_memory as f64 / 1e6
        ));
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        lines.push(String::new());
        lines.push(format!(
            "{stem}: time per operation at {}% is {:.2}x that at {}% (1.00 is linear)",
            last.share,
            per_operation(last) / per_operation(first),
            first.share
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_keeps_its_share_of_paths_and_only_the_components_they_reach() {
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "paths": {
                "/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}},
                "/b": {"get": {}, "post": {}},
                "/c": {"get": {"responses": {"200": {"$ref": "#/components/responses/C"}}}},
                "/d": {"parameters": [], "delete": {}},
            },
            "components": {
                "schemas": {"A": {"properties": {"inner": {"$ref": "#/components/schemas/Inner"}}}, "Inner": {}, "Unused": {}},
                "responses": {"C": {"description": "c"}},
                "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            },
        });
        let (cut_half, operations) = cut(&document, 50);
        assert_eq!(operations, 3, "/a's get and /b's get and post");
        let paths: Vec<&String> = cut_half["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/a", "/b"]);
        let schemas: Vec<&String> = cut_half["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(schemas, ["A", "Inner"], "A and what A references, not Unused");
        assert!(cut_half["components"]["responses"].as_object().unwrap().is_empty());
        assert!(cut_half["components"]["securitySchemes"]["token"].is_object(), "schemes are kept");

        let (whole, operations) = cut(&document, 100);
        assert_eq!(operations, 5);
        assert_eq!(whole["components"]["responses"]["C"]["description"], "c");
        assert_eq!(cut(&document, 10).0["paths"].as_object().unwrap().len(), 1, "at least one path");
    }

    #[test]
    fn swagger_definitions_are_cut_too() {
        let document = serde_json::json!({
            "swagger": "2.0",
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/parameters/P"}]}}, "/b": {"get": {}}},
            "parameters": {"P": {"name": "p", "in": "query", "schema": {"$ref": "#/definitions/D"}}, "Q": {}},
            "definitions": {"D": {}, "E": {}},
        });
        let (cut_half, _) = cut(&document, 50);
        assert_eq!(cut_half["parameters"].as_object().unwrap().keys().collect::<Vec<_>>(), ["P"]);
        assert_eq!(cut_half["definitions"].as_object().unwrap().keys().collect::<Vec<_>>(), ["D"]);
    }
}
