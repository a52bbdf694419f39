//! Prints how long the SOAP runtime takes to read hostile answers of growing size, so a
//! quadratic step shows up as a time that grows with the square of the size. A benchmark, not
//! a test: run it with `cargo run --release -p client-tests --example soap_parse_bench [N ...] [word]`
//! (N scales every shape, default 100,000; a word keeps only the shapes whose name contains it).

use std::time::Instant;

use api_clients::runtime::soap::parse_document;

fn attributes(n: usize) -> String {
    (0..n).map(|i| format!(" a{i}=\"v\"")).collect()
}

fn declarations(n: usize) -> String {
    (0..n).map(|i| format!(" xmlns:p{i}=\"urn:{i}\"")).collect()
}

/// Builds a document from `n` repeated parts.
type Build = fn(usize) -> String;

/// One hostile document per shape.
const SHAPES: &[(&str, Build)] = &[
    ("attributes on one element", |n| format!("<r{}/>", attributes(n))),
    ("xmlns declarations on one element", |n| format!("<r{}/>", declarations(n))),
    ("nested elements", |n| format!("{}{}", "<a>".repeat(n), "</a>".repeat(n))),
    ("sibling elements", |n| format!("<r>{}</r>", "<a/>".repeat(n))),
    // What a long answer looks like: a list of Projector messages, each element in a namespace.
    ("list of PwsMessage elements (a real shape)", |n| {
        let message = "<b:PwsMessage><b:AdditionalErrorText i:nil=\"true\"/><b:ErrorCode>AtLeastOneItemNotFound</b:ErrorCode><b:ErrorNumber>105</b:ErrorNumber><b:ErrorText>At least one requested item was not found &amp; so on.</b:ErrorText><b:Type>Warning</b:Type></b:PwsMessage>";
        format!(
            "<Messages xmlns=\"http://projectorpsa.com/CommonServices/\" xmlns:b=\"http://projectorpsa.com/DataContracts/Shared/Common/\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">{}</Messages>",
            message.repeat(n / 10)
        )
    }),
    // The worst that is still read: elements at the attribute limit, and lookups that scan the
    // most bindings in scope (2 levels of 32 declarations, the first one looked up).
    ("elements with 255 attributes each", |n| {
        format!("<r>{}</r>", format!("<e{}/>", attributes(255)).repeat(n / 255 + 1))
    }),
    ("children resolved against 64 bindings in scope", |n| {
        let level = |l: usize| {
            format!("<p0x0:l{}>", (0..32).map(|i| format!(" xmlns:p{l}x{i}=\"urn:{i}\"")).collect::<String>())
        };
        format!("{}{}{}", level(0) + &level(1), "<p0x0:a/>".repeat(n), "</p0x0:l>".repeat(2))
    }),
    // Every child's prefix is the first of many declared, so each lookup scans them all.
    ("children resolved against n declarations", |n| {
        format!("<p0:r{}>{}</p0:r>", declarations(n), "<p0:a/>".repeat(n))
    }),
];

fn main() {
    // Numbers are sizes; any other argument keeps only the shapes whose name contains it.
    let (sizes, filters): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|arg| arg.parse::<usize>().is_ok());
    let mut sizes: Vec<usize> = sizes.iter().filter_map(|size| size.parse().ok()).collect();
    if sizes.is_empty() {
        sizes.push(100_000);
    }
    for n in sizes {
        for (shape, build) in SHAPES.iter().filter(|(shape, _)| filters.iter().all(|f| shape.contains(f.as_str()))) {
            let document = build(n);
            let started = Instant::now();
            let result = parse_document(document.as_bytes());
            let seconds = started.elapsed().as_secs_f64();
            let outcome = match result {
                Ok(_) => "parsed".to_owned(),
                Err(error) => format!("refused: {}", error.message),
            };
            let kib = document.len() / 1024;
            println!("{shape:<48} n={n:<8} {kib:>7} KiB {seconds:>9.3} s  {outcome}");
        }
    }
}
