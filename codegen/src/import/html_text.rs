//! Turns a served help or Confluence page (HTML) into the text form the format modules read:
//! one line per block, table cells as `cell |`, header rows on one line, `<pre>` kept line by line.
//!
//! A tolerant tag scanner rather than an HTML parser: one linear pass, no entity expansion beyond
//! the standard character references, and whatever it does not know is treated as inline text.

/// The page's text lines, each with the 1-based line of the HTML source it starts on; body
/// cells one per line (the help page text form).
pub fn to_lines(html: &str) -> Vec<(usize, String)> {
    scan(html, false)
}

/// Like [`to_lines`], but every table row on one line (the Confluence text form).
pub fn to_rows(html: &str) -> Vec<(usize, String)> {
    scan(html, true)
}

fn scan(html: &str, rows_inline: bool) -> Vec<(usize, String)> {
    let mut out = Lines::default();
    let bytes = html.as_bytes();
    let mut index = 0;
    let mut line = 1;
    let mut in_head = false;
    let mut in_pre = false;
    // Inside a cell of a row kept on one line, block tags (`<p>`) must not break the line.
    let mut in_cell = false;
    let mut skip_until: Option<&'static str> = None;
    while index < bytes.len() {
        if bytes[index] == b'<' {
            let end = match html[index..].find('>') {
                Some(end) => index + end,
                None => bytes.len() - 1,
            };
            let tag = &html[index + 1..end];
            let tag_line = line;
            line += tag.matches('\n').count();
            if tag.starts_with("!--") {
                // A comment: skip to its end.
                let close = html[index..].find("-->").map_or(bytes.len(), |c| index + c + 3);
                line += html[end.min(close)..close].matches('\n').count();
                index = close;
                continue;
            }
            index = end + 1;
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if let Some(until) = skip_until {
                if closing && name == until {
                    skip_until = None;
                }
                continue;
            }
            match name.as_str() {
                "script" | "style" | "title" if !closing => skip_until = Some(static_name(&name)),
                "thead" => {
                    in_head = !closing;
                    if closing {
                        out.flush();
                    }
                }
                "td" | "th" => {
                    let inline = in_head || rows_inline;
                    in_cell = !closing && inline;
                    if closing {
                        out.push_text(" |", tag_line);
                        if !inline {
                            out.flush();
                        }
                    } else if inline {
                        out.push_text(" ", tag_line);
                    } else {
                        out.flush();
                    }
                }
                "pre" => {
                    out.flush();
                    in_pre = !closing;
                }
                "table" | "tbody" | "a" | "span" | "b" | "strong" | "em" | "i" | "code" | "img" => {}
                "tr" if in_head => {}
                "tr" if rows_inline && !closing => out.flush(),
                _ if in_cell => out.push_text(" ", tag_line),
                _ => out.flush(),
            }
            continue;
        }
        let next = html[index..].find('<').map_or(bytes.len(), |n| index + n);
        let text = &html[index..next];
        if skip_until.is_none() {
            let decoded = html_escape::decode_html_entities(text);
            if in_pre {
                for (offset, piece) in decoded.split('\n').enumerate() {
                    if offset > 0 {
                        out.flush();
                    }
                    out.push_text(piece, line + offset);
                }
            } else {
                for (offset, piece) in decoded.split('\n').enumerate() {
                    out.push_text(&format!(" {piece} "), line + offset);
                }
            }
        }
        line += text.matches('\n').count();
        index = next;
    }
    out.flush();
    out.lines
}

fn static_name(name: &str) -> &'static str {
    match name {
        "script" => "script",
        "style" => "style",
        _ => "title",
    }
}

#[derive(Default)]
struct Lines {
    lines: Vec<(usize, String)>,
    current: String,
    line: usize,
}

impl Lines {
    fn push_text(&mut self, text: &str, line: usize) {
        if self.current.trim().is_empty() {
            self.current.clear();
            self.line = line;
            if text.trim().is_empty() {
                return;
            }
        }
        self.current.push_str(text);
    }

    fn flush(&mut self) {
        let collapsed = self.current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !collapsed.is_empty() {
            self.lines.push((self.line, collapsed));
        }
        self.current.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_become_cells_and_header_rows_one_line() {
        let html = "<h2>Body Parameters</h2>\n<p>The body.</p>\n<a href='x'>Req</a>\n<table><thead><tr><td>Name</td><td>Description</td></tr></thead>\n<tbody><tr><td>A</td><td>x &amp; y</td></tr></tbody></table>";
        let lines = to_lines(html);
        let texts: Vec<&str> = lines.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["Body Parameters", "The body.", "Req Name | Description |", "A |", "x & y |"]);
        assert_eq!(lines[3].0, 5);
    }

    #[test]
    fn confluence_rows_stay_on_one_line() {
        let html = "<h2>Request Elements</h2><table><tbody><tr><th>Element</th><th>Data Type</th></tr>\n<tr><td>RequestId</td><td><p>Int32</p></td></tr></tbody></table>";
        let texts: Vec<String> = to_rows(html).into_iter().map(|(_, t)| t).collect();
        assert_eq!(texts, ["Request Elements", "Element | Data Type |", "RequestId | Int32 |"]);
    }

    #[test]
    fn pre_keeps_its_lines_and_scripts_are_dropped() {
        let lines = to_lines("<script>var a = '<p>';</script><pre>{\n \"a\": 1\n}</pre><!-- <p>no</p> -->");
        let texts: Vec<&str> = lines.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["{", "\"a\": 1", "}"]);
    }
}
