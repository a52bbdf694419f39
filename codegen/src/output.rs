//! Compares generated files with an output folder: what to write, what to delete, and what
//! must not be touched because a person wrote it.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use crate::emit::GeneratedFile;
use crate::render::is_generated;

/// What bringing the output folder up to date takes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// New or changed files (paths relative to the folder).
    pub writes: Vec<GeneratedFile>,
    /// Files with the `@generated` header that generation no longer produces.
    pub deletes: Vec<String>,
    /// Files generation would produce but that exist without the header: never overwritten.
    pub conflicts: Vec<String>,
}

impl Plan {
    pub fn is_up_to_date(&self) -> bool {
        self.writes.is_empty() && self.deletes.is_empty() && self.conflicts.is_empty()
    }
}

/// Reads `out_dir` (which may not exist yet) and plans the changes.
pub fn plan(out_dir: &Path, files: &[GeneratedFile]) -> io::Result<Plan> {
    let mut existing = BTreeMap::new();
    if out_dir.exists() {
        collect(out_dir, out_dir, &mut existing)?;
    }
    let mut plan = Plan::default();
    for file in files {
        match existing.remove(&file.path) {
            None => plan.writes.push(file.clone()),
            Some(Some(text)) if text == file.contents => {}
            Some(Some(text)) if is_generated(&text) => plan.writes.push(file.clone()),
            Some(_) => plan.conflicts.push(file.path.clone()),
        }
    }
    for (path, text) in existing {
        if text.as_deref().is_some_and(is_generated) {
            plan.deletes.push(path);
        }
    }
    Ok(plan)
}

/// Relative path → text (`None` for files that are not UTF-8, which are never ours).
fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, Option<String>>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            if entry.file_name() == "target" {
                continue;
            }
            collect(root, &path, out)?;
        } else if file_type.is_file() {
            let relative = path
                .strip_prefix(root)
                .map_err(io::Error::other)?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(relative, std::fs::read_to_string(&path).ok());
        }
    }
    Ok(())
}
