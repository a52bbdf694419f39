//! The per-group check times of `cargo xtask bench`: each group feature (`<service>-<group>`) of
//! our generated crate checked alone, as a share of checking the whole service, to show what a
//! user of a few groups of a large API compiles.

use std::path::Path;
use std::time::Duration;

use crate::bench::{measure_check, seconds};

/// One feature's check.
pub struct GroupCheck {
    pub feature: String,
    /// Its operations (request builders), when its module file is found.
    pub operations: Option<usize>,
    pub cpu: Duration,
}

/// The group features of the crate at `dir` (its `Cargo.toml`'s `<service>-…` features), in
/// file order.
pub fn group_features(manifest: &str, service: &str) -> Vec<String> {
    let prefix = format!("{service}-");
    manifest
        .lines()
        .skip_while(|line| line.trim() != "[features]")
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.trim()))
        .filter(|name| name.starts_with(&prefix))
        .map(str::to_owned)
        .collect()
}

/// Checks the whole service, then each group feature alone, with `cargo check
/// --no-default-features --features <feature>` (not incremental, as the bench's own check:
/// once so what that feature set needs of the dependencies is built, since a group may turn a
/// runtime feature on or off, then the crate alone, which is the figure). Returns the whole service's check and the groups', or nothing for a crate with fewer
/// than two groups.
pub fn measure(dir: &Path, target: &Path, service: &str) -> Result<Option<(Duration, Vec<GroupCheck>)>, String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).map_err(|error| error.to_string())?;
    let features = group_features(&manifest, service);
    if features.len() < 2 {
        return Ok(None);
    }
    let whole = check_alone(dir, target, service)?;
    let mut groups = Vec::new();
    for feature in features {
        let cpu = check_alone(dir, target, &feature)?;
        let module = dir.join("src").join(service).join(format!("{}.rs", &feature[service.len() + 1..]));
        let operations =
            std::fs::read_to_string(module).ok().map(|text| text.matches("/// Request builder for").count());
        groups.push(GroupCheck { feature, operations, cpu });
    }
    Ok(Some((whole, groups)))
}

/// The CPU time (user + system) of checking the crate alone with only `features` on.
fn check_alone(dir: &Path, target: &Path, features: &str) -> Result<Duration, String> {
    let args = ["--no-default-features", "--features", features];
    let timing = measure_check(dir, target, &args, 1).map_err(|error| format!("`--features {features}`: {error}"))?;
    Ok(timing.cpu)
}

/// The table, the largest first, and how many groups stay under a tenth of the whole.
pub fn lines(stem: &str, whole: Duration, groups: &[GroupCheck]) -> Vec<String> {
    let share = |cpu: Duration| 100.0 * cpu.as_secs_f64() / whole.as_secs_f64().max(1e-9);
    let mut sorted: Vec<&GroupCheck> = groups.iter().collect();
    sorted.sort_by(|a, b| b.cpu.cmp(&a.cpu).then_with(|| a.feature.cmp(&b.feature)));
    let mut lines = vec![
        format!("{stem}: `cargo check` of each group feature alone (CPU, the crate only, not incremental)"),
        String::new(),
        "| feature | operations | check CPU | of the whole service |".to_owned(),
        "|---|---|---|---|".to_owned(),
        format!(
            "| whole service | {} | {} | 100% |",
            groups.iter().filter_map(|g| g.operations).sum::<usize>(),
            seconds(whole)
        ),
    ];
    for group in &sorted {
        let operations = group.operations.map_or("-".to_owned(), |count| count.to_string());
        lines.push(format!("| {} | {operations} | {} | {:.1}% |", group.feature, seconds(group.cpu), share(group.cpu)));
    }
    let mut shares: Vec<f64> = groups.iter().map(|group| share(group.cpu)).collect();
    shares.sort_by(f64::total_cmp);
    let under = shares.iter().filter(|share| **share < 10.0).count();
    lines.push(String::new());
    lines.push(format!(
        "{stem}: {under} of {} groups check in under 10% of the whole service; the median group takes {:.1}%",
        groups.len(),
        shares[shares.len() / 2]
    ));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_features_are_the_services_hyphenated_ones() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\ndefault = [\"gh\"]\ngh = [\"gh-a\", \"gh-b\"]\n\
                        gh-a = [\"paging-runtime\"]\ngh-b = []\npaging-runtime = []\n\n[dependencies]\ngh-c = \"1\"\n";
        assert_eq!(group_features(manifest, "gh"), ["gh-a", "gh-b"]);
        assert!(group_features("[package]\nname = \"x\"\n", "gh").is_empty());
    }

    #[test]
    fn the_table_lists_the_largest_group_first_with_its_share() {
        let group = |feature: &str, operations, millis| GroupCheck {
            feature: feature.to_owned(),
            operations: Some(operations),
            cpu: Duration::from_millis(millis),
        };
        let lines = lines("gh", Duration::from_secs(10), &[group("gh-a", 2, 500), group("gh-b", 8, 3_000)]);
        assert_eq!(lines[4], "| whole service | 10 | 10.00 s | 100% |");
        assert_eq!(lines[5], "| gh-b | 8 | 3.00 s | 30.0% |");
        assert_eq!(lines[6], "| gh-a | 2 | 0.50 s | 5.0% |");
        assert_eq!(lines[8], "gh: 1 of 2 groups check in under 10% of the whole service; the median group takes 30.0%");
    }
}
