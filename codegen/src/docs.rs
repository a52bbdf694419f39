//! Turns a description captured from documentation pages into safe rustdoc Markdown lines.
//!
//! Captured text carries HTML entities (sometimes encoded twice, `&amp;gt;`), `<br>` tags,
//! inline triple backticks, raw `<tags>`, bare URLs and brackets that are not links. Each
//! would render badly, trip a rustdoc lint, or (a code fence) become a doctest.

/// The description as rustdoc lines (without the leading `///`); empty for no text.
pub fn doc_lines(text: &str) -> Vec<String> {
    let text = normalize_whitespace(&decode_entities(text));
    let text = replace_breaks(&text);
    let text = text.replace("\\\"", "\"");
    let mut lines = Vec::new();
    let mut in_fence = false;
    for raw_line in split_soft_breaks(&text) {
        let line = raw_line.trim();
        if let Some(rest) = line.strip_prefix("```") {
            // A fenced block: always fence it as `text` so rustdoc never compiles it.
            if in_fence {
                lines.push("```".to_owned());
                in_fence = false;
            } else if rest.contains("```") {
                lines.push(escape_markdown(line));
            } else {
                lines.push("```text".to_owned());
                in_fence = true;
            }
            continue;
        }
        if in_fence {
            lines.push(raw_line.trim_end().to_owned());
        } else {
            lines.push(escape_markdown(line));
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    tidy_blank_lines(lines)
}

/// One line of prose for a doc comment (a title, say): line breaks and tabs become spaces,
/// and Markdown that would misfire (fences, brackets, HTML, a leading `#`) is escaped.
pub fn doc_inline(text: &str) -> String {
    let text = normalize_whitespace(&decode_entities(text));
    let words: Vec<&str> = text.split_whitespace().collect();
    escape_markdown(&words.join(" "))
}

/// Text for one cell of a Markdown table row: `|` escaped (also inside code spans, where
/// rustdoc's Markdown still splits cells at it).
pub fn table_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// A Markdown code span that shows `text` verbatim on one line: the delimiter is one
/// backtick longer than the longest run inside, line breaks show as `\n` and other control
/// characters as `\u{..}`. For wire names, paths and values quoted in docs.
pub fn code_span(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            c if c.is_control() => shown.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => shown.push(c),
        }
    }
    let mut longest_run = shown.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    if longest_run >= 2 {
        // A fence of three backticks at the start of a line would open a code block.
        shown = shown.replace('`', "'");
        longest_run = 0;
    }
    let fence = "`".repeat(longest_run + 1);
    // A span that starts or ends with a backtick (or is blank) needs padding, which
    // CommonMark strips again.
    if shown.starts_with('`') || shown.ends_with('`') || shown.trim().is_empty() {
        format!("{fence} {shown} {fence}")
    } else {
        format!("{fence}{shown}{fence}")
    }
}

/// Line breaks become `\n` (a bare CR is an error in a doc comment), tabs become spaces (clippy
/// warns on tabs in docs), and other control characters are dropped.
fn normalize_whitespace(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .filter_map(|ch| match ch {
            '\t' => Some(' '),
            '\n' => Some('\n'),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Decodes entities until the text stops changing: documents often encode them twice.
fn decode_entities(text: &str) -> String {
    let mut current = text.to_owned();
    for _ in 0..3 {
        let decoded = html_escape::decode_html_entities(&current).into_owned();
        if decoded == current {
            break;
        }
        current = decoded;
    }
    current
}

/// `<br>`, `<br/>`, `<br />`, `<br></br>` and a lone `</br>` become line breaks.
fn replace_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let lower: String = tail.chars().take(12).collect::<String>().to_ascii_lowercase();
        let tag_len = ["<br></br>", "<br />", "<br/>", "<br>", "</br>"]
            .iter()
            .find(|tag| lower.starts_with(*tag))
            .map(|tag| tag.len());
        match tag_len {
            Some(len) => {
                out.push('\n');
                rest = &tail[len..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Real newlines split lines; in these documents runs of two spaces stand for lost line
/// breaks and runs of four for lost paragraph breaks.
fn split_soft_breaks(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") || line.trim().is_empty() {
            lines.push(line.to_owned());
            continue;
        }
        let mut current = String::new();
        let mut spaces = 0;
        for ch in line.trim().chars() {
            if ch == ' ' {
                spaces += 1;
                continue;
            }
            if spaces >= 4 {
                lines.push(std::mem::take(&mut current));
                lines.push(String::new());
            } else if spaces >= 2 {
                lines.push(std::mem::take(&mut current));
            } else if spaces == 1 {
                current.push(' ');
            }
            spaces = 0;
            current.push(ch);
        }
        lines.push(current);
    }
    lines
}

/// Escapes what Markdown or rustdoc would misread, outside inline code spans.
fn escape_markdown(line: &str) -> String {
    let line = line.replace("```", "`");
    let mut out = String::with_capacity(line.len() + 8);
    for (index, segment) in line.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        if index % 2 == 1 && line.matches('`').count() > index {
            // Inside a code span: rustdoc shows it verbatim.
            out.push_str(segment);
        } else {
            out.push_str(&escape_prose(segment));
        }
    }
    out
}

fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if (ch == 'h') && starts_url(&chars[i..]) {
            let end = (i..chars.len())
                .find(|&j| chars[j].is_whitespace() || matches!(chars[j], '<' | '>' | '"' | '`'))
                .unwrap_or(chars.len());
            let mut url: String = chars[i..end].iter().collect();
            let mut trailing = String::new();
            // Punctuation after a URL ends the sentence, except a `)` closing a `(` of the URL.
            while let Some(last) = url.chars().last() {
                let unbalanced = last == ')' && url.matches(')').count() > url.matches('(').count();
                if !(unbalanced || matches!(last, '.' | ',' | ';' | ':' | '\'' | ']')) {
                    break;
                }
                url.pop();
                trailing.insert(0, last);
            }
            out.push('<');
            out.push_str(&url);
            out.push('>');
            out.push_str(&escape_prose(&trailing));
            i = end;
            continue;
        }
        if ch == '[' {
            if let Some((label, url, len)) = markdown_link(&chars[i..]) {
                // A real link to a web page stays a link; any other brackets are escaped.
                out.push('[');
                out.push_str(&escape_prose(&label));
                out.push_str("](");
                out.push_str(&url);
                out.push(')');
                i += len;
                continue;
            }
        }
        match ch {
            '[' | ']' | '<' | '>' | '\\' | '|' => {
                out.push('\\');
                out.push(ch);
            }
            '#' if out.trim().is_empty() => out.push_str("\\#"),
            _ => out.push(ch),
        }
        i += 1;
    }
    out
}

/// `[label](https://…)` at the start of `chars`: the label, the URL and the length in chars.
fn markdown_link(chars: &[char]) -> Option<(String, String, usize)> {
    let close = chars.iter().position(|&c| c == ']')?;
    let label: String = chars[1..close].iter().collect();
    if label.contains('[') || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let start = close + 2;
    if !starts_url(chars.get(start..)?) {
        return None;
    }
    let mut depth = 0usize;
    for (offset, &c) in chars[start..].iter().enumerate() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                let url: String = chars[start..start + offset].iter().collect();
                return Some((label, url, start + offset + 1));
            }
            ')' => depth -= 1,
            c if c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`') => return None,
            _ => {}
        }
    }
    None
}

fn starts_url(chars: &[char]) -> bool {
    let head: String = chars.iter().take(8).collect();
    head.starts_with("http://") || head.starts_with("https://")
}

fn tidy_blank_lines(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        if line.is_empty() && out.last().is_none_or(|last| last.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|last| last.is_empty()) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{code_span, doc_inline, doc_lines};

    #[test]
    fn decodes_entities_breaks_and_backticks() {
        let lines = doc_lines(
            "Accepted:  * &#x60;&#x60;&#x60;yyyy-MM-dd&#x60;&#x60;&#x60;  * &#39;&amp;gt;&#x3D;&#39; ok <br></br>next",
        );
        assert_eq!(lines, vec!["Accepted:", "* `yyyy-MM-dd`", "* '\\>=' ok", "next"]);
    }

    #[test]
    fn control_characters_never_reach_a_doc_comment() {
        let lines = doc_lines("a\tb\r\nc\rd\u{7}e\u{0}");
        assert_eq!(lines, vec!["a b", "c", "de"]);
    }

    #[test]
    fn code_spans_hold_any_text_on_one_line() {
        assert_eq!(code_span("pageSize"), "`pageSize`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a"), "`` `a ``");
        assert_eq!(code_span("a``b```c"), "`a''b'''c`");
        assert_eq!(code_span("x\ny\r\u{7}"), r"`x\ny\r\u{7}`");
        assert_eq!(code_span(""), "`  `");
        assert_eq!(code_span("*/ [x] <b>"), "`*/ [x] <b>`");
    }

    #[test]
    fn inline_text_is_one_escaped_line() {
        assert_eq!(doc_inline("Title [v2]\n```rust\nx"), r"Title \[v2\] `rust x");
        assert_eq!(doc_inline("# Heading <b>"), r"\# Heading \<b\>");
        assert_eq!(doc_inline("  a\tb  "), "a b");
    }

    #[test]
    fn hostile_descriptions_never_open_a_doctest_nor_break_a_line() {
        let text =
            "```rust\nlet x: u32 = \"no\";\n```\n*/ /* #[derive(X)] #![no_std]\n<script>alert(1)</script> <b>bold\n\
                    [link](https://example.com) [ref][r] [x] https://example.com/a_(b) \\ Grüße 名前\n```\nunclosed";
        let lines = doc_lines(text);
        let mut open = false;
        for line in &lines {
            assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
            if line.starts_with("```") {
                assert!(open || line == "```text", "{line:?}");
                open = !open;
            }
        }
        assert!(!open, "{lines:?}");
        assert!(lines.contains(&r"\<script\>alert(1)\</script\> \<b\>bold".to_owned()), "{lines:?}");
        let links = r"[link](https://example.com) \[ref\]\[r\] \[x\] <https://example.com/a_(b)>";
        assert!(lines.iter().any(|line| line.starts_with(links)), "{lines:?}");
        assert!(lines.iter().any(|line| line.contains(r"\\ Grüße 名前")), "{lines:?}");
    }

    #[test]
    fn fences_become_text_and_urls_are_wrapped() {
        let lines = doc_lines("See https://example.com/x.\n```\nfn main() {}\n```\n[not a link]");
        assert_eq!(lines, vec!["See <https://example.com/x>.", "```text", "fn main() {}", "```", "\\[not a link\\]"]);
    }
}
