//! Renders a diff report as Markdown (for a pull-request comment), JSON (for bots; schema in
//! `docs/diff-rules.md`) or plain text.

use std::collections::BTreeMap;

use super::rules::{Bump, Wire};
use super::{Category, Change, Report};

/// The JSON schema version; bump it when a field changes meaning or goes away.
pub const JSON_SCHEMA_VERSION: u32 = 1;

fn bump_word(bump: Bump) -> &'static str {
    match bump {
        Bump::Major => "major",
        Bump::Minor => "minor",
        Bump::Patch => "patch",
    }
}

fn wire_word(wire: Wire) -> &'static str {
    match wire {
        Wire::Breaking => "breaking",
        Wire::PotentiallyBreaking => "potentially breaking",
        Wire::None => "none",
    }
}

/// The one-line verdict with counts, and the semver line.
fn summary(report: &Report) -> (String, Option<String>) {
    if report.changes.is_empty() {
        return ("no API changes".to_owned(), None);
    }
    let (breaking, non_breaking, info) =
        (report.count(Category::Breaking), report.count(Category::NonBreaking), report.count(Category::Informational));
    let verdict = if breaking > 0 { "breaking changes" } else { "no breaking changes" };
    let line = format!("{verdict}: {breaking} breaking, {non_breaking} non-breaking, {info} informational");
    let semver = report.bump().map(|bump| {
        let required = report.required_version().unwrap_or_else(|| "?".to_owned());
        let mut text = format!(
            "generated crate: {} bump needed ({} -> at least {required}); spec version {}",
            bump_word(bump),
            report.old_version,
            report.new_version
        );
        if !report.version_sufficient() {
            text.push_str(" is not bumped enough (crate-version-not-bumped)");
        }
        text
    });
    (line, semver)
}

/// Changes grouped by (service, group or "types"), breaking first inside each section.
fn sections(report: &Report) -> BTreeMap<(String, String), Vec<&Change>> {
    let mut sections: BTreeMap<(String, String), Vec<&Change>> = BTreeMap::new();
    for change in &report.changes {
        let section = change.group.clone().unwrap_or_else(|| "types and service".to_owned());
        sections.entry((change.service.clone(), section)).or_default().push(change);
    }
    for changes in sections.values_mut() {
        changes.sort_by(|a, b| (a.category(), &a.subject, a.rule.id).cmp(&(b.category(), &b.subject, b.rule.id)));
    }
    sections
}

fn values(change: &Change) -> String {
    let show = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".to_owned());
    format!("{} → {}", show(&change.old), show(&change.new))
}

pub fn markdown(report: &Report) -> String {
    let (line, semver) = summary(report);
    let icon = match report.count(Category::Breaking) {
        _ if report.changes.is_empty() => "✅",
        0 => "🟢",
        _ => "❌",
    };
    let mut out = format!("{icon} **{line}**\n");
    if let Some(semver) = semver {
        let warn = if report.version_sufficient() { "" } else { " ⚠️" };
        out.push_str(&format!("\n{semver}{warn}\n"));
    }
    for ((service, section), changes) in sections(report) {
        out.push_str(&format!("\n### `{service}` · {section}\n\n"));
        for change in changes {
            let mark = match change.category() {
                Category::Breaking => "❌",
                Category::NonBreaking if change.wire == Wire::PotentiallyBreaking => "⚠️",
                Category::NonBreaking => "🟢",
                Category::Informational => "ℹ️",
            };
            out.push_str(&format!(
                "- {mark} `{}` `{}`: {} (wire: {}, rust: {})\n",
                change.subject,
                change.rule.id,
                values(change).replace('|', "\\|"),
                wire_word(change.wire),
                bump_word(change.rust)
            ));
        }
    }
    out
}

pub fn text(report: &Report) -> String {
    let (line, semver) = summary(report);
    let mut out = format!("{line}\n");
    if let Some(semver) = semver {
        out.push_str(&format!("{semver}\n"));
    }
    for ((service, section), changes) in sections(report) {
        out.push_str(&format!("\n{service} / {section}\n"));
        for change in changes {
            let category = match change.category() {
                Category::Breaking => "BREAKING",
                Category::NonBreaking => "ok",
                Category::Informational => "info",
            };
            out.push_str(&format!(
                "  [{category}] {} {}: {} (wire: {}, rust: {})\n",
                change.rule.id,
                change.subject,
                values(change),
                wire_word(change.wire),
                bump_word(change.rust)
            ));
        }
    }
    out
}

#[derive(serde::Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    verdict: &'static str,
    counts: JsonCounts,
    semver: JsonSemver,
    changes: Vec<JsonChange<'a>>,
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
    old_version: String,
    new_version: String,
    required_version: Option<String>,
    sufficient: bool,
}

#[derive(serde::Serialize)]
struct JsonChange<'a> {
    rule: &'static str,
    category: Category,
    service: &'a str,
    group: Option<&'a str>,
    subject: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
    wire: Wire,
    rust: Bump,
}

pub fn json(report: &Report) -> String {
    let verdict = if report.changes.is_empty() {
        "no-changes"
    } else if report.count(Category::Breaking) > 0 {
        "breaking"
    } else {
        "non-breaking"
    };
    let mut changes: Vec<&Change> = report.changes.iter().collect();
    changes.sort_by(|a, b| {
        (&a.service, &a.group, a.category(), &a.subject, a.rule.id).cmp(&(
            &b.service,
            &b.group,
            b.category(),
            &b.subject,
            b.rule.id,
        ))
    });
    let json = JsonReport {
        schema_version: JSON_SCHEMA_VERSION,
        verdict,
        counts: JsonCounts {
            breaking: report.count(Category::Breaking),
            non_breaking: report.count(Category::NonBreaking),
            informational: report.count(Category::Informational),
        },
        semver: JsonSemver {
            bump: report.bump(),
            old_version: report.old_version.clone(),
            new_version: report.new_version.clone(),
            required_version: report.required_version(),
            sufficient: report.version_sufficient(),
        },
        changes: changes
            .into_iter()
            .map(|change| JsonChange {
                rule: change.rule.id,
                category: change.category(),
                service: &change.service,
                group: change.group.as_deref(),
                subject: &change.subject,
                old: change.old.as_deref(),
                new: change.new.as_deref(),
                wire: change.wire,
                rust: change.rust,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
}

/// The rule table as Markdown (the body of `docs/diff-rules.md`).
pub fn rules_table() -> String {
    let mut out = String::from(
        "| rule id | what changed | wire | rust (semver of the generated crate) | why |\n|---|---|---|---|---|\n",
    );
    for rule in super::rules::ALL {
        out.push_str(&format!("| `{}` | {} | {} | {} | {} |\n", rule.id, rule.what, rule.wire, rule.rust, rule.why));
    }
    out
}
