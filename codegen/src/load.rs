//! Reads spec files into the serde mirror (`spec`), reporting YAML and shape errors with positions.

use std::io::Read;
use std::path::Path;

use std::cell::Cell;

use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Location};
use crate::spec::{CrateSpec, ServiceSpec};

pub mod positions;

pub use positions::Sources;

/// The file that names the generated crate; every other `*.yaml` in the folder is a service.
pub const CRATE_FILE: &str = "crate.yaml";

/// The largest spec file read, in bytes. The real specs are a few hundred KiB; the cap keeps a
/// huge or endless file (a link to `/dev/zero` is refused earlier, as not a regular file) from
/// filling the memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The deepest nesting of YAML sequences and mappings in a spec file. The format itself needs
/// about ten levels; a field's `default` may hold a nested value.
pub const MAX_YAML_DEPTH: usize = 64;

/// A parsed file with the name it is reported under (e.g. `spec/visma_net.yaml`).
#[derive(Debug, Clone, PartialEq)]
pub struct SpecFile<T> {
    pub file: String,
    pub spec: T,
}

/// Everything in one spec folder.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecSet {
    pub krate: SpecFile<CrateSpec>,
    /// Sorted by file name so the output order never depends on the file system.
    pub services: Vec<SpecFile<ServiceSpec>>,
}

/// Loads a spec folder, or a single service file with the [`CRATE_FILE`] beside it (a
/// placeholder crate when there is none); `display` names it in messages.
pub fn load_path(path: &Path, display: &str) -> Result<(SpecSet, Sources), Diagnostics> {
    if path.is_dir() {
        return load_dir_with_sources(path, display);
    }
    let text = read_file(path, display).map_err(one)?;
    let crate_file = path.with_file_name(CRATE_FILE);
    let krate = if crate_file.exists() {
        let crate_display = crate_file.display().to_string();
        let text = read_file(&crate_file, &crate_display).map_err(one)?;
        Some(SpecFile { file: CRATE_FILE.to_owned(), spec: parse(&crate_display, &text).map_err(one)? })
    } else {
        None
    };
    load_text(display, text, krate)
}

/// One service file's text as a spec set, in `krate` or else a placeholder crate
/// (`api-clients` 0.0.0): [`load_path`] without the disk, for callers that hold the text.
pub fn load_text(
    file: &str,
    text: String,
    krate: Option<SpecFile<CrateSpec>>,
) -> Result<(SpecSet, Sources), Diagnostics> {
    let service = parse::<ServiceSpec>(file, &text).map_err(one)?;
    let mut sources = Sources::default();
    sources.insert(file, text);
    let krate = krate.unwrap_or_else(|| SpecFile {
        file: CRATE_FILE.to_owned(),
        spec: CrateSpec {
            name: "api-clients".to_owned(),
            version: "0.0.0".to_owned(),
            description: String::new(),
            license: None,
        },
    });
    Ok((SpecSet { krate, services: vec![SpecFile { file: file.to_owned(), spec: service }] }, sources))
}

/// A single problem as the problems of a phase.
fn one(diagnostic: Diagnostic) -> Diagnostics {
    Diagnostics(vec![diagnostic])
}

/// Loads `dir`; file names in messages are `display_dir/<file>`.
pub fn load_dir(dir: &Path, display_dir: &str) -> Result<SpecSet, Diagnostics> {
    load_dir_with_sources(dir, display_dir).map(|(set, _)| set)
}

/// [`load_dir`], also keeping the files' texts, so that [`Sources::locate`] can give the
/// problems `lower` finds a line and column.
pub fn load_dir_with_sources(dir: &Path, display_dir: &str) -> Result<(SpecSet, Sources), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut sources = Sources::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            diagnostics.push(Diagnostic {
                message: format!("cannot read the spec folder: {error}"),
                location: Location::File { file: display_dir.to_owned() },
                hint: Some("run the command from the workspace root, or pass the spec folder".to_owned()),
            });
            return Err(diagnostics);
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml") || name.ends_with(".yml"))
        .collect();
    names.sort();

    let mut krate = None;
    let mut services = Vec::new();
    for name in names {
        let display = format!("{display_dir}/{name}");
        let text = match read_file(&dir.join(&name), &display) {
            Ok(text) => text,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let parsed = if name == CRATE_FILE {
            parse::<CrateSpec>(&display, &text).map(|spec| krate = Some(SpecFile { file: display.clone(), spec }))
        } else {
            parse::<ServiceSpec>(&display, &text).map(|spec| services.push(SpecFile { file: display.clone(), spec }))
        };
        match parsed {
            // Only text that parsed within the limits is kept for placing later problems.
            Ok(()) => sources.insert(display, text),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    let Some(krate) = krate else {
        if diagnostics.is_empty() {
            diagnostics.push(Diagnostic {
                message: format!("the spec folder has no `{CRATE_FILE}`"),
                location: Location::File { file: display_dir.to_owned() },
                hint: Some(format!("add `{CRATE_FILE}` with the generated crate's name, version and description")),
            });
        }
        return Err(diagnostics);
    };
    diagnostics.finish((SpecSet { krate, services }, sources))
}

/// Reads one spec file as text: only a regular file (a FIFO, device or socket would block or
/// never end), at most [`MAX_FILE_BYTES`], UTF-8 without NUL bytes (errors name the line and
/// column of the first bad byte). A UTF-8 byte order mark is dropped. `file` names it in
/// messages.
pub fn read_file(path: &Path, file: &str) -> Result<String, Diagnostic> {
    read_text(path, file, MAX_FILE_BYTES, "spec files are plain YAML files; move this out of the spec folder, or rename it so it does not end in .yaml/.yml")
}

/// [`read_file`] for any text input (an import's documents, facts, overlays, schemas): at most
/// `max_bytes`; `not_regular_hint` says what to do with a FIFO, device or folder.
pub fn read_text(path: &Path, file: &str, max_bytes: u64, not_regular_hint: &str) -> Result<String, Diagnostic> {
    let at_file = |message: String, hint: Option<&str>| Diagnostic {
        message,
        location: Location::File { file: file.to_owned() },
        hint: hint.map(str::to_owned),
    };
    let cannot_read = |error: std::io::Error| at_file(format!("cannot read the file: {error}"), None);
    // Checked before opening: opening a FIFO waits for a writer. Links are followed, so the
    // check is about what the file really is.
    let not_regular = |kind: &str| at_file(format!("`{file}` is {kind}, not a regular file"), Some(not_regular_hint));
    let kind = |metadata: &std::fs::Metadata| file_kind(&metadata.file_type());
    let metadata = std::fs::metadata(path).map_err(cannot_read)?;
    if let Some(kind) = kind(&metadata) {
        return Err(not_regular(kind));
    }
    let handle = std::fs::File::open(path).map_err(cannot_read)?;
    // Again on the opened file, in case it was swapped since.
    if let Some(kind) = kind(&handle.metadata().map_err(cannot_read)?) {
        return Err(not_regular(kind));
    }
    let mut bytes = Vec::new();
    handle.take(max_bytes + 1).read_to_end(&mut bytes).map_err(cannot_read)?;
    if bytes.len() as u64 > max_bytes {
        let size = if max_bytes >= 1024 * 1024 {
            format!("{} MiB", max_bytes / (1024 * 1024))
        } else {
            format!("{max_bytes} bytes")
        };
        return Err(at_file(
            format!("the file is larger than {size}"),
            Some("a file this large is not a captured API document; split it, or check that this is the right file"),
        ));
    }
    text_of(file, bytes)
}

/// What a file that is not a regular file is, for the message (`None` for a regular file).
fn file_kind(file_type: &std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    if !file_type.is_file() {
        return Some("a special file");
    }
    None
}

/// The bytes as text: UTF-8 without NUL, a leading byte order mark dropped (editors do not
/// show it, so positions count from after it).
fn text_of(file: &str, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let at = |bytes: &[u8], offset: usize, message: String, hint: &str| {
        let (line, column) = line_column(&bytes[..offset]);
        Diagnostic {
            message,
            location: Location::Position { file: file.to_owned(), line, column },
            hint: Some(hint.to_owned()),
        }
    };
    const BOM: &[u8] = "\u{feff}".as_bytes();
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    let text = String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        at(
            bytes,
            offset,
            format!("the file is not UTF-8 text: byte 0x{:02X} does not belong to a character here", bytes[offset]),
            "save the file as UTF-8",
        )
    })?;
    if let Some(offset) = text.find('\0') {
        return Err(at(
            text.as_bytes(),
            offset,
            "the file contains a NUL byte".to_owned(),
            "remove it; spec files are text, and YAML does not allow control characters",
        ));
    }
    Ok(text)
}

/// The 1-based line and column (in characters) just after `before`.
fn line_column(before: &[u8]) -> (usize, usize) {
    let line_start = before.iter().rposition(|&byte| byte == b'\n').map_or(0, |index| index + 1);
    let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
    // `before` ends on a character boundary, so only whole characters are counted.
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// Parses one file's text, reporting the YAML position of the first problem.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic {
            message: "the file is empty".to_owned(),
            location: Location::File { file: file.to_owned() },
            hint: Some("write the spec (spec/README.md describes the keys), or delete the file".to_owned()),
        });
    }
    let budget = Budget { nodes: Cell::new(0), limit: text.len().max(1024), depth: Cell::new(0) };
    let deserializer = Counted { inner: serde_yaml::Deserializer::from_str(text), budget: &budget, fresh: true };
    T::deserialize(deserializer).map_err(|error| yaml_error(file, text, error))
}

const TOO_MANY_NODES: &str = "the YAML expands to more nodes than the file has bytes";
const TOO_DEEP: &str = "the YAML nests sequences and mappings too deeply";

/// Bounds the YAML while the spec is built from it, in the same single pass: nodes are
/// counted as aliases expand them, and the nesting depth. Without aliases a file has fewer
/// nodes than bytes; a file whose aliases expand past that (the "billion laughs" of nested
/// aliases) is refused as soon as it gets there, and so is nesting deeper than
/// [`MAX_YAML_DEPTH`]. (A separate walk before building would parse every file twice.)
struct Budget {
    nodes: Cell<usize>,
    limit: usize,
    depth: Cell<usize>,
}

impl Budget {
    fn node<E: serde::de::Error>(&self) -> Result<(), E> {
        self.nodes.set(self.nodes.get() + 1);
        if self.nodes.get() > self.limit {
            return Err(E::custom(TOO_MANY_NODES));
        }
        Ok(())
    }

    fn enter<E: serde::de::Error>(&self) -> Result<(), E> {
        self.depth.set(self.depth.get() + 1);
        if self.depth.get() > MAX_YAML_DEPTH {
            return Err(E::custom(TOO_DEEP));
        }
        Ok(())
    }

    fn leave(&self) {
        self.depth.set(self.depth.get() - 1);
    }
}

/// A YAML node's deserializer that charges the node to the budget, and wraps what it hands
/// on (visitors, sequence and mapping access, seeds) so every node below is charged too.
/// `fresh` is false for the same node seen again (the value inside `Some`, a newtype), which
/// is charged once.
struct Counted<'b, D> {
    inner: D,
    budget: &'b Budget,
    fresh: bool,
}

impl<D> Counted<'_, D> {
    fn charge<E: serde::de::Error>(&self) -> Result<(), E> {
        if self.fresh {
            self.budget.node()?;
        }
        Ok(())
    }
}

/// Forwards `deserialize_*` methods to the inner deserializer with a counting visitor.
macro_rules! forward_counted {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
                self.charge()?;
                self.inner.$method($($arg,)* Counted { inner: visitor, budget: self.budget, fresh: true })
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Counted<'_, D> {
    type Error = D::Error;

    forward_counted! {
        deserialize_any(); deserialize_bool(); deserialize_i8(); deserialize_i16(); deserialize_i32();
        deserialize_i64(); deserialize_i128(); deserialize_u8(); deserialize_u16(); deserialize_u32();
        deserialize_u64(); deserialize_u128(); deserialize_f32(); deserialize_f64(); deserialize_char();
        deserialize_str(); deserialize_string(); deserialize_bytes(); deserialize_byte_buf();
        deserialize_option(); deserialize_unit(); deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str); deserialize_seq(); deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize); deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier(); deserialize_ignored_any();
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// Forwards `visit_*` methods of plain values unchanged.
macro_rules! forward_visit {
    ($($method:ident($ty:ty);)*) => {
        $(
            fn $method<E: serde::de::Error>(self, value: $ty) -> Result<V::Value, E> {
                self.inner.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Counted<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit! {
        visit_bool(bool); visit_i8(i8); visit_i16(i16); visit_i32(i32); visit_i64(i64); visit_i128(i128);
        visit_u8(u8); visit_u16(u16); visit_u32(u32); visit_u64(u64); visit_u128(u128); visit_f32(f32);
        visit_f64(f64); visit_char(char); visit_str(&str); visit_borrowed_str(&'de str); visit_string(String);
        visit_bytes(&[u8]); visit_borrowed_bytes(&'de [u8]); visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Counted { inner: deserializer, budget: self.budget, fresh: false })
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Counted { inner: deserializer, budget: self.budget, fresh: false })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.budget.enter()?;
        let value = self.inner.visit_seq(Counted { inner: seq, budget: self.budget, fresh: true })?;
        self.budget.leave();
        Ok(value)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.budget.enter()?;
        let value = self.inner.visit_map(Counted { inner: map, budget: self.budget, fresh: true })?;
        self.budget.leave();
        Ok(value)
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(Counted { inner: data, budget: self.budget, fresh: true })
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Counted<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.inner.deserialize(Counted { inner: deserializer, budget: self.budget, fresh: true })
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Counted<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.inner.next_element_seed(Counted { inner: seed, budget: self.budget, fresh: true })
    }
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Counted<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.inner.next_key_seed(Counted { inner: seed, budget: self.budget, fresh: true })
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.next_value_seed(Counted { inner: seed, budget: self.budget, fresh: true })
    }
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'b, 'de, A: EnumAccess<'de>> EnumAccess<'de> for Counted<'b, A> {
    type Error = A::Error;
    type Variant = Counted<'b, A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self::Variant), A::Error> {
        let budget = self.budget;
        let (value, variant) = self.inner.variant_seed(Counted { inner: seed, budget, fresh: true })?;
        Ok((value, Counted { inner: variant, budget, fresh: true }))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Counted<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.newtype_variant_seed(Counted { inner: seed, budget: self.budget, fresh: true })
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.inner.tuple_variant(len, Counted { inner: visitor, budget: self.budget, fresh: true })
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.inner.struct_variant(fields, Counted { inner: visitor, budget: self.budget, fresh: true })
    }
}

/// A serde_yaml error as a located diagnostic with a hint.
fn yaml_error(file: &str, text: &str, error: serde_yaml::Error) -> Diagnostic {
    {
        let message = error.to_string();
        // serde_yaml appends the position; it is shown on the `-->` line instead.
        let message = match message.find(" at line ") {
            Some(index) => message[..index].to_owned(),
            None => message,
        };
        // A limit of ours: the position says where, serde_yaml's path of `[0]`s adds nothing.
        let message = match [TOO_MANY_NODES, TOO_DEEP].into_iter().find(|limit| message.contains(limit)) {
            Some(limit) => limit.to_owned(),
            None => message,
        };
        let line = error.location().and_then(|position| text.lines().nth(position.line().saturating_sub(1)));
        let (message, hint) = explain(message, line.unwrap_or_default());
        let position = error.location().map(|position| (position.line(), position.column()));
        // serde_yaml points a duplicate key at the start of its mapping; point at the repeat.
        let position = duplicate_key_position(&message, text).or(position);
        let location = match position {
            Some((line, column)) => Location::Position { file: file.to_owned(), line, column },
            None => Location::File { file: file.to_owned() },
        };
        Diagnostic { message, location, hint }
    }
}

/// serde's message, shortened where the hint says the rest, and a hint: the closest allowed
/// key or variant, or what a value should look like. `line` is the source line it points at.
fn explain(message: String, line: &str) -> (String, Option<String>) {
    for (marker, what) in [("unknown field `", "keys"), ("unknown variant `", "values")] {
        if let Some((name, candidates)) = named_with_expected(&message, marker) {
            // The candidates move from the message to the hint.
            let short = message.split(", expected").next().unwrap_or(&message).to_owned();
            let hint = did_you_mean(&name, candidates.iter().map(String::as_str))
                .unwrap_or_else(|| format!("allowed {what} here: {}", candidates.join(", ")));
            return (short, Some(hint));
        }
    }
    let hint = if message.contains(TOO_MANY_NODES) {
        Some("YAML aliases (`*name`) repeat what an anchor (`&name`) marks; write the entries out instead".to_owned())
    } else if message.contains(TOO_DEEP) || message.contains("recursion limit exceeded") {
        Some(format!("spec files need a few levels; at most {MAX_YAML_DEPTH} are read"))
    } else if message.contains("expected a boolean") {
        Some("write `true` or `false`".to_owned())
    } else if message.contains("expected a sequence") {
        Some("write a YAML list: one `- item` line per entry, or `[a, b]`".to_owned())
    } else if message.contains("expected struct") || message.contains("expected a map") {
        Some("write a mapping: `key: value` lines, or `{ key: value }`".to_owned())
    } else if message.contains("expected u16") || message.contains("expected u32") {
        Some("write a whole number in range (a status code is 100 to 599)".to_owned())
    } else if message.contains("expected a string") {
        Some("write text; quote it when it looks like a number, a boolean or `null`".to_owned())
    } else if message.contains("duplicate field `") || message.contains("duplicate entry") {
        Some("a key may appear once in each mapping; remove or merge the other one".to_owned())
    } else if message.contains("missing field `") {
        Some("add the key; spec/README.md lists the required keys of each entry".to_owned())
    } else if message.contains("cannot start any token") && line.contains('\t') {
        Some("YAML indents with spaces only; replace the tabs".to_owned())
    } else if message.contains("did not find expected")
        || message.contains("while parsing")
        || message.contains("while scanning")
        || message.contains("cannot start any token")
    {
        Some("check the indentation and the brackets or quotes that open on or before this line".to_owned())
    } else {
        None
    };
    (message, hint)
}

/// For "duplicate field `key`": the line and column of the key's second occurrence at the
/// indentation of its first (a best guess from the text; `None` when there is no such line).
fn duplicate_key_position(message: &str, text: &str) -> Option<(usize, usize)> {
    let key = message.split("duplicate field `").nth(1)?.split('`').next()?;
    let mut indent = None;
    for (number, line) in text.lines().enumerate() {
        let content = line.trim_start_matches([' ', '-']);
        if !(content.starts_with(key) && content[key.len()..].trim_start().starts_with(':')) {
            continue;
        }
        let column = line.len() - content.len();
        match indent {
            None => indent = Some(column),
            Some(first) if first == column => return Some((number + 1, column + 1)),
            Some(_) => {}
        }
    }
    None
}

/// For "… `name`, expected one of `a`, `b`" (or "expected `a` or `b`"): the name and the candidates.
fn named_with_expected(message: &str, marker: &str) -> Option<(String, Vec<String>)> {
    let rest = message.split(marker).nth(1)?;
    let (name, expected) = rest.split_once('`')?;
    let candidates = expected.split('`').skip(1).step_by(2).map(str::to_owned).collect();
    Some((name.to_owned(), candidates))
}
