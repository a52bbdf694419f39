//! Prints how long the SOAP runtime takes to read hostile answers of growing size, so a
//! quadratic step shows up as a time that grows with the square of the size. A benchmark, not
//! a test: run it with `cargo run --release -p client-tests --example soap_parse_bench [N ...]`
//! (N scales every shape, default 100,000; a word keeps only the shapes whose name contains it).

use std::time::Instant;

use api_clients::runtime::soap::parse_document;

/// One hostile document per shape, `n` the number of repeated parts.
fn shapes(n: usize) -> Vec<(&'static str, String)> {
    let attributes: String = (0..n).map(|i| format!(" a{i}=\"v\"")).collect();
    let declarations: String = (0..n).map(|i| format!(" xmlns:p{i}=\"urn:{i}\"")).collect();
    vec![
        ("attributes on one element", format!("<r{attributes}/>")),
        ("xmlns declarations on one element", format!("<r{declarations}/>")),
        ("nested elements", format!("{}{}", "<a>".repeat(n), "</a>".repeat(n))),
        ("sibling elements", format!("<r>{}</r>", "<a/>".repeat(n))),
        // What a long answer looks like: a list of Projector messages, each element in a namespace.
        (
            "list of PwsMessage elements (a real shape)",
            format!(
                "<Messages xmlns=\"http://projectorpsa.com/CommonServices/\" xmlns:b=\"http://projectorpsa.com/DataContracts/Shared/Common/\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">{}</Messages>",
                "<b:PwsMessage><b:AdditionalErrorText i:nil=\"true\"/><b:ErrorCode>AtLeastOneItemNotFound</b:ErrorCode><b:ErrorNumber>105</b:ErrorNumber><b:ErrorText>At least one requested item was not found &amp; so on.</b:ErrorText><b:Type>Warning</b:Type></b:PwsMessage>".repeat(n / 10)
            ),
        ),
        // The worst that is still read: elements at the attribute limit, and lookups that scan
        // the most bindings in scope (2 levels of 32 declarations, the first one looked up).
        ("elements with 255 attributes each", {
            let attributes: String = (0..255).map(|i| format!(" a{i}=\"v\"")).collect();
            format!("<r>{}</r>", format!("<e{attributes}/>").repeat(n / 255 + 1))
        }),
        ("children resolved against 64 bindings in scope", {
            let level = |l: usize| -> String {
                let declarations: String = (0..32).map(|i| format!(" xmlns:p{l}x{i}=\"urn:{i}\"")).collect();
                format!("<p0x0:l{declarations}>")
            };
            let open: String = (0..2).map(level).collect();
            format!("{open}{}{}", "<p0x0:a/>".repeat(n), "</p0x0:l>".repeat(2))
        }),
        // Every child's prefix is the first of many declared, so each lookup scans them all.
        ("children resolved against n declarations", format!("<p0:r{declarations}>{}</p0:r>", "<p0:a/>".repeat(n))),
    ]
}

fn main() {
    // Numbers are sizes; any other argument keeps only the shapes whose name contains it.
    let (sizes, filters): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|arg| arg.parse::<usize>().is_ok());
    let mut sizes: Vec<usize> = sizes.iter().filter_map(|size| size.parse().ok()).collect();
    if sizes.is_empty() {
        sizes.push(100_000);
    }
    for n in sizes {
        let wanted = shapes(n).into_iter().filter(|(shape, _)| filters.iter().all(|f| shape.contains(f.as_str())));
        for (shape, document) in wanted {
            let started = Instant::now();
            let result = parse_document(document.as_bytes());
            let seconds = started.elapsed().as_secs_f64();
            let outcome = match result {
                Ok(_) => "parsed".to_owned(),
                Err(error) => format!("refused: {error}"),
            };
            let kib = document.len() / 1024;
            println!("{shape:<44} n={n:<8} {kib:>7} KiB {seconds:>9.3} s  {outcome}");
        }
    }
}
