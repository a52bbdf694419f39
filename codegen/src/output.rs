//! Compares generated files with an output folder: what to write, what to delete, and what
//! must not be touched because a person wrote it.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::render::is_generated;
use crate::render::GeneratedFile;

/// What bringing the output folder up to date takes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// New or changed files (paths relative to the folder).
    pub writes: Vec<GeneratedFile>,
    /// Files with the `@generated` header that generation no longer produces.
    pub deletes: Vec<String>,
    /// Files generation would produce but that exist without the header (or are not regular
    /// files): never overwritten.
    pub conflicts: Vec<String>,
    /// Files generation would produce whose path leads out of the output folder through a
    /// symbolic link, or is itself a link: never written.
    pub outside: Vec<String>,
}

impl Plan {
    pub fn is_up_to_date(&self) -> bool {
        self.writes.is_empty() && self.deletes.is_empty() && self.conflicts.is_empty() && self.outside.is_empty()
    }
}

/// The largest existing output file read to compare it; a larger one is not ours.
const MAX_EXISTING_BYTES: u64 = 256 * 1024 * 1024;

/// Reads `out_dir` (which may not exist yet) and plans the changes.
///
/// Each target is looked at where it really is: a folder on its path that is a symbolic link
/// is followed, and the target must stay inside the output folder; a target that is itself a
/// link is never replaced. So a link cannot lead a write out of the folder, nor onto a file
/// inside it that lacks the header.
pub fn plan(out_dir: &Path, files: &[GeneratedFile]) -> io::Result<Plan> {
    let mut existing = BTreeMap::new();
    if out_dir.exists() {
        collect(out_dir, out_dir, &mut existing)?;
    }
    let root = match out_dir.canonicalize() {
        Ok(root) => Some(root),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) => return Err(error),
    };
    let mut plan = Plan::default();
    for file in files {
        existing.remove(&file.path);
        match inspect(out_dir, root.as_deref(), &file.path)? {
            Target::Missing => plan.writes.push(file.clone()),
            Target::Outside => plan.outside.push(file.path.clone()),
            Target::Text(text) if text == file.contents => {}
            Target::Text(text) if is_generated(&text) => plan.writes.push(file.clone()),
            Target::Text(_) | Target::Foreign => plan.conflicts.push(file.path.clone()),
        }
    }
    for (path, text) in existing {
        if text.as_deref().is_some_and(is_generated) {
            plan.deletes.push(path);
        }
    }
    Ok(plan)
}

/// What is at a target path today.
enum Target {
    /// Nothing: the folders are created and the file written.
    Missing,
    /// A regular file with this text.
    Text(String),
    /// Something that is not ours: not UTF-8, too large, or not a regular file.
    Foreign,
    /// The path is a symbolic link, or a link on the way leads out of the output folder.
    Outside,
}

fn inspect(out_dir: &Path, root: Option<&Path>, relative: &str) -> io::Result<Target> {
    let target = out_dir.join(relative);
    match std::fs::symlink_metadata(&target) {
        Ok(metadata) if metadata.file_type().is_symlink() => return Ok(Target::Outside),
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(error),
    }
    // The nearest folder on the path that exists, resolved, must be inside the output folder
    // (when the output folder does not exist yet, nothing below it does either).
    let Some(root) = root else { return Ok(Target::Missing) };
    let mut ancestor: PathBuf = target.parent().map(Path::to_path_buf).unwrap_or_default();
    let resolved = loop {
        match ancestor.canonicalize() {
            Ok(resolved) => break resolved,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                if !ancestor.pop() {
                    return Ok(Target::Outside);
                }
            }
            Err(error) => return Err(error),
        }
    };
    if !resolved.starts_with(root) {
        return Ok(Target::Outside);
    }
    let metadata = match std::fs::metadata(&target) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Target::Missing),
        Err(error) => return Err(error),
    };
    if !metadata.is_file() || metadata.len() > MAX_EXISTING_BYTES {
        return Ok(Target::Foreign);
    }
    Ok(read_text(&target)?.map_or(Target::Foreign, Target::Text))
}

/// A regular file's text, `None` when it is not UTF-8 or larger than the cap.
fn read_text(path: &Path) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_EXISTING_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_EXISTING_BYTES {
        return Ok(None);
    }
    Ok(String::from_utf8(bytes).ok())
}

/// Relative path → text (`None` for files that are not UTF-8, which are never ours). Links
/// are not followed (a `DirEntry`'s type is the link's own), so a deletion never leaves the folder.
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
            out.insert(relative, read_text(&path)?);
        }
    }
    Ok(())
}
