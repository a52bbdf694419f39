//! Prints what importing costs: the Visma seed documents (`spec/sources/visma_net/`) replicated
//! N times (each copy's APIs, operations and models renamed, so 100 copies are 1,200 operations
//! and 4,800 models) are imported with their facts, rendered as YAML, loaded back, lowered and
//! generated. Times per phase for N = 10, 50, 100 (linear cost shows as a constant time per
//! copy) and the process's peak memory.
//!
//! `cargo bench -p codegen --bench import` (`COPIES=200` adds a size).

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use codegen::import::{self, render_yaml, Document, Facts};
use codegen::load::{SpecFile, SpecSet};
use codegen::spec::CrateSpec;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/sources/visma_net");
    let read = |dir: &str| -> Vec<Document> {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_file())
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                Document::new(path.file_name().unwrap().to_string_lossy(), std::fs::read_to_string(&path).unwrap())
            })
            .collect()
    };
    let mut docs = read("api");
    docs.extend(read("models"));
    let mut facts = read("facts");
    facts.extend(read("facts/Api"));
    let names = renamed_names(&docs);

    let mut sizes = vec![10, 50, 100];
    if let Some(extra) = std::env::var("COPIES").ok().and_then(|copies| copies.parse().ok()) {
        sizes.push(extra);
    }
    println!("per phase: CPU time of this process (10 ms ticks), so a busy machine does not inflate it; `wall` is elapsed time");
    println!("copies  operations  types   facts ms  import ms  yaml ms  load ms  lower ms  emit ms   wall ms  cpu ms  cpu ms/copy  yaml MB");
    for copies in sizes {
        let (docs, facts) = replicate(&docs, &facts, &names, copies);
        let cpu_start = cpu_time();
        let start = Instant::now();
        let facts = Facts::read(&facts).unwrap_or_else(|error| panic!("{error}"));
        let t_facts = start.elapsed();
        let c_facts = cpu_time();
        let format = import::format("openapi-generator-md").unwrap();
        let imported = format.import(&docs, &facts, "visma_net");
        assert!(imported.problems.is_empty(), "{}", imported.problems);
        let t_import = start.elapsed();
        let c_import = cpu_time();
        let yaml = render_yaml::render(&imported.spec, "");
        let t_yaml = start.elapsed();
        let c_yaml = cpu_time();
        let spec = codegen::load::parse("spec/visma_net.yaml", &yaml).unwrap_or_else(|error| panic!("{error}"));
        let t_load = start.elapsed();
        let c_load = cpu_time();
        let krate =
            CrateSpec { name: "bench".into(), version: "0.1.0".into(), description: "bench".into(), license: None };
        let set = SpecSet {
            krate: SpecFile { file: "spec/crate.yaml".into(), spec: krate },
            services: vec![SpecFile { file: "spec/visma_net.yaml".into(), spec }],
        };
        let model = codegen::lower::lower(&set).unwrap_or_else(|error| panic!("{error}"));
        let t_lower = start.elapsed();
        let c_lower = cpu_time();
        let files = codegen::emit::generate(&model);
        let t_emit = start.elapsed();
        let _ = (t_facts, t_import, t_yaml, t_load, t_lower);
        let cpu = cpu_time() - cpu_start;
        assert!(!files.is_empty());
        let ms = |duration: std::time::Duration| duration.as_secs_f64() * 1e3;
        println!(
            "{copies:>6} {:>11} {:>6} {:>10.0} {:>10.0} {:>8.0} {:>8.0} {:>9.0} {:>8.0} {:>9.0} {:>7.0} {:>12.1} {:>8.1}",
            imported.spec.operations.len(),
            imported.spec.types.len(),
            (c_facts - cpu_start) * 1e3,
            (c_import - c_facts) * 1e3,
            (c_yaml - c_import) * 1e3,
            (c_load - c_yaml) * 1e3,
            (c_lower - c_load) * 1e3,
            (cpu_start + cpu - c_lower) * 1e3,
            ms(t_emit),
            cpu * 1e3,
            cpu * 1e3 / copies as f64,
            yaml.len() as f64 / 1e6,
        );
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status.lines().find(|line| line.starts_with("VmHWM:")).unwrap_or("VmHWM: unknown");
    println!("peak memory (resident, whole run): {}", peak.trim_start_matches("VmHWM:").trim());
}

/// User plus system CPU seconds of this process (`/proc/self/stat`, clock ticks of 10 ms), so a
/// busy machine does not inflate the figures; 0 where there is no `/proc`.
fn cpu_time() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |index: usize| fields.get(index).and_then(|field| field.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// The names a copy renames: APIs, operations and models (whole identifiers only).
fn renamed_names(docs: &[Document]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for doc in docs {
        for line in doc.text.lines() {
            if let Some(heading) = line.strip_prefix("# ") {
                names.insert(heading.trim_start_matches("# ").rsplit('\\').next().unwrap_or("").trim().to_owned());
            }
            if let Some(name) = line.strip_prefix("## `").and_then(|rest| rest.strip_suffix("()`")) {
                names.insert(name.to_owned());
            }
        }
    }
    names
}

fn replicate(
    docs: &[Document],
    facts: &[Document],
    names: &BTreeSet<String>,
    copies: usize,
) -> (Vec<Document>, Vec<Document>) {
    let copy = |documents: &[Document]| -> Vec<Document> {
        (0..copies)
            .flat_map(|n| {
                documents
                    .iter()
                    .map(move |doc| Document::new(format!("r{n}/{}", doc.path), rename(&doc.text, names, n)))
            })
            .collect()
    };
    (copy(docs), copy(facts))
}

/// Appends `R<n>` to every identifier in `names` (before a trailing `Api`, so the group changes too).
fn rename(text: &str, names: &BTreeSet<String>, n: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if names.contains(word.as_str()) {
            match word.strip_suffix("Api") {
                Some(stem) => out.push_str(&format!("{stem}R{n}Api")),
                None => out.push_str(&format!("{word}R{n}")),
            }
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}
