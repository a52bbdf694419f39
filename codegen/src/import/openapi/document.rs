//! OpenAPI documents as YAML values in member order, JSON pointers, and `$ref` resolution across files.

use std::path::{Component, Path, PathBuf};

use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Location};

/// The most files one import reads through `$ref`s (besides the inputs).
pub const MAX_FILES: usize = 256;
/// The most `$ref` hops followed to reach one target (a longer chain is taken for a loop).
pub const MAX_REF_HOPS: usize = 32;
/// The largest referenced file read from disk, in bytes (like an input document).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a referenced file that no input document holds.
pub trait RefReader {
    /// The text of `path`, or why it cannot be read.
    fn read(&self, path: &Path) -> Result<String, String>;
}

/// Reads from disk, bounded like a spec file (regular files only, UTF-8, size cap).
pub struct DiskReader;

impl RefReader for DiskReader {
    fn read(&self, path: &Path) -> Result<String, String> {
        let shown = path.display().to_string();
        crate::load::read_text(path, &shown, MAX_FILE_BYTES, "a referenced document is a plain JSON or YAML file")
            .map_err(|diagnostic| diagnostic.message)
    }
}

/// One parsed file: an input document or a file a `$ref` reached.
pub struct Source {
    /// Normalized path (as given, `.` and `..` removed): refs resolve against its folder.
    pub path: String,
    /// The file name, which report origins name.
    pub name: String,
    pub root: Value,
}

/// A place in a document: the file's index and a JSON pointer (`/paths/~1pets/get`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    pub file: usize,
    pub pointer: String,
}

impl Place {
    /// The place of member `key` below this one.
    pub fn child(&self, key: &str) -> Place {
        Place { file: self.file, pointer: format!("{}/{}", self.pointer, escape(key)) }
    }

    pub fn index(&self, index: usize) -> Place {
        Place { file: self.file, pointer: format!("{}/{index}", self.pointer) }
    }
}

/// `~` and `/` escaped for a JSON pointer segment.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn unescape(segment: &str) -> String {
    percent_decode(segment).replace("~1", "/").replace("~0", "~")
}

/// A URI fragment's `%XX` escapes decoded (invalid ones are kept as written).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|byte| (*byte as char).to_digit(16));
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Parses a document: JSON when it starts with `{` or `[`, else YAML (bounded like a spec file:
/// nesting depth and alias expansion). Errors carry the line and column.
pub fn parse(path: &str, text: &str) -> Result<Value, Diagnostic> {
    let trimmed = text.trim_start_matches('\u{feff}');
    if trimmed.trim_start().starts_with(['{', '[']) {
        // serde_json stops at 128 levels of nesting; `Value` keeps member order.
        return serde_json::from_str::<Value>(trimmed).map_err(|error| Diagnostic {
            message: format!("not valid JSON: {}", strip_position(&error.to_string())),
            location: Location::Position { file: path.to_owned(), line: error.line(), column: error.column() },
            hint: Some("the document was skipped; fix the JSON and import again".to_owned()),
        });
    }
    crate::load::parse::<Value>(path, trimmed)
}

/// serde_json's message without its trailing ` at line L column C` (the location says it).
fn strip_position(message: &str) -> &str {
    message.rfind(" at line ").map_or(message, |at| &message[..at])
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A member of a mapping by its key (YAML keys may be numbers: `200:`).
pub fn get<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    let map = value.as_mapping()?;
    // A hashed lookup for text keys; only a key that reads as a number or boolean needs the scan.
    map.get(key).or_else(|| {
        let scalar = key.starts_with(|c: char| c.is_ascii_digit() || c == '-') || key == "true" || key == "false";
        scalar
            .then(|| map.iter().find(|(k, _)| !k.is_string() && key_text(k).as_deref() == Some(key)).map(|(_, v)| v))?
    })
}

pub fn get_str<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    get(value, key)?.as_str()
}

pub fn get_bool(value: &Value, key: &str) -> bool {
    get(value, key).and_then(Value::as_bool).unwrap_or(false)
}

/// The members of a mapping in document order, keys as text.
pub fn members(value: &Value) -> Vec<(String, &Value)> {
    match value.as_mapping() {
        Some(map) => map.iter().filter_map(|(key, value)| Some((key_text(key)?, value))).collect(),
        None => Vec::new(),
    }
}

/// A scalar key or value as text (`200`, `true`, `pets`).
pub fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Every file of the import, and how `$ref`s reach into them.
pub struct Documents<'r> {
    pub sources: Vec<Source>,
    /// Folders a referenced file must lie in: those of the input documents.
    folders: Vec<PathBuf>,
    reader: &'r dyn RefReader,
    /// Files that failed to load, by normalized path, with the reason (each reported once).
    failed: Vec<(String, String)>,
    /// Parse errors of referenced files, for the caller's problems.
    pub problems: Vec<Diagnostic>,
}

impl<'r> Documents<'r> {
    pub fn new(inputs: Vec<Source>, reader: &'r dyn RefReader) -> Self {
        let folders = inputs.iter().map(|source| parent(&source.path)).collect();
        Documents { sources: inputs, folders, reader, failed: Vec::new(), problems: Vec::new() }
    }

    /// The value at `place`, if the pointer leads somewhere.
    pub fn at(&self, place: &Place) -> Option<&Value> {
        let mut value = &self.sources.get(place.file)?.root;
        if place.pointer.is_empty() {
            return Some(value);
        }
        for segment in place.pointer.strip_prefix('/')?.split('/') {
            let key = unescape(segment);
            value = match value {
                Value::Sequence(items) => items.get(key.parse::<usize>().ok()?)?,
                Value::Mapping(_) => get(value, &key)?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// How a place is shown in the report: `pets.yaml#/paths/~1pets/get`.
    pub fn show(&self, place: &Place) -> String {
        let name = self.sources.get(place.file).map_or("", |source| source.name.as_str());
        format!("{name}#{}", place.pointer)
    }

    /// Follows `$ref`s from `place` (whose value is `value`) until a value without one; the
    /// place reached, or why it cannot be reached.
    pub fn follow(&mut self, place: &Place) -> Result<Place, String> {
        let mut current = place.clone();
        let mut seen = vec![current.clone()];
        for _ in 0..MAX_REF_HOPS {
            let Some(value) = self.at(&current) else {
                return Err(format!("`{}` does not exist", self.show(&current)));
            };
            let Some(reference) = get_str(value, "$ref").map(str::to_owned) else {
                return Ok(current);
            };
            let target = self.resolve(current.file, &reference)?;
            if seen.contains(&target) {
                return Err(format!("`$ref: {reference}` leads back to itself (a reference loop)"));
            }
            seen.push(target.clone());
            current = target;
        }
        Err(format!("more than {MAX_REF_HOPS} `$ref`s in a chain"))
    }

    /// The place a `$ref` written in file `from` names; loads the file it names if needed.
    pub fn resolve(&mut self, from: usize, reference: &str) -> Result<Place, String> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(format!("`$ref: {reference}` names an anchor, not a JSON pointer; only pointers are followed"));
        }
        let file = if file_part.is_empty() { from } else { self.load(from, file_part)? };
        Ok(Place { file, pointer: fragment.to_owned() })
    }

    fn load(&mut self, from: usize, file_part: &str) -> Result<usize, String> {
        if file_part.contains("://") || file_part.starts_with("//") {
            return Err(format!("`{file_part}` is a remote document, which is never fetched; pass it as a file"));
        }
        let base = parent(&self.sources[from].path);
        let target = normalize(&base.join(percent_decode(file_part)));
        let shown = target.display().to_string();
        if let Some(index) = self.sources.iter().position(|source| source.path == shown) {
            return Ok(index);
        }
        if let Some((_, reason)) = self.failed.iter().find(|(path, _)| *path == shown) {
            return Err(reason.clone());
        }
        let result = self.read_new(&target, &shown);
        result.inspect_err(|reason| self.failed.push((shown, reason.clone())))
    }

    fn read_new(&mut self, target: &Path, shown: &str) -> Result<usize, String> {
        // Inside an input folder by its path and by its real path (no link leads out).
        let parents = |path: &Path| path.components().take_while(|c| *c == Component::ParentDir).count();
        let inside_by_path =
            self.folders.iter().any(|folder| target.starts_with(folder) && parents(target) <= parents(folder));
        let inside_for_real = match std::fs::canonicalize(target) {
            Ok(real) => self.folders.iter().any(|folder| {
                let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
                std::fs::canonicalize(folder).is_ok_and(|folder| real.starts_with(folder))
            }),
            Err(_) => true, // not on disk: the reader says so
        };
        if !inside_by_path || !inside_for_real {
            return Err(format!("`{shown}` is outside the folders of the input documents; pass it as an input"));
        }
        if self.sources.len() >= MAX_FILES {
            return Err(format!("more than {MAX_FILES} referenced files; `{shown}` was not read"));
        }
        let text = self.reader.read(target).map_err(|error| format!("cannot read `{shown}`: {error}"))?;
        let root = match parse(shown, &text) {
            Ok(root) => root,
            Err(diagnostic) => {
                let message = format!("cannot parse `{shown}`: {}", diagnostic.message);
                self.problems.push(diagnostic);
                return Err(message);
            }
        };
        let name = target.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        self.sources.push(Source { path: shown.to_owned(), name, root });
        Ok(self.sources.len() - 1)
    }
}

fn parent(path: &str) -> PathBuf {
    normalize(Path::new(path).parent().unwrap_or(Path::new("")))
}
