//! The small spec the diff tests change one thing at a time, shared by `diff_rules.rs` and
//! `diff_compile.rs`.

// Each test binary uses a subset of these.
#![allow(dead_code)]

use codegen::load::{parse, SpecFile, SpecSet};
use codegen::model::Model;
use codegen::spec::{CrateSpec, ServiceSpec};

pub const BASE: &str = r#"service: shop
title: Shop
description: A shop.
protocol: rest
base_url: https://shop.example.com
auth:
  - { id: token, kind: bearer }
groups:
  - id: orders
operations:
  - id: orders_list
    group: orders
    method: GET
    path: /orders
    summary: List orders.
    params:
      - { name: pageSize, in: query, type: int32 }
      - { name: status, in: query, type: string, required: true }
    responses:
      - { status: 200, type: "list<Order>", headers: [ETag] }
    errors:
      - { status: 404, type: Problem }
  - id: orders_create
    group: orders
    method: POST
    path: /orders
    body: { type: OrderInput }
    responses:
      - { status: 201 }
      - { status: 202, type: Job }
types:
  - kind: object
    name: Order
    fields:
      - { name: id, type: int64, required: true }
      - { name: note, type: string }
      - { name: state, type: State, required: true }
      - { name: total, type: double, required: true }
  - kind: object
    name: OrderInput
    fields:
      - { name: note, type: string }
      - { name: color, type: Color }
      - { name: amount, type: double, required: true }
  - kind: object
    name: Job
    description: A background job.
    fields:
      - { name: id, type: string }
  - kind: object
    name: Problem
    fields:
      - { name: code, type: string }
  - kind: enum
    name: State
    repr: string
    members:
      - { name: Open, value: open }
      - { name: Done, value: done }
  - kind: enum
    name: Color
    repr: string
    open: true
    members:
      - { name: Red, value: red }
  - kind: alias
    name: Tags
    type: "list<string>"
"#;

pub const OTHER_SERVICE: &str = "service: other
title: Other
protocol: rest
base_url: https://other.example.com
groups: [ { id: things } ]
operations:
  - { id: things_list, group: things, method: GET, path: /things, responses: [ { status: 200 } ] }
";

pub fn model(files: &[(&str, String)]) -> Model {
    let services = files
        .iter()
        .map(|(file, text)| SpecFile {
            file: (*file).to_owned(),
            spec: parse::<ServiceSpec>(file, text).unwrap_or_else(|error| panic!("{file}: {error}\n{text}")),
        })
        .collect();
    let krate = CrateSpec {
        name: "shop".to_owned(),
        version: "0.1.0".to_owned(),
        description: "Shop.".to_owned(),
        license: None,
    };
    let set = SpecSet { krate: SpecFile { file: "crate.yaml".to_owned(), spec: krate }, services };
    codegen::lower::lower(&set).unwrap_or_else(|error| panic!("{error}"))
}

/// BASE with each `(from, to)` replaced once; fails if `from` is missing, so a case can not
/// silently test nothing.
pub fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_owned();
    for (from, to) in edits {
        assert!(text.contains(from), "the base spec has no `{from}`");
        text = text.replacen(from, to, 1);
    }
    text
}
