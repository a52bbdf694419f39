//! Maps spec paths (`operations[orders_list].params[pageSize].type`) back to lines and columns.
//!
//! serde_yaml keeps no positions of the values it builds, so `lower` can only name the spec path
//! of a problem. When it reports any, [`Sources::locate`] reads each affected file once more, as
//! YAML events (saphyr-parser), into a small tree of nodes with their positions, and resolves
//! each path in it. Only files with problems are read again, so a valid spec costs nothing; the
//! tree is built without recursion and without expanding aliases, so the read is linear in the
//! file's size and the files are those `load` has already read within its limits.

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
    /// Keeps `text` as the content of `file` (its display name, e.g. `spec/visma_net.yaml`).
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

#[derive(Debug)]
enum Node {
    Scalar {
        at: Position,
        value: String,
    },
    Sequence {
        at: Position,
        items: Vec<usize>,
        /// Item key (see [`ITEM_KEYS`]) → the indices in `items` of the items known by it (more
        /// than one when a spec repeats an id or name, a problem `lower` reports).
        by_key: BTreeMap<String, Vec<usize>>,
    },
    Mapping {
        at: Position,
        /// Scalar key → (the key's position, the value's node); a repeated key keeps the last.
        entries: BTreeMap<String, (Position, usize)>,
    },
    /// An alias (`*name`): its own position; what it repeats is not followed.
    Alias {
        at: Position,
    },
}

impl Node {
    fn at(&self) -> Position {
        match self {
            Node::Scalar { at, .. } | Node::Sequence { at, .. } | Node::Mapping { at, .. } | Node::Alias { at } => *at,
        }
    }
}

/// The first document of a file as nodes in one arena; `nodes[root]` is its top node.
#[derive(Debug)]
struct Tree {
    nodes: Vec<Node>,
    root: usize,
}

/// A mapping or sequence being read: its node, and for a mapping the key waiting for its value.
struct Open {
    node: usize,
    key: Option<(String, Position)>,
}

impl Tree {
    /// Reads `text` into a tree; `None` when it does not parse (paths then stay unlocated).
    fn parse(text: &str) -> Option<Tree> {
        let mut nodes = Vec::new();
        let mut open: Vec<Open> = Vec::new();
        let mut root = None;
        for event in Parser::new_from_str(text) {
            let (event, span) = event.ok()?;
            let at = Position { line: span.start.line(), column: span.start.col() + 1 };
            let node = match event {
                Event::Scalar(value, ..) => Node::Scalar { at, value: value.into_owned() },
                Event::Alias(_) => Node::Alias { at },
                Event::SequenceStart(..) => Node::Sequence { at, items: Vec::new(), by_key: BTreeMap::new() },
                Event::MappingStart(..) => Node::Mapping { at, entries: BTreeMap::new() },
                Event::SequenceEnd | Event::MappingEnd => {
                    let closed = open.pop()?.node;
                    Self::index_items(&mut nodes, closed);
                    // A collection becomes its parent's child once it is complete.
                    Self::attach(&mut nodes, &mut open, closed, &mut root);
                    continue;
                }
                Event::DocumentEnd if root.is_some() => break,
                _ => continue,
            };
            let index = nodes.len();
            let collection = matches!(node, Node::Sequence { .. } | Node::Mapping { .. });
            nodes.push(node);
            if collection {
                open.push(Open { node: index, key: None });
            } else {
                Self::attach(&mut nodes, &mut open, index, &mut root);
            }
        }
        Some(Tree { nodes, root: root? })
    }

    /// Makes the complete node `child` the next child of the innermost open collection: an
    /// item of a sequence, or a mapping's key or the value of the key before it.
    fn attach(nodes: &mut [Node], open: &mut [Open], child: usize, root: &mut Option<usize>) {
        let Some(parent) = open.last_mut() else {
            root.get_or_insert(child);
            return;
        };
        let at = nodes[child].at();
        // A key that is not a scalar (spec files have none) is kept under the empty name.
        let key = match &nodes[child] {
            Node::Scalar { value, .. } if parent.key.is_none() => value.clone(),
            _ => String::new(),
        };
        match &mut nodes[parent.node] {
            Node::Sequence { items, .. } => items.push(child),
            Node::Mapping { entries, .. } => match parent.key.take() {
                None => parent.key = Some((key, at)),
                Some((key, key_at)) => {
                    entries.insert(key, (key_at, child));
                }
            },
            Node::Scalar { .. } | Node::Alias { .. } => {}
        }
    }

    /// Fills a finished sequence's `by_key` from its items' keys.
    fn index_items(nodes: &mut [Node], sequence: usize) {
        let Node::Sequence { items, .. } = &nodes[sequence] else { return };
        let keys: Vec<(String, usize)> = items
            .iter()
            .enumerate()
            .filter_map(|(position, &item)| Some((Self::item_key(nodes, item)?, position)))
            .collect();
        if let Node::Sequence { by_key, .. } = &mut nodes[sequence] {
            for (key, position) in keys {
                by_key.entry(key).or_default().push(position);
            }
        }
    }

    /// What a list item is known by: its first [`ITEM_KEYS`] key's scalar, or its own value.
    fn item_key(nodes: &[Node], item: usize) -> Option<String> {
        match &nodes[item] {
            Node::Scalar { value, .. } => Some(value.clone()),
            Node::Mapping { entries, .. } => ITEM_KEYS.iter().find_map(|key| match &nodes[entries.get(*key)?.1] {
                Node::Scalar { value, .. } => Some(value.clone()),
                _ => None,
            }),
            _ => None,
        }
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
        let candidates: Vec<(usize, Position)> = match (step, &self.nodes[node]) {
            (Step::Key(key), Node::Mapping { entries, .. }) => entries
                .get(*key)
                .map(|&(key_at, value)| {
                    // A scalar is pointed at itself; a list or mapping at its key, the line a
                    // reader looks for.
                    let at = match self.nodes[value] {
                        Node::Scalar { at, .. } | Node::Alias { at } => at,
                        _ => key_at,
                    };
                    (value, at)
                })
                .into_iter()
                .collect(),
            (Step::Select(select), Node::Sequence { items, by_key, .. }) => {
                let indices = match by_key.get(*select) {
                    Some(indices) => indices.clone(),
                    // `redirect_hosts[0]`: an index, for items not known by a key.
                    None => select
                        .parse::<usize>()
                        .ok()
                        .filter(|&index| {
                            items.get(index).is_some_and(|&item| {
                                !matches!(self.nodes[item], Node::Mapping { .. })
                                    || Self::item_key(&self.nodes, item).is_none()
                            })
                        })
                        .into_iter()
                        .collect(),
                };
                let tried = indices.len().saturating_sub(MAX_TRIED);
                indices[tried..].iter().map(|&index| (items[index], self.nodes[items[index]].at())).collect()
            }
            // A mapping whose keys are names (`namespaces[tns]`).
            (Step::Select(select), Node::Mapping { entries, .. }) => {
                entries.get(*select).map(|&(_, value)| (value, self.nodes[value].at())).into_iter().collect()
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
