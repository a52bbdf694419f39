//! Model → generated files. The driver lists one call per output family.

mod auth;
mod background;
mod blocking;
mod bodies;
mod client;
mod common;
mod examples;
mod features;
mod manifest;
mod mock;
mod oauth2;
mod operations;
mod pagination;
mod params;
mod runtime;
mod service;
mod soap;
mod types;
mod unions;
mod upgrade;

use crate::model::Model;

use crate::render::{rust_file_start, rust_part, GeneratedFile};

/// The hidden first line of every example the generator writes on purpose (a `no_run` doctest).
pub use examples::MARKER as EXAMPLE_MARKER;

/// Every file of the generated crate, sorted by path. Emitted tokens that do not parse are a
/// generator bug and panic (see `render::rust_part`).
pub fn generate(model: &Model) -> Vec<GeneratedFile> {
    let mut files = vec![GeneratedFile { path: "Cargo.toml".to_owned(), contents: manifest::cargo_toml(model) }];
    files.extend(runtime::files());
    // The Rust files: a path and the emitter that makes its tokens.
    // The crate's name as a path, for the examples in its docs.
    let krate = examples::crate_path(model);
    let krate = krate.as_str();
    let mut rust: Vec<(String, Emitter)> = vec![("src/lib.rs".to_owned(), whole(move || service::lib_rs(model)))];
    for service in &model.services {
        let dir = format!("src/{}", service.file_stem);
        rust.push((
            format!("{dir}/mod.rs"),
            whole(move || match &service.soap {
                Some(binding) => soap::service_module(service, binding, krate),
                None => service::service_module(service, krate),
            }),
        ));
        rust.push((format!("{dir}/blocking.rs"), whole(move || blocking::service_module(service))));
        if service.soap.is_none() {
            rust.push((format!("{dir}/mock.rs"), whole(move || mock::service_module(service))));
        }
        // A SOAP service's types also read and write XML: their impls are the file's last part.
        let type_parts = types::part_count(service);
        rust.push((
            format!("{dir}/types.rs"),
            Emitter {
                parts: type_parts + usize::from(service.soap.is_some()),
                part: Box::new(move |index| {
                    if index < type_parts {
                        features::types_part(service, index)
                    } else {
                        soap::xml_impls(service)
                    }
                }),
            },
        ));
        for group in &service.groups {
            rust.push((
                format!("{dir}/{}.rs", group.file_stem),
                Emitter {
                    parts: operations::part_count(group),
                    part: Box::new(move |index| operations::part(service, group, index, krate)),
                },
            ));
        }
    }
    let rendered = render_all(rust);
    // The README gives each service's size, so it is written after the Rust files.
    let lines = service_lines(model, &rendered);
    files.push(GeneratedFile { path: "README.md".to_owned(), contents: manifest::readme(model, &lines) });
    files.extend(rendered);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The number of generated Rust lines of each service (the files of its folder), by module name.
fn service_lines(model: &Model, files: &[GeneratedFile]) -> std::collections::BTreeMap<String, usize> {
    model
        .services
        .iter()
        .map(|service| {
            let dir = format!("src/{}/", service.file_stem);
            let lines =
                files.iter().filter(|file| file.path.starts_with(&dir)).map(|file| file.contents.lines().count());
            (service.module.to_string(), lines.sum())
        })
        .collect()
}

/// Makes one file's tokens in `parts` independent parts (see `render::rust_part`), each on
/// whichever thread renders it: token streams cannot move between threads, so a part is made
/// where it is formatted.
struct Emitter<'a> {
    parts: usize,
    part: Box<dyn Fn(usize) -> proc_macro2::TokenStream + Sync + 'a>,
}

/// An emitter of a file in one part.
fn whole<'a>(emit: impl Fn() -> proc_macro2::TokenStream + Sync + 'a) -> Emitter<'a> {
    Emitter { parts: 1, part: Box::new(move |_| emit()) }
}

/// Emits and formats the Rust files on every core: parsing and formatting is most of the
/// work, and the parts are independent, so a spec with one huge file (4,800 types in one
/// `types.rs`) keeps every core busy too. Threads take the parts of all files in order; the
/// result is in input order whatever the threads do. A part that panics (a generator bug)
/// panics the whole run once the other threads are done.
fn render_all(jobs: Vec<(String, Emitter)>) -> Vec<GeneratedFile> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    // Part `n` of the whole run is part `n - starts[file]` of the last file starting at or before it.
    let starts: Vec<usize> = jobs
        .iter()
        .scan(0, |next, (_, emitter)| {
            let start = *next;
            *next += emitter.parts;
            Some(start)
        })
        .collect();
    let total: usize = jobs.iter().map(|(_, emitter)| emitter.parts).sum();
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(total).max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<String>>> = Mutex::new((0..total).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= total {
                    break;
                }
                let file = starts.partition_point(|&start| start <= index) - 1;
                let rendered = rust_part(&*jobs[file].1.part, index - starts[file]);
                if let Ok(mut results) = results.lock() {
                    results[index] = Some(rendered);
                }
            });
        }
    });
    // The scope has joined every thread and re-raised any panic, so every part is rendered.
    let mut results = results.into_inner().expect("no rendering thread panicked").into_iter();
    jobs.into_iter()
        .map(|(path, emitter)| {
            let mut contents = rust_file_start();
            for rendered in results.by_ref().take(emitter.parts) {
                contents.push_str(&rendered.unwrap_or_else(|| panic!("generator bug: {path} was not rendered")));
            }
            GeneratedFile { path, contents }
        })
        .collect()
}
