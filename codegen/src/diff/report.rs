//! Renders a diff report as Markdown (a pull-request comment), JSON (for bots; the schema is
//! documented in `docs/diff-rules.md`) or plain text, and the rule table of the docs.

use std::collections::BTreeMap;

use super::rules::{Bump, Wire};
use super::{Area, Category, Change, Report, Side};

/// The JSON schema version; bump it when a field changes meaning or goes away (adding a field
/// keeps it).
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// The hidden marker ending every Markdown report, so a CI job can find and update its comment.
pub const MARKDOWN_MARKER: &str = "<!-- cargo-xtask-diff -->";

/// GitHub refuses comments over 65,536 characters; the Markdown report stops listing changes
/// before that.
const MARKDOWN_LIMIT: usize = 60_000;

/// The one-line verdict with the counts.
fn verdict(report: &Report) -> String {
    if report.changes.is_empty() {
        return "no API changes".to_owned();
    }
    let (breaking, non_breaking, info) =
        (report.count(Category::Breaking), report.count(Category::NonBreaking), report.count(Category::Informational));
    let head = if breaking > 0 { "breaking API changes" } else { "no breaking API changes" };
    format!("{head}: {breaking} breaking, {non_breaking} non-breaking, {info} informational")
}

/// The semver line: the bump the generated crate needs, and whether the spec's version has it.
/// `code` formats a version or id, `strong` the bump.
fn semver(report: &Report, code: &dyn Fn(&str) -> String, strong: &dyn Fn(&str) -> String) -> Option<String> {
    let bump = strong(&report.bump()?.to_string());
    let required = report.required_version().unwrap_or_else(|| "?".to_owned());
    let mut line = format!(
        "The generated crate needs a {bump} bump: {} → at least {}; the new spec says {}",
        code(&report.old_version),
        code(&required),
        code(&report.new_version)
    );
    if report.version_sufficient() {
        line.push('.');
    } else {
        line.push_str(&format!(", which is not enough ({}).", code("crate-version-not-bumped")));
    }
    Some(line)
}

/// Section of a change: (service, area, group); the title says what it holds.
type Section = (String, Area, Option<String>);

fn section_title(section: &Section) -> String {
    let (service, area, group) = section;
    match (area, group) {
        (Area::Service, _) => format!("`{service}`"),
        (Area::Operation, Some(group)) => format!("`{service}` · `{group}`"),
        (Area::Operation, None) => format!("`{service}` · operations"),
        (Area::Type, _) => format!("`{service}` · types"),
    }
}

/// Changes by section; inside a section breaking changes first (the report's order).
fn sections(report: &Report) -> BTreeMap<Section, Vec<&Change>> {
    let mut sections: BTreeMap<Section, Vec<&Change>> = BTreeMap::new();
    for change in &report.changes {
        sections.entry((change.service.clone(), change.area, change.group.clone())).or_default().push(change);
    }
    for changes in sections.values_mut() {
        changes.sort_by_key(|change| change.category());
    }
    sections
}

fn side_note(change: &Change) -> String {
    match change.side {
        Some(side @ (Side::Request | Side::Response | Side::Both)) => format!(" ({side})"),
        _ => String::new(),
    }
}

/// Inline code that survives backticks and line breaks in the text.
fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

pub fn markdown(report: &Report) -> String {
    let mark = if report.changes.is_empty() {
        "✅"
    } else if report.has_breaking() {
        "❌"
    } else {
        "🟢"
    };
    let mut out = format!("{mark} **{}**\n\n", verdict(report));
    out.push_str(&format!("Compared {} with {}.\n", code(&report.old_label), code(&report.new_label)));
    if let Some(line) = semver(report, &code, &|text| format!("**{text}**")) {
        let warn = if report.version_sufficient() { "" } else { "⚠️ " };
        out.push_str(&format!("\n{warn}{line}\n"));
    }
    let mut left = report.changes.len();
    'sections: for (section, changes) in sections(report) {
        out.push_str(&format!("\n### {}\n\n", section_title(&section)));
        for change in changes {
            let mark = match change.category() {
                Category::Breaking => "❌",
                Category::NonBreaking if change.wire == Wire::PotentiallyBreaking => "⚠️",
                Category::NonBreaking => "🟢",
                Category::Informational => "ℹ️",
            };
            let show = |value: &Option<String>| value.as_deref().map_or("—".to_owned(), code);
            let line = format!(
                "- {mark} {}{} `{}`: {} → {} (wire: {}, rust: {})\n",
                code(&change.subject),
                side_note(change),
                change.rule.id,
                show(&change.old),
                show(&change.new),
                change.wire,
                change.rust,
            );
            if out.len() + line.len() > MARKDOWN_LIMIT {
                out.push_str(&format!(
                    "\n… and {left} more changes, cut to fit a comment: run `cargo xtask diff --format text` for all of them.\n"
                ));
                break 'sections;
            }
            out.push_str(&line);
            left -= 1;
        }
    }
    out.push_str(&format!(
        "\n<sub>wire: does an existing HTTP client break? rust: the semver bump of the generated crate. Rules: `docs/diff-rules.md`.</sub>\n{MARKDOWN_MARKER}\n"
    ));
    out
}

pub fn text(report: &Report) -> String {
    let mut out = format!("{}\n", verdict(report));
    out.push_str(&format!("compared {} with {}\n", report.old_label, report.new_label));
    if let Some(line) = semver(report, &str::to_owned, &str::to_owned) {
        out.push_str(&format!("{}\n", line.replace('→', "->")));
    }
    for (section, changes) in sections(report) {
        out.push_str(&format!("\n{}\n", section_title(&section).replace('`', "")));
        for change in changes {
            let category = match change.category() {
                Category::Breaking => "BREAKING",
                Category::NonBreaking if change.wire == Wire::PotentiallyBreaking => "check",
                Category::NonBreaking => "ok",
                Category::Informational => "info",
            };
            let show = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".to_owned());
            out.push_str(&format!(
                "  [{category}] {} {}{}: {} -> {} (wire: {}, rust: {})\n",
                change.rule.id,
                change.subject,
                side_note(change),
                show(&change.old),
                show(&change.new),
                change.wire,
                change.rust
            ));
        }
    }
    out
}

/// The JSON report; every field is documented in `docs/diff-rules.md` (a test checks the list).
#[derive(serde::Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    verdict: &'static str,
    old: JsonSide<'a>,
    new: JsonSide<'a>,
    counts: JsonCounts,
    semver: JsonSemver,
    changes: Vec<JsonChange<'a>>,
}

#[derive(serde::Serialize)]
struct JsonSide<'a> {
    label: &'a str,
    version: &'a str,
}

#[derive(serde::Serialize)]
struct JsonCounts {
    breaking: usize,
    non_breaking: usize,
    informational: usize,
}

#[derive(serde::Serialize)]
struct JsonSemver {
    bump: Option<Bump>,
    required_version: Option<String>,
    sufficient: bool,
}

#[derive(serde::Serialize)]
struct JsonChange<'a> {
    rule: &'static str,
    fingerprint: String,
    category: Category,
    service: &'a str,
    area: Area,
    group: Option<&'a str>,
    subject: &'a str,
    side: Option<Side>,
    old: Option<&'a str>,
    new: Option<&'a str>,
    wire: Wire,
    rust: Bump,
}

pub fn json(report: &Report) -> String {
    let verdict = if report.changes.is_empty() {
        "no-changes"
    } else if report.has_breaking() {
        "breaking"
    } else {
        "non-breaking"
    };
    let json = JsonReport {
        schema_version: JSON_SCHEMA_VERSION,
        verdict,
        old: JsonSide { label: &report.old_label, version: &report.old_version },
        new: JsonSide { label: &report.new_label, version: &report.new_version },
        counts: JsonCounts {
            breaking: report.count(Category::Breaking),
            non_breaking: report.count(Category::NonBreaking),
            informational: report.count(Category::Informational),
        },
        semver: JsonSemver {
            bump: report.bump(),
            required_version: report.required_version(),
            sufficient: report.version_sufficient(),
        },
        changes: report
            .changes
            .iter()
            .map(|change| JsonChange {
                rule: change.rule.id,
                fingerprint: change.fingerprint(),
                category: change.category(),
                service: &change.service,
                area: change.area,
                group: change.group.as_deref(),
                subject: &change.subject,
                side: change.side,
                old: change.old.as_deref(),
                new: change.new.as_deref(),
                wire: change.wire,
                rust: change.rust,
            })
            .collect(),
    };
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
}

/// The rule table as Markdown (the copy in `docs/diff-rules.md`, printed by
/// `cargo xtask diff-rules`).
pub fn rules_table() -> String {
    let mut out = String::from("| # | rule id | what changed | wire | rust | why |\n|---|---|---|---|---|---|\n");
    for (number, rule) in super::rules::ALL.iter().enumerate() {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} |\n",
            number + 1,
            rule.id,
            rule.what,
            rule.wire,
            rule.rust,
            rule.why
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::rules;

    fn change(subject: String) -> Change {
        Change {
            rule: rules::FIELD_ADDED_OPTIONAL,
            service: "shop".to_owned(),
            area: Area::Type,
            group: None,
            subject,
            side: Some(Side::Request),
            old: None,
            new: Some("a `string`\nwith a line break".to_owned()),
            wire: Wire::None,
            rust: Bump::Major,
        }
    }

    #[test]
    fn markdown_fits_a_comment_and_survives_backticks() {
        let changes = (0..5000).map(|index| change(format!("Type{index:04}.field"))).collect();
        let report = Report {
            changes,
            old_version: "0.1.0".to_owned(),
            new_version: "0.2.0".to_owned(),
            old_label: "main:spec".to_owned(),
            new_label: "spec".to_owned(),
        };
        let markdown = markdown(&report);
        assert!(markdown.len() < 65_536, "{}", markdown.len());
        assert!(markdown.contains(" more changes, cut to fit a comment"));
        assert!(markdown.contains("→ `` a `string` with a line break `` (wire"));
        assert!(markdown.trim_end().ends_with(MARKDOWN_MARKER));
        assert_eq!(text(&report).lines().filter(|line| line.starts_with("  [")).count(), 5000);
    }
}
