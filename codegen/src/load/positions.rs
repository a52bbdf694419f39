//! Maps spec paths (`operations[orders_list].params[pageSize].type`) back to lines and columns.
//!
//! serde_yaml keeps no positions of the values it builds, so `lower` can only name the spec path
//! of a problem. When it reports any, [`Sources::locate`] reads each affected file once more, as
//! YAML events (saphyr-parser), into a small tree of nodes with their positions, and resolves
//! each path in it. Only files with problems are read again, so a valid spec costs nothing; the
//! tree is built without recursion and without expanding aliases, so the read is linear in the
//! file's size and the files are those `load` has already read within its limits.

use std::cell::RefCell;
use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// The keys a list item is known by in a spec path, in the order they are tried: `[orders_list]`
/// is the item whose `id` is `orders_list`, `[pageSize]` the one whose `name` is, `[200]` the one
/// whose `status` is. A scalar item is known by its value. (The overlay's `at` selects items by
/// the same rule.)
const ITEM_KEYS: [&str; 3] = ["id", "name", "status"];

/// The text of every spec file `load` parsed, by the name it is reported under, kept so the
/// problems of later phases can be given positions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    texts: BTreeMap<String, String>,
}

impl Sources {
    /// Keeps `text` as the content of `file` (its display name, e.g. `spec/visma_net.yaml`): a
    /// text that [`super::parse`] accepted, so it is within `load`'s size and nesting limits.
    pub fn insert(&mut self, file: impl Into<String>, text: impl Into<String>) {
        self.texts.insert(file.into(), text.into());
    }

    /// Gives each problem located by a spec path the line and column of the YAML node the path
    /// names (the value of a key that holds a scalar; the key of one that holds a list or
    /// mapping; the item a selector picks). A path that leads past what the file has, say to a
    /// key left out, gets the position of the deepest node it reaches. Problems in files not
    /// kept here, and paths whose first step is not in the file, stay as they are.
    pub fn locate(&self, diagnostics: Diagnostics) -> Diagnostics {
        // Each file's tree is built at most once, and only for files that have path problems.
        let mut trees: BTreeMap<&str, Option<Tree>> = BTreeMap::new();
        let located = diagnostics
            .0
            .into_iter()
            .map(|diagnostic| {
                let Location::SpecPath { file, path } = &diagnostic.location else { return diagnostic };
                let Some((name, text)) = self.texts.get_key_value(file.as_str()) else { return diagnostic };
                let tree = trees.entry(name.as_str()).or_insert_with(|| Tree::parse(text));
                match tree.as_ref().and_then(|tree| tree.find(path)) {
                    Some(Position { line, column }) => Diagnostic {
                        location: Location::SpecNode { file: file.clone(), line, column, path: path.clone() },
                        ..diagnostic
                    },
                    None => diagnostic,
                }
            })
            .collect();
        Diagnostics(located)
    }
}

/// A 1-based line and column (in characters), as in YAML errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    line: usize,
    column: usize,
}

/// A node of the tree: where it starts, and what it is.
#[derive(Debug)]
struct Node {
    at: Position,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// A scalar's text is kept only where a path may select by it (a mapping key, the value of
    /// an `id`, `name` or `status` key, a list item), so the tree stays small next to the file.
    Scalar(Option<Box<str>>),
    /// An alias (`*name`); what it repeats is not followed.
    Alias,
    /// A list or mapping: its entries are `entries[start..start + len]`.
    Sequence {
        start: usize,
        len: usize,
    },
    Mapping {
        start: usize,
        len: usize,
    },
}

/// An entry of a collection: for a mapping its key's node and the value's, for a list the
/// item's (`key` unused).
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: usize,
    node: usize,
}

/// The most entries of a collection searched one by one; a larger one is indexed by key the
/// first time a path goes through it, so every path stays a few lookups however many
/// problems there are.
const SCANNED: usize = 16;

/// The first document of a file as nodes in one arena; `nodes[root]` is its top node.
#[derive(Debug)]
struct Tree {
    nodes: Vec<Node>,
    entries: Vec<Entry>,
    root: usize,
    /// Collection node → what each of its entries is known by (a mapping's key, a list item's
    /// key: see [`ITEM_KEYS`]) → the entries' positions in the collection; built when needed.
    indexes: RefCell<BTreeMap<usize, BTreeMap<String, Vec<usize>>>>,
}

/// A mapping or sequence being read: its node, its entries so far, and for a mapping the key
/// waiting for its value.
struct Open {
    node: usize,
    entries: Vec<Entry>,
    key: Option<usize>,
}

impl Tree {
    /// Reads `text` into a tree; `None` when it does not parse (paths then stay unlocated).
    fn parse(text: &str) -> Option<Tree> {
        let mut nodes: Vec<Node> = Vec::new();
        let mut entries = Vec::new();
        let mut open: Vec<Open> = Vec::new();
        let mut root = None;
        for event in Parser::new_from_str(text) {
            let (event, span) = event.ok()?;
            let at = Position { line: span.start.line(), column: span.start.col() + 1 };
            let index = nodes.len();
            match event {
                Event::Scalar(value, ..) => {
                    // Kept for a key, an item, or the value of a key items are known by.
                    let keep = open.last().is_none_or(|parent| match nodes[parent.node].kind {
                        Kind::Mapping { .. } => parent.key.is_none_or(|key| match &nodes[key].kind {
                            Kind::Scalar(Some(key)) => ITEM_KEYS.contains(&&**key),
                            _ => false,
                        }),
                        _ => true,
                    });
                    nodes.push(Node { at, kind: Kind::Scalar(keep.then(|| value.into())) });
                }
                Event::Alias(_) => nodes.push(Node { at, kind: Kind::Alias }),
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    let kind = match event {
                        Event::SequenceStart(..) => Kind::Sequence { start: 0, len: 0 },
                        _ => Kind::Mapping { start: 0, len: 0 },
                    };
                    nodes.push(Node { at, kind });
                    open.push(Open { node: index, entries: Vec::new(), key: None });
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let closed = open.pop()?;
                    let (start, len) = (entries.len(), closed.entries.len());
                    entries.extend(closed.entries);
                    if let Kind::Sequence { start: s, len: l } | Kind::Mapping { start: s, len: l } =
                        &mut nodes[closed.node].kind
                    {
                        (*s, *l) = (start, len);
                    }
                    // A collection becomes its parent's entry once it is complete.
                    Self::attach(&nodes, &mut open, closed.node, &mut root);
                    continue;
                }
                Event::DocumentEnd if root.is_some() => break,
                _ => continue,
            }
            Self::attach(&nodes, &mut open, index, &mut root);
        }
        Some(Tree { nodes, entries, root: root?, indexes: RefCell::default() })
    }

    /// Makes the complete node `child` the next entry of the innermost open collection: an
    /// item of a list, or a mapping's key or the value of the key before it.
    fn attach(nodes: &[Node], open: &mut [Open], child: usize, root: &mut Option<usize>) {
        let Some(parent) = open.last_mut() else {
            root.get_or_insert(child);
            return;
        };
        match nodes[parent.node].kind {
            Kind::Mapping { .. } => match parent.key.take() {
                None => parent.key = Some(child),
                Some(key) => parent.entries.push(Entry { key, node: child }),
            },
            _ => parent.entries.push(Entry { key: child, node: child }),
        }
    }

    fn text(&self, node: usize) -> Option<&str> {
        match &self.nodes[node].kind {
            Kind::Scalar(text) => text.as_deref(),
            _ => None,
        }
    }

    fn entries(&self, node: usize) -> &[Entry] {
        match self.nodes[node].kind {
            Kind::Sequence { start, len } | Kind::Mapping { start, len } => &self.entries[start..start + len],
            _ => &[],
        }
    }

    /// The value of key `key` in mapping `node`.
    fn get(&self, node: usize, key: &str) -> Option<Entry> {
        self.find_entries(node, key).last().map(|&index| self.entries(node)[index])
    }

    /// What an entry of `collection` is known by: a mapping's key; a list item's first
    /// [`ITEM_KEYS`] key's value, or a scalar item's own text.
    fn known_by(&self, collection: usize, entry: Entry) -> Option<&str> {
        match self.nodes[collection].kind {
            Kind::Mapping { .. } => self.text(entry.key),
            _ => match self.nodes[entry.node].kind {
                Kind::Mapping { .. } => ITEM_KEYS.iter().find_map(|key| self.text(self.get(entry.node, key)?.node)),
                _ => self.text(entry.node),
            },
        }
    }

    /// The positions of the entries of `collection` known by `name`, in file order.
    fn find_entries(&self, collection: usize, name: &str) -> Vec<usize> {
        let entries = self.entries(collection);
        if entries.len() <= SCANNED {
            return (0..entries.len())
                .filter(|&index| self.known_by(collection, entries[index]) == Some(name))
                .collect();
        }
        let mut indexes = self.indexes.borrow_mut();
        let index = indexes.entry(collection).or_insert_with(|| {
            let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (position, &entry) in entries.iter().enumerate() {
                if let Some(name) = self.known_by(collection, entry) {
                    index.entry(name.to_owned()).or_default().push(position);
                }
            }
            index
        });
        index.get(name).cloned().unwrap_or_default()
    }

    /// The position `path` names, or that of the deepest node it reaches (at least its first
    /// step); `None` when the path does not parse or its first step is not in the file.
    fn find(&self, path: &str) -> Option<Position> {
        self.reach(self.root, &steps(path)?).1
    }

    /// How many of `steps` lead on from `node`, and the position of the last node reached.
    ///
    /// When a selector matches several items (an id used twice), each is tried and the one
    /// the rest of the path leads furthest into wins, the later one on a tie: "defined twice"
    /// is about the repeat, and a problem inside either item is found in that item. At most
    /// [`MAX_TRIED`] of them are tried, so a file full of repeats stays cheap.
    fn reach(&self, node: usize, steps: &[Step<'_>]) -> (usize, Option<Position>) {
        let Some((step, rest)) = steps.split_first() else { return (0, None) };
        let entries = self.entries(node);
        let candidates: Vec<(usize, Position)> = match (step, &self.nodes[node].kind) {
            (Step::Key(key), Kind::Mapping { .. }) => self
                .get(node, key)
                .map(|entry| {
                    // A scalar is pointed at itself; a list or mapping at its key, the line a
                    // reader looks for.
                    let at = match self.nodes[entry.node].kind {
                        Kind::Scalar(_) | Kind::Alias => self.nodes[entry.node].at,
                        _ => self.nodes[entry.key].at,
                    };
                    (entry.node, at)
                })
                .into_iter()
                .collect(),
            (Step::Select(select), Kind::Sequence { .. } | Kind::Mapping { .. }) => {
                let mut found = self.find_entries(node, select);
                let is_list = matches!(self.nodes[node].kind, Kind::Sequence { .. });
                if found.is_empty() && is_list {
                    // `redirect_hosts[0]`: an index, for items not known by a key.
                    let by_index = select.parse::<usize>().ok().filter(|&index| {
                        entries.get(index).is_some_and(|&entry| {
                            !matches!(self.nodes[entry.node].kind, Kind::Mapping { .. })
                                || self.known_by(node, entry).is_none()
                        })
                    });
                    found.extend(by_index);
                }
                let tried = found.len().saturating_sub(MAX_TRIED);
                found[tried..].iter().map(|&index| (entries[index].node, self.nodes[entries[index].node].at)).collect()
            }
            _ => Vec::new(),
        };
        let mut best = (0, None);
        for (child, at) in candidates {
            let (depth, deeper) = self.reach(child, rest);
            if best.1.is_none() || depth + 1 >= best.0 {
                best = (depth + 1, deeper.or(Some(at)));
            }
        }
        best
    }
}

/// The most items tried for one selector that several items match (see [`Tree::reach`]).
const MAX_TRIED: usize = 8;

/// One step of a spec path: a mapping key, or a selector in brackets.
#[derive(Debug, PartialEq, Eq)]
enum Step<'p> {
    Key(&'p str),
    Select(&'p str),
}

/// `a[x].b.c[y]` → `Key(a), Select(x), Key(b), Key(c), Select(y)`. A selector may hold dots
/// and brackets (wire names do): it ends at the `]` followed by `.`, `[` or the end.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        if end > 0 {
            steps.push(Step::Key(&rest[..end]));
        } else if steps.is_empty() {
            return None;
        }
        rest = &rest[end..];
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner
                .match_indices(']')
                .map(|(index, _)| index)
                .find(|&index| inner[index + 1..].is_empty() || inner[index + 1..].starts_with(['.', '[']))?;
            steps.push(Step::Select(&inner[..close]));
            rest = &inner[close + 1..];
        }
        if let Some(after) = rest.strip_prefix('.') {
            if after.is_empty() {
                return None;
            }
            rest = after;
        } else if !rest.is_empty() {
            return None;
        }
    }
    Some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "\
service: shop
base_url: https://api.example.com
operations:
  - id: orders_list
    group: orders
    params:
      - name: pageSize
        in: query
        type: int32
      - { name: 'a.b[c]', in: query, type: strin }
    responses:
      - status: 200
        type: list<Ordr>
  - id: orders_get
    group: orders
types:
  - kind: object
    name: Order
    fields:
      - name: id
        type: string
        description: |
          Several
          lines.
soap:
  namespaces:
    tns: urn:x
  session:
    redirect_hosts: [a.example.com, '*.b.example.com']
";

    fn find(path: &str) -> Option<(usize, usize)> {
        Tree::parse(SPEC).expect("parses").find(path).map(|at| (at.line, at.column))
    }

    #[test]
    fn scalars_are_pointed_at_their_value() {
        assert_eq!(find("service"), Some((1, 10)));
        assert_eq!(find("operations[orders_list].params[pageSize].type"), Some((9, 15)));
        assert_eq!(find("types[Order].fields[id].type"), Some((21, 15)));
        // A block scalar is pointed at its first line of text.
        assert_eq!(find("types[Order].fields[id].description"), Some((23, 11)));
    }

    #[test]
    fn collections_are_pointed_at_their_key_and_items_at_their_start() {
        assert_eq!(find("operations"), Some((3, 1)));
        assert_eq!(find("soap.session"), Some((28, 3)));
        assert_eq!(find("types[Order]"), Some((17, 5)));
    }

    #[test]
    fn selectors_use_the_item_keys_the_value_or_the_index() {
        assert_eq!(find("types[Order].fields[id]"), Some((20, 9)));
        assert_eq!(find("operations[orders_list].params[a.b[c]].type"), Some((10, 44)));
        assert_eq!(find("soap.session.redirect_hosts[1]"), Some((29, 37)));
        assert_eq!(find("soap.session.redirect_hosts[a.example.com]"), Some((29, 22)));
        assert_eq!(find("soap.namespaces[tns]"), Some((27, 10)));
    }

    #[test]
    fn a_repeated_key_selects_the_last_item() {
        let text = "operations:\n  - id: a\n    params: []\n  - id: b\n  - id: a\n";
        let tree = Tree::parse(text).expect("parses");
        let find = |path| tree.find(path).map(|at| (at.line, at.column));
        assert_eq!(find("operations[a]"), Some((5, 5)));
        assert_eq!(find("operations[b]"), Some((4, 5)));
        // Only the first `a` has params: a problem in them is found there.
        assert_eq!(find("operations[a].params"), Some((3, 5)));
        assert_eq!(find("operations[a].params[x]"), Some((3, 5)));
    }

    #[test]
    fn a_path_past_the_file_stops_at_the_deepest_node_it_reaches() {
        assert_eq!(find("types[Order].members"), Some((17, 5)));
        assert_eq!(find("types[Nothing].fields[id]"), Some((16, 1)));
        // An index does not select an item known by a key.
        assert_eq!(find("types[0]"), Some((16, 1)));
        assert_eq!(find("groups"), None);
        assert_eq!(find("not a [path"), None);
    }

    #[test]
    fn unusual_yaml_is_read_without_following_aliases() {
        // Anchors and aliases, a complex key, a second document, a key used twice.
        let text = "base: &b { type: int32 }\nother: *b\n? [a, b]\n: c\nkey: 1\nkey: 2\n---\nlater: x\n";
        let tree = Tree::parse(text).expect("parses");
        let find = |path| tree.find(path).map(|at| (at.line, at.column));
        assert_eq!(find("base.type"), Some((1, 18)));
        assert_eq!(find("other"), Some((2, 8)));
        assert_eq!(find("other.type"), Some((2, 8)), "an alias is not followed");
        assert_eq!(find("key"), Some((6, 6)), "the last of a repeated key");
        assert_eq!(find("later"), None, "only the first document");
        // Windows line ends, and columns counted in characters, not bytes.
        let tree = Tree::parse("a: 1\r\nb: { ä: ö, c: x }\r\n").expect("parses");
        assert_eq!(tree.find("b.c").map(|at| (at.line, at.column)), Some((2, 15)));
        for broken in ["a: [1, 2", "a: b: c", "- a\nb: c", "", "{{{{"] {
            assert!(Tree::parse(broken).is_none_or(|tree| tree.find("a.b").is_none()), "{broken:?}");
        }
    }

    #[test]
    fn a_large_list_is_indexed_not_scanned() {
        let mut text = String::from("operations:\n");
        for index in 0..5000 {
            text.push_str(&format!("  - {{ id: op{index}, params: [ {{ name: p, type: Missing{index} }} ] }}\n"));
        }
        let tree = Tree::parse(&text).expect("parses");
        for index in (0..5000).step_by(499) {
            let path = format!("operations[op{index}].params[p].type");
            assert_eq!(tree.find(&path).map(|at| at.line), Some(index + 2), "{path}");
        }
        assert_eq!(tree.indexes.borrow().len(), 1, "only the operations list needed an index");
    }

    #[test]
    fn deep_nesting_is_read_without_recursion() {
        // The spec files that get here are at most `MAX_YAML_DEPTH` deep; deeper ones still
        // neither recurse nor panic (the parser gives up on flow nesting past 255).
        let flow = |depth: usize| format!("a: {}{}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(Tree::parse(&flow(200)).and_then(|tree| tree.find("a[0][0][0]")).map(|at| at.column), Some(7));
        assert!(Tree::parse(&flow(100_000)).is_none());
        let depth = 2000;
        let block: String = (0..depth).map(|level| format!("{}a:\n", " ".repeat(level))).collect();
        let tree = Tree::parse(&block).expect("parses");
        assert_eq!(tree.find(&vec!["a"; depth].join(".")).map(|at| at.line), Some(depth));
    }

    #[test]
    fn paths_parse_into_steps() {
        use Step::*;
        assert_eq!(steps("a[x].b.c[y]"), Some(vec![Key("a"), Select("x"), Key("b"), Key("c"), Select("y")]));
        assert_eq!(steps("params[v1.2]"), Some(vec![Key("params"), Select("v1.2")]));
        assert_eq!(steps("params[a]b].type"), Some(vec![Key("params"), Select("a]b"), Key("type")]));
        assert_eq!(steps("a."), None);
        assert_eq!(steps("a[x"), None);
        assert_eq!(steps("[x]"), None);
    }

    #[test]
    fn locate_keeps_what_it_cannot_place() {
        let mut sources = Sources::default();
        sources.insert("spec/shop.yaml", SPEC);
        let problems = Diagnostics(vec![
            Diagnostic::at_path("spec/shop.yaml", "operations[orders_list].params[pageSize].type", "bad"),
            Diagnostic::at_path("spec/shop.yaml", "groups", "no groups"),
            Diagnostic::at_path("spec/other.yaml", "service", "elsewhere"),
        ]);
        let located = sources.locate(problems);
        assert_eq!(
            located.0[0].location,
            Location::SpecNode {
                file: "spec/shop.yaml".to_owned(),
                line: 9,
                column: 15,
                path: "operations[orders_list].params[pageSize].type".to_owned()
            }
        );
        assert!(matches!(located.0[1].location, Location::SpecPath { .. }));
        assert!(matches!(located.0[2].location, Location::SpecPath { .. }));
    }
}
