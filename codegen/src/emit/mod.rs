//! Model → generated files. The driver lists one call per output family.

mod common;
mod manifest;
mod operations;
mod runtime;
mod service;
mod soap;
mod types;

use crate::model::Model;
use crate::render::rust_file;

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
        GeneratedFile { path: "src/lib.rs".to_owned(), contents: rust_file(|| service::lib_rs(model))? },
    ];
    files.extend(runtime::files());
    for service in &model.services {
        // A raw identifier's module lives in a file without the `r#` (`mod r#type;` is `type.rs`).
        let dir = format!("src/{}", crate::names::unraw(&service.module));
        let module = || match &service.soap {
            Some(binding) => soap::service_module(service, binding),
            None => service::service_module(service),
        };
        files.push(GeneratedFile { path: format!("{dir}/mod.rs"), contents: rust_file(module)? });
        files
            .push(GeneratedFile { path: format!("{dir}/types.rs"), contents: rust_file(|| types::generate(service))? });
        for group in &service.groups {
            files.push(GeneratedFile {
                path: format!("{dir}/{}.rs", crate::names::unraw(&group.module)),
                contents: rust_file(|| operations::generate(service, group))?,
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
