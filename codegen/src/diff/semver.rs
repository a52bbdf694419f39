//! The version the generated crate needs after a change, by Cargo's semver rules: below 1.0 the
//! `y` of `0.y.z` plays the role of the major number, and every `0.0.z` release is major.

use super::rules::Bump;

/// A `major.minor.patch` version (pre-release and build suffixes are ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let core = text.trim().split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|part| part.parse::<u64>().ok());
        let version = Version { major: parts.next()??, minor: parts.next()??, patch: parts.next()?? };
        parts.next().is_none().then_some(version)
    }

    /// The smallest version after `self` that a change of this size allows.
    pub fn bumped(self, bump: Bump) -> Version {
        let Version { major, minor, patch } = self;
        match (bump, major, minor) {
            (_, 0, 0) => Version { major, minor, patch: patch + 1 },
            (Bump::Major, 0, _) => Version { major, minor: minor + 1, patch: 0 },
            (Bump::Major, _, _) => Version { major: major + 1, minor: 0, patch: 0 },
            (Bump::Minor, 0, _) | (Bump::Patch, _, _) => Version { major, minor, patch: patch + 1 },
            (Bump::Minor, _, _) => Version { major, minor: minor + 1, patch: 0 },
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Is `new` at least the version `old` needs after a change of this size? Unparsable versions
/// never are; without a change any version is.
pub fn sufficient(old: &str, new: &str, bump: Option<Bump>) -> bool {
    let Some(bump) = bump else { return true };
    match (Version::parse(old), Version::parse(new)) {
        (Some(old), Some(new)) => new >= old.bumped(bump),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bumped(old: &str, bump: Bump) -> String {
        Version::parse(old).unwrap().bumped(bump).to_string()
    }

    #[test]
    fn follows_cargo_semver_below_and_above_one() {
        assert_eq!(bumped("0.4.2", Bump::Major), "0.5.0");
        assert_eq!(bumped("0.4.2", Bump::Minor), "0.4.3");
        assert_eq!(bumped("0.4.2", Bump::Patch), "0.4.3");
        assert_eq!(bumped("0.0.7", Bump::Major), "0.0.8");
        assert_eq!(bumped("1.4.2", Bump::Major), "2.0.0");
        assert_eq!(bumped("1.4.2", Bump::Minor), "1.5.0");
        assert_eq!(bumped("1.4.2", Bump::Patch), "1.4.3");
        assert_eq!(bumped("1.4.2-beta.1", Bump::Patch), "1.4.3");
    }

    #[test]
    fn checks_the_new_version() {
        assert!(sufficient("0.1.0", "0.2.0", Some(Bump::Major)));
        assert!(!sufficient("0.1.0", "0.1.1", Some(Bump::Major)));
        assert!(sufficient("0.1.0", "0.1.1", Some(Bump::Minor)));
        assert!(!sufficient("0.1.0", "0.1.0", Some(Bump::Patch)));
        assert!(sufficient("0.1.0", "0.1.0", None));
        assert!(!sufficient("0.1.0", "next", Some(Bump::Patch)));
        assert!(Version::parse("1.2").is_none() && Version::parse("1.2.3.4").is_none());
    }
}
