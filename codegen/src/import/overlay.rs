//! The overlay: a service's hand corrections, kept apart from what the documents say and
//! applied last, so a re-import after the vendor changes its pages changes only what the pages
//! changed (`spec/overlays/<service>.yaml`; the format is in `spec/README.md`).
//!
//! Entries work on the YAML form of the imported spec. `at` selects an item by a spec path
//! (`operations[project_task_get_all_tasks].params[erp-api-background]`: a list item is
//! selected by its `id`, `name` or `status`, or by its value for a list of scalars), and one
//! action changes it: `set` replaces or adds keys (`~` removes one), `add` appends items to a
//! list, `remove: true` deletes the item, `move: true` moves it within its list. `before` or
//! `after` a sibling places what `add` adds or `move` moves (an `add` appends without them), so
//! an item the documents hold keeps its `origin` when only its place is corrected. An entry that
//! selects nothing is an error naming the entry: a correction that no longer applies must be
//! looked at, not silently dropped.

use serde::Deserialize;
use serde_yaml::{Mapping, Value};

use super::Document;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::spec::ServiceSpec;

/// A parsed overlay file.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    /// Display path, for messages and the spec file's header.
    pub file: String,
    pub service: String,
    pub entries: Vec<Entry>,
    /// The overlay's text, so that a problem with an entry is given the entry's line.
    text: String,
}

/// One correction.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Spec path of the item; absent for the service itself (`title`, `description`, ...).
    #[serde(default)]
    pub at: Option<String>,
    /// Why the correction is needed (kept for the reviewer; not applied).
    #[serde(default)]
    pub why: Option<String>,
    /// Keys to replace or add on the item; a `~` value removes the key.
    #[serde(default)]
    pub set: Option<Mapping>,
    /// Items to append to the list at `at` (or to insert, with `before` or `after`).
    #[serde(default)]
    pub add: Option<Vec<Value>>,
    /// `true` deletes the item at `at`.
    #[serde(default)]
    pub remove: bool,
    /// `true` moves the item at `at` to `before` or `after` a sibling, with all it holds.
    #[serde(default, rename = "move")]
    pub move_item: bool,
    /// With `add` or `move`: the sibling (selected like a list item in `at`) to place before.
    #[serde(default)]
    pub before: Option<String>,
    /// With `add` or `move`: the sibling to place after.
    #[serde(default)]
    pub after: Option<String>,
    /// A new name for the type at `at` (`types[X]`); every type expression naming it follows.
    #[serde(default)]
    pub rename: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayFile {
    overlay: String,
    #[serde(default)]
    entries: Vec<Entry>,
}

impl Overlay {
    /// Parses an overlay document; YAML and shape errors keep their position.
    pub fn parse(document: &Document) -> Result<Overlay, Diagnostics> {
        let file: OverlayFile =
            crate::load::parse(&document.path, &document.text).map_err(|diagnostic| Diagnostics(vec![diagnostic]))?;
        let mut diagnostics = Diagnostics::default();
        for (index, entry) in file.entries.iter().enumerate() {
            let actions = usize::from(entry.set.is_some())
                + usize::from(entry.add.is_some())
                + usize::from(entry.remove)
                + usize::from(entry.move_item)
                + usize::from(entry.rename.is_some());
            if actions != 1 {
                diagnostics.push(
                    Diagnostic::at_path(
                        &document.path,
                        entry_path(index, false),
                        about(entry, "an overlay entry needs exactly one action"),
                    )
                    .with_hint(
                        "give one of `set: {...}`, `add: [...]`, `remove: true`, `move: true` or `rename: NewName`",
                    ),
                );
            }
            if entry.rename.is_some()
                && !entry
                    .at
                    .as_deref()
                    .is_some_and(|at| at.starts_with("types[") && at.ends_with(']') && !at.contains('.'))
            {
                diagnostics.push(
                    Diagnostic::at_path(
                        &document.path,
                        entry_path(index, false),
                        about(entry, "`rename` renames a type: it needs `at: types[Name]`"),
                    )
                    .with_hint("to rename anything else, `set` its `name` or `id`"),
                );
            }
            if entry.at.is_none() && (entry.add.is_some() || entry.remove || entry.move_item) {
                diagnostics.push(
                    Diagnostic::at_path(
                        &document.path,
                        entry_path(index, false),
                        about(entry, "`add`, `remove` and `move` need an `at`"),
                    )
                    .with_hint("name the list to add to (`at: types`) or the item to remove or move"),
                );
            }
            let placed = usize::from(entry.before.is_some()) + usize::from(entry.after.is_some());
            let placement_problem = if placed > 1 {
                Some(("give `before` or `after`, not both", "name one sibling the item goes next to"))
            } else if placed == 1 && entry.add.is_none() && !entry.move_item {
                Some((
                    "`before` and `after` place what `add` adds or `move` moves",
                    "add `add: [...]` or `move: true`, or remove the key",
                ))
            } else if placed == 0 && entry.move_item {
                Some((
                    "`move` needs `before` or `after`",
                    "name the sibling the item goes next to, e.g. `after: OtherName`",
                ))
            } else {
                None
            };
            if let Some((message, hint)) = placement_problem {
                diagnostics.push(
                    Diagnostic::at_path(&document.path, entry_path(index, false), about(entry, message))
                        .with_hint(hint),
                );
            }
        }
        let overlay = Overlay {
            file: document.path.clone(),
            service: file.overlay,
            entries: file.entries,
            text: document.text.clone(),
        };
        overlay.located(diagnostics).finish(overlay)
    }

    /// Applies every entry in order. Each entry must select something, and the spec must stay
    /// well-formed after it (a misspelt key is reported on the entry that wrote it).
    pub fn apply(&self, spec: &ServiceSpec) -> Result<ServiceSpec, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        if self.service != spec.service {
            diagnostics.push(Diagnostic {
                message: format!("the overlay is for service `{}`, not `{}`", self.service, spec.service),
                location: Location::File { file: self.file.clone() },
                hint: Some("pass the overlay of this service, or fix its `overlay:` key".to_owned()),
            });
            return Err(diagnostics);
        }
        let mut value = serde_yaml::to_value(spec).expect("a spec always serializes");
        let mut current = spec.clone();
        for (index, entry) in self.entries.iter().enumerate() {
            let mut changed = value.clone();
            if let Err(message) = apply_entry(&mut changed, entry) {
                let path = entry_path(index, entry.at.is_some());
                diagnostics.push(Diagnostic::at_path(&self.file, path, about(entry, message)).with_hint(
                    "the imported spec no longer has this item: update the entry's `at`, or delete the entry if the documents now say it",
                ));
                continue;
            }
            if changed == value {
                let message = about(entry, "the entry changes nothing");
                diagnostics.push(Diagnostic::at_path(&self.file, entry_path(index, false), message).with_hint(
                    "the imported spec already says this (the documents may have been corrected): delete the entry",
                ));
                continue;
            }
            match serde_yaml::from_value::<ServiceSpec>(changed.clone()) {
                Ok(spec) => {
                    value = changed;
                    current = spec;
                }
                Err(error) => diagnostics.push(
                    Diagnostic::at_path(
                        &self.file,
                        entry_path(index, false),
                        about(entry, format!("the entry makes the spec invalid: {error}")),
                    )
                    .with_hint("spec/README.md lists the keys of each item"),
                ),
            }
        }
        self.located(diagnostics).finish(current)
    }

    /// The problems with the lines and columns of the entries they name.
    fn located(&self, diagnostics: Diagnostics) -> Diagnostics {
        let mut sources = crate::load::Sources::default();
        sources.insert(self.file.clone(), self.text.clone());
        sources.locate(diagnostics)
    }
}

/// Where an entry's problem is reported: the entry (`entries[2]`), or with `at` its `at` key.
fn entry_path(index: usize, at_key: bool) -> String {
    if at_key {
        format!("entries[{index}].at")
    } else {
        format!("entries[{index}]")
    }
}

/// A message about an entry, saying which entry in words too (`(entry at `types[Name]`)`).
fn about(entry: &Entry, message: impl std::fmt::Display) -> String {
    match &entry.at {
        Some(at) => format!("{message} (entry at `{at}`)"),
        None => format!("{message} (entry for the service)"),
    }
}

fn apply_entry(root: &mut Value, entry: &Entry) -> Result<(), String> {
    let segments = match &entry.at {
        Some(at) => parse_path(at)?,
        None => Vec::new(),
    };
    if let Some(new) = &entry.rename {
        return rename_type(root, &segments, new);
    }
    if entry.move_item {
        return move_item(root, &segments, entry);
    }
    if entry.remove {
        let (last, parents) = segments.split_last().ok_or("`remove` needs an `at`")?;
        let Segment { key, select } = last;
        let parent = walk(root, parents)?;
        let list = child(parent, key)?;
        let Some(select) = select else {
            let Value::Mapping(map) = parent else { return Err(format!("`{key}` is not inside a mapping")) };
            map.remove(key.as_str());
            return Ok(());
        };
        let Value::Sequence(items) = list else { return Err(format!("`{key}` is not a list")) };
        let index = find(items, select).ok_or_else(|| format!("no item `{select}` in `{key}`"))?;
        items.remove(index);
        return Ok(());
    }
    let target = walk(root, &segments)?;
    if let Some(set) = &entry.set {
        if target.is_null() {
            *target = Value::Mapping(Mapping::new());
        }
        let Value::Mapping(map) = target else { return Err("`set` needs a mapping (an item), not a value".to_owned()) };
        for (key, value) in set {
            if value.is_null() {
                map.remove(key);
            } else {
                map.insert(key.clone(), value.clone());
            }
        }
        // A key the overlay sets is a person's statement, no longer an importer's inference.
        if let Some(Value::Sequence(inferred)) = map.get_mut("inferred") {
            inferred.retain(|key| !set.contains_key(key));
            if inferred.is_empty() {
                map.remove("inferred");
            }
        }
    }
    if let Some(add) = &entry.add {
        if target.is_null() {
            *target = Value::Sequence(Vec::new());
        }
        let Value::Sequence(items) = target else { return Err("`add` needs a list".to_owned()) };
        let start = place(items, entry)?.unwrap_or(items.len());
        for (index, item) in (start..).zip(add) {
            if let Some(key) = item_key(item) {
                if find(items, &key).is_some() {
                    return Err(format!("the list already has an item `{key}`; use `set` to change it"));
                }
            }
            items.insert(index, item.clone());
        }
    }
    Ok(())
}

/// Where `before`/`after` put an item in `items`: the index to insert at (`None` without either).
fn place(items: &[Value], entry: &Entry) -> Result<Option<usize>, String> {
    let (sibling, offset) = match (&entry.before, &entry.after) {
        (Some(sibling), _) => (sibling, 0),
        (None, Some(sibling)) => (sibling, 1),
        (None, None) => return Ok(None),
    };
    let index = find(items, sibling).ok_or_else(|| format!("no sibling `{sibling}` to place the item next to"))?;
    Ok(Some(index + offset))
}

/// Moves the list item at `segments` next to its sibling, keeping the item as it is.
fn move_item(root: &mut Value, segments: &[Segment], entry: &Entry) -> Result<(), String> {
    let (last, parents) = segments.split_last().ok_or("`move` needs an `at`")?;
    let Segment { key, select } = last;
    let select = select.as_ref().ok_or_else(|| format!("`move` moves a list item: write `{key}[name]`"))?;
    if entry.before.as_ref().or(entry.after.as_ref()) == Some(select) {
        return Err(format!("`{select}` cannot be placed next to itself"));
    }
    let Value::Sequence(items) = child(walk(root, parents)?, key)? else {
        return Err(format!("`{key}` is not a list"));
    };
    let index = find(items, select).ok_or_else(|| format!("no item `{select}` in `{key}`"))?;
    let item = items.remove(index);
    let target = place(items, entry)?.ok_or("`move` needs `before` or `after`")?;
    items.insert(target, item);
    Ok(())
}

struct Segment {
    key: String,
    select: Option<String>,
}

/// `a[x].b.c[y]` → segments. Selectors may contain dots (`[v1.2]`) but not brackets.
fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let mut segments = Vec::new();
    let mut rest = path.trim();
    while !rest.is_empty() {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let key = rest[..end].to_owned();
        if key.is_empty() {
            return Err(format!("`{path}` is not a spec path"));
        }
        rest = &rest[end..];
        let mut select = None;
        if let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']').ok_or_else(|| format!("`{path}`: a `[` is not closed"))?;
            select = Some(inner[..close].to_owned());
            rest = &inner[close + 1..];
        }
        segments.push(Segment { key, select });
        if let Some(after) = rest.strip_prefix('.') {
            rest = after;
        } else if !rest.is_empty() {
            return Err(format!("`{path}` is not a spec path (write `key[selector].key`)"));
        }
    }
    Ok(segments)
}

fn walk<'v>(root: &'v mut Value, segments: &[Segment]) -> Result<&'v mut Value, String> {
    let mut node = root;
    for Segment { key, select } in segments {
        // A missing list is created for `add`; a missing item is an error below.
        if select.is_none() && node.get(key.as_str()).is_none() {
            if let Value::Mapping(map) = node {
                map.insert(Value::String(key.clone()), Value::Null);
            }
        }
        node = child(node, key)?;
        if let Some(select) = select {
            let Value::Sequence(items) = node else { return Err(format!("`{key}` is not a list")) };
            let index = find(items, select).ok_or_else(|| format!("no item `{select}` in `{key}`"))?;
            node = &mut items[index];
        }
    }
    Ok(node)
}

fn child<'v>(node: &'v mut Value, key: &str) -> Result<&'v mut Value, String> {
    match node {
        Value::Mapping(map) => map.get_mut(key).ok_or_else(|| format!("no key `{key}`")),
        _ => Err(format!("`{key}` is not inside a mapping")),
    }
}

/// The key an item is selected by: its `id`, `name` or `status`, or a scalar item itself.
fn item_key(item: &Value) -> Option<String> {
    let key = match item {
        Value::Mapping(map) => ["id", "name", "status"].iter().find_map(|key| map.get(*key))?,
        scalar => scalar,
    };
    match key {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn find(items: &[Value], select: &str) -> Option<usize> {
    items.iter().position(|item| item_key(item).as_deref() == Some(select))
}

/// Renames type `types[old]` to `new` and rewrites every type expression that names it
/// (`type` of fields, parameters, bodies, responses, errors and aliases; SOAP `request`/`response`).
fn rename_type(root: &mut Value, segments: &[Segment], new: &str) -> Result<(), String> {
    let old = segments.first().and_then(|segment| segment.select.clone()).ok_or("`rename` needs `at: types[Name]`")?;
    let types = match root.get_mut("types") {
        Some(Value::Sequence(types)) => types,
        _ => return Err("the spec has no types".to_owned()),
    };
    if find(types, new).is_some() {
        return Err(format!("a type `{new}` already exists"));
    }
    let index = find(types, &old).ok_or_else(|| format!("no item `{old}` in `types`"))?;
    if let Value::Mapping(map) = &mut types[index] {
        map.insert(Value::String("name".to_owned()), Value::String(new.to_owned()));
    }
    rewrite_types(root, &old, new);
    Ok(())
}

fn rewrite_types(value: &mut Value, old: &str, new: &str) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                let is_type_key = matches!(key.as_str(), Some("type" | "request" | "response"));
                match child {
                    Value::String(expression) if is_type_key => *expression = rename_in(expression, old, new),
                    other => rewrite_types(other, old, new),
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|item| rewrite_types(item, old, new)),
        _ => {}
    }
}

/// `list<Old>` → `list<New>`: replaces whole names only.
fn rename_in(expression: &str, old: &str, new: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    for c in expression.chars().chain(std::iter::once('\0')) {
        if c == '<' || c == '>' || c == ',' || c == ' ' || c == '\0' {
            out.push_str(if word == old { new } else { &word });
            word.clear();
            if c != '\0' {
                out.push(c);
            }
        } else {
            word.push(c);
        }
    }
    out
}
