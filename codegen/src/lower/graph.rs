//! Graph questions lowering asks about type references (which names lie on a cycle), answered
//! in time linear in the number of names and references, so long chains of types stay cheap.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{TypeDef, TypeRef};

/// The strongly connected component of every node (Tarjan's algorithm, iterative so a chain
/// of any length cannot overflow the stack). Two nodes share a component exactly when each
/// reaches the other.
pub(super) fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let count = edges.len();
    let mut index = vec![UNSEEN; count];
    let mut lowlink = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; count];
    let (mut next_index, mut next_component) = (0, 0);
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, position of the next edge to follow)
        let mut work = vec![(root, 0)];
        index[root] = next_index;
        lowlink[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut position)) = work.last_mut() {
            if let Some(&next) = edges[node].get(*position) {
                *position += 1;
                if index[next] == UNSEEN {
                    index[next] = next_index;
                    lowlink[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    work.push((next, 0));
                } else if on_stack[next] {
                    lowlink[node] = lowlink[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                lowlink[parent] = lowlink[parent].min(lowlink[node]);
            }
            if lowlink[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Whether each node lies on a cycle: its component has another member, or it refers to itself.
pub(super) fn on_cycle(edges: &[Vec<usize>]) -> Vec<bool> {
    let component = components(edges);
    let mut sizes = vec![0usize; edges.len()];
    for &c in &component {
        sizes[c] += 1;
    }
    (0..edges.len()).map(|node| sizes[component[node]] > 1 || edges[node].contains(&node)).collect()
}

/// The types that hold some kind of leaf (a float, `binary`) somewhere inside: those with such a
/// leaf of their own, then every type that names one of those, spread along the references
/// backwards, each type visited once.
pub(super) struct Holders {
    idents: BTreeSet<String>,
    leaf: fn(&TypeRef) -> bool,
}

impl Holders {
    pub(super) fn new(defs: &[TypeDef], leaf: fn(&TypeRef) -> bool) -> Holders {
        let mut idents = BTreeSet::new();
        // Type ident → the types that name it.
        let mut named_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut queue = Vec::new();
        for def in defs {
            let (ident, refs): (&str, Vec<&TypeRef>) = match def {
                TypeDef::Object(object) => {
                    (object.ident.as_str(), object.fields.iter().map(|field| &field.ty).collect())
                }
                TypeDef::Alias(alias) => (alias.ident.as_str(), vec![&alias.ty]),
                TypeDef::Union(union) => {
                    (union.ident.as_str(), union.variants.iter().map(|variant| &variant.ty).collect())
                }
                TypeDef::Enum(_) => continue,
            };
            for ty in refs {
                match core(ty) {
                    TypeRef::Named { ident: target, .. } => named_by.entry(target.as_str()).or_default().push(ident),
                    other if leaf(other) && idents.insert(ident.to_owned()) => queue.push(ident),
                    _ => {}
                }
            }
        }
        while let Some(ident) = queue.pop() {
            for &holder in named_by.get(ident).into_iter().flatten() {
                if idents.insert(holder.to_owned()) {
                    queue.push(holder);
                }
            }
        }
        Holders { idents, leaf }
    }

    /// Whether `ty` is such a leaf, holds one in a list or map, or names a type that holds one.
    pub(super) fn hold(&self, ty: &TypeRef) -> bool {
        match core(ty) {
            TypeRef::Named { ident, .. } => self.idents.contains(ident.as_str()),
            other => (self.leaf)(other),
        }
    }
}

/// The type a list or map holds at its core.
fn core(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::List(inner) | TypeRef::Map(inner) => core(inner),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cycles_and_leaves_chains_alone() {
        // 0 → 1 → 2 → 0 is a cycle, 3 → 0 leads into it, 4 refers to itself, 5 is alone.
        let edges = vec![vec![1], vec![2], vec![0], vec![0], vec![4], vec![]];
        assert_eq!(on_cycle(&edges), vec![true, true, true, false, true, false]);
        let component = components(&edges);
        assert_eq!(component[0], component[2]);
        assert_ne!(component[0], component[3]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let count = 200_000;
        let mut edges: Vec<Vec<usize>> = (0..count).map(|node| vec![node + 1]).collect();
        edges[count - 1] = vec![0];
        assert!(on_cycle(&edges).iter().all(|&cycle| cycle));
    }
}
