//! Renders an imported spec as YAML laid out like the hand-written files: keys in the spec's
//! field order, lists of items flush with their key, plain scalars where YAML reads them back
//! as the same string, single quotes otherwise, `|-` blocks for multi-line text. Output is a
//! pure function of the spec, so the same import is byte-identical on every run.

use serde_yaml::{Mapping, Value};

use crate::spec::ServiceSpec;

/// The comment the rendered file starts with: where it came from and where corrections go.
pub fn header(command: &str, overlay: Option<&str>) -> String {
    let corrections = match overlay {
        Some(file) => format!("# Corrections go in {file}, not here: a re-import replaces this file."),
        None => "# Corrections go in the service's overlay (spec/overlays/), not here: a re-import replaces this file."
            .to_owned(),
    };
    format!("# Imported by `{command}`. Format: spec/README.md.\n{corrections}\n")
}

/// The service file: `header` (comment lines), then the spec.
pub fn render(spec: &ServiceSpec, header: &str) -> String {
    let value = serde_yaml::to_value(spec).expect("a spec always serializes");
    let mut out = String::from(header);
    render_value(&value, &mut out);
    out
}

/// Any YAML value as a document (used for the spec and, in tests, for overlays).
pub fn render_value(value: &Value, out: &mut String) {
    match value {
        Value::Mapping(map) if !map.is_empty() => mapping(map, 0, out),
        Value::Sequence(items) if !items.is_empty() => sequence(items, 0, out),
        scalar => {
            inline(scalar, 0, out);
            out.push('\n');
        }
    }
}

fn mapping(map: &Mapping, indent: usize, out: &mut String) {
    let mut first = true;
    for (key, value) in map {
        if !first {
            push_indent(indent, out);
        }
        first = false;
        scalar(key, indent, out);
        out.push(':');
        match value {
            Value::Mapping(inner) if !inner.is_empty() => {
                out.push('\n');
                push_indent(indent + 2, out);
                mapping(inner, indent + 2, out);
            }
            // `inferred: [name, in]`: a short list of words reads best on one line.
            Value::Sequence(items) if key.as_str() == Some("inferred") && items.iter().all(is_word) => {
                let words: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                out.push_str(&format!(" [{}]\n", words.join(", ")));
            }
            // A list of items sits flush with its key, as serde_yaml and the hand-written files have it.
            Value::Sequence(items) if !items.is_empty() => {
                out.push('\n');
                push_indent(indent, out);
                sequence(items, indent, out);
            }
            other => {
                out.push(' ');
                inline(other, indent + 2, out);
                out.push('\n');
            }
        }
    }
}

fn sequence(items: &[Value], indent: usize, out: &mut String) {
    let mut first = true;
    for item in items {
        if !first {
            push_indent(indent, out);
        }
        first = false;
        out.push_str("- ");
        match item {
            Value::Mapping(inner) if !inner.is_empty() => mapping(inner, indent + 2, out),
            Value::Sequence(inner) if !inner.is_empty() => {
                sequence(inner, indent + 2, out);
            }
            other => {
                inline(other, indent + 2, out);
                out.push('\n');
            }
        }
    }
}

/// A value on the rest of the current line: a scalar, `[]`, `{}`, or a block scalar whose
/// lines are indented by `indent`.
fn inline(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Mapping(_) => out.push_str("{}"),
        Value::Sequence(_) => out.push_str("[]"),
        other => scalar(other, indent, out),
    }
}

fn scalar(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Null => out.push('~'),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&number.to_string()),
        Value::String(text) => string(text, indent, out),
        Value::Tagged(tagged) => {
            out.push_str(&tagged.tag.to_string());
            out.push(' ');
            scalar(&tagged.value, indent, out);
        }
        // Collections never reach here as keys in a spec; render them inline to stay total.
        Value::Mapping(_) => out.push_str("{}"),
        Value::Sequence(_) => out.push_str("[]"),
    }
}

fn string(text: &str, indent: usize, out: &mut String) {
    if is_plain(text) {
        out.push_str(text);
    } else if is_block(text) {
        out.push_str("|-");
        for line in text.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                push_indent(indent, out);
                out.push_str(line);
            }
        }
    } else if text.chars().all(|c| !c.is_control()) {
        out.push('\'');
        out.push_str(&text.replace('\'', "''"));
        out.push('\'');
    } else {
        double_quoted(text, out);
    }
}

/// Text YAML reads back as this same string without quotes.
fn is_plain(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    if text.starts_with(' ') || text.ends_with(' ') || text.ends_with(':') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-x` and `?x` and `:x` are plain in YAML, but quoting them costs nothing and avoids
        // readers that disagree.
        return false;
    }
    if text.contains(": ") || text.contains(" #") || text.chars().any(|c| c.is_control()) {
        return false;
    }
    !looks_typed(text)
}

/// Words and numbers a YAML 1.1 or 1.2 reader would take for a boolean, null or number.
fn looks_typed(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if ["true", "false", "null", "~", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf", ".nan"]
        .contains(&lower.as_str())
    {
        return true;
    }
    let digits = lower.trim_start_matches(['+', '-']);
    digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && (digits.parse::<f64>().is_ok()
            || digits.starts_with("0x")
            || digits.starts_with("0o")
            || digits.chars().all(|c| c.is_ascii_digit() || c == '_' || c == ':' || c == '.'))
}

/// Multi-line text a `|-` block keeps exactly: no trailing line break, nothing a block
/// cannot hold (carriage returns, other control characters), a first line that does not start
/// with a space (that would need an indentation indicator), and no trailing blank lines.
fn is_block(text: &str) -> bool {
    text.contains('\n')
        && !text.ends_with('\n')
        && !text.starts_with(' ')
        && !text.starts_with('\n')
        && text.chars().all(|c| c == '\n' || c == '\t' || !c.is_control())
        && !text.split('\n').any(|line| line.starts_with('\t'))
}

fn double_quoted(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn is_word(value: &Value) -> bool {
    value.as_str().is_some_and(|text| is_plain(text) && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

fn push_indent(indent: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', indent));
}
