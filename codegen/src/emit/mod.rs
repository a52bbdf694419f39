//! Model → generated files. The driver lists one call per output family.

mod common;
mod manifest;
mod operations;
mod runtime;
mod service;
mod soap;
mod types;

use crate::model::Model;
use crate::render::rust_file_in_parts;

/// One output file: a path relative to the generated crate's root, and its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Every file of the generated crate, sorted by path.
pub fn generate(model: &Model) -> Result<Vec<GeneratedFile>, String> {
    let mut files = vec![
        GeneratedFile { path: "Cargo.toml".to_owned(), contents: manifest::cargo_toml(model) },
        GeneratedFile { path: "README.md".to_owned(), contents: manifest::readme(model) },
    ];
    files.extend(runtime::files());
    // The Rust files: a path and the emitter that makes its tokens.
    let mut rust: Vec<(String, Emitter)> = vec![("src/lib.rs".to_owned(), whole(move || service::lib_rs(model)))];
    for service in &model.services {
        // A raw identifier's module lives in a file without the `r#` (`mod r#type;` is `type.rs`).
        let dir = format!("src/{}", crate::names::unraw(&service.module));
        rust.push((
            format!("{dir}/mod.rs"),
            whole(move || match &service.soap {
                Some(binding) => soap::service_module(service, binding),
                None => service::service_module(service),
            }),
        ));
        rust.push((format!("{dir}/types.rs"), whole(move || types::generate(service))));
        for group in &service.groups {
            rust.push((
                format!("{dir}/{}.rs", crate::names::unraw(&group.module)),
                Box::new(move || Box::new(operations::generate(service, group))),
            ));
        }
    }
    files.extend(render_all(rust)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Makes one file's tokens, in parts (see `render::rust_file_in_parts`); called on whichever
/// thread renders the file.
type Emitter<'a> = Box<dyn Fn() -> Parts<'a> + Sync + 'a>;
type Parts<'a> = Box<dyn Iterator<Item = proc_macro2::TokenStream> + 'a>;

/// An emitter of a file in one part.
fn whole<'a>(emit: impl Fn() -> proc_macro2::TokenStream + Sync + 'a) -> Emitter<'a> {
    Box::new(move || Box::new(std::iter::once(emit())))
}

/// Emits and formats the Rust files on every core: parsing and formatting is most of the
/// work, and the files are independent. The result is in input order whatever the threads do,
/// and the first failure in that order is the one reported.
fn render_all(jobs: Vec<(String, Emitter)>) -> Result<Vec<GeneratedFile>, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(jobs.len()).max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<String, String>>>> = Mutex::new(jobs.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some((_, emit)) = jobs.get(index) else { break };
                let rendered = rust_file_in_parts(emit);
                if let Ok(mut results) = results.lock() {
                    results[index] = Some(rendered);
                }
            });
        }
    });
    let results = results.into_inner().map_err(|_| "generator bug: a rendering thread panicked".to_owned())?;
    jobs.into_iter()
        .zip(results)
        .map(|((path, _), rendered)| {
            let contents = rendered.unwrap_or_else(|| Err(format!("generator bug: {path} was not rendered")))?;
            Ok(GeneratedFile { path, contents })
        })
        .collect()
}
