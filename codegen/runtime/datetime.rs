//! Date-times as the documents send them: with or without an offset, with 0 to 9 fractional
//! digits, and written back exactly as received.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, Timelike};

/// A calendar date (`2024-12-22`).
pub type Date = NaiveDate;

/// A date-time that remembers how it was written, so it serializes back unchanged:
/// `2024-01-01T00:00:00` (no offset), `2024-12-22T09:54:10.8226964+00:00`,
/// `2018-03-22T15:22:21.9254018Z`, or a bare date such as `2018-01-31z`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    local: NaiveDateTime,
    offset: Option<FixedOffset>,
    style: Style,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Style {
    date_only: bool,
    fraction_digits: u8,
    zone: Zone,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Zone {
    None,
    /// `Z` or `z`, as written.
    Utc(char),
    /// `+HH:MM` (with colon) or `+HHMM`.
    Numeric {
        colon: bool,
    },
}

/// Why a text is not a date-time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDateTimeError(String);

impl fmt::Display for ParseDateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid date-time `{}` (expected YYYY-MM-DD[THH:MM:SS[.fffffff]][Z|±HH:MM])", self.0)
    }
}

impl std::error::Error for ParseDateTimeError {}

impl DateTime {
    /// The wall-clock value as written (in the sender's offset, if any).
    pub fn local(&self) -> NaiveDateTime {
        self.local
    }

    /// The UTC offset, when the text carried one.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// The instant, when the text carried an offset.
    pub fn to_chrono(&self) -> Option<chrono::DateTime<FixedOffset>> {
        let offset = self.offset?;
        self.local.and_local_timezone(offset).single()
    }

    /// The instant, reading a value without an offset as UTC (what the Visma API means).
    pub fn assume_utc(&self) -> chrono::DateTime<chrono::Utc> {
        match self.to_chrono() {
            Some(instant) => instant.with_timezone(&chrono::Utc),
            None => self.local.and_utc(),
        }
    }

    fn from_parts(local: NaiveDateTime, offset: Option<FixedOffset>, zone: Zone) -> Self {
        let nanos = local.nanosecond() % 1_000_000_000;
        // The fewest digits in steps of three that keep every nanosecond.
        let fraction_digits = match nanos {
            0 => 0,
            n if n % 1_000_000 == 0 => 3,
            n if n % 1_000 == 0 => 6,
            _ => 9,
        };
        DateTime { local, offset, style: Style { date_only: false, fraction_digits, zone } }
    }
}

impl From<NaiveDateTime> for DateTime {
    /// A value without an offset, written `YYYY-MM-DDTHH:MM:SS[.fff]`.
    fn from(local: NaiveDateTime) -> Self {
        DateTime::from_parts(local, None, Zone::None)
    }
}

impl From<chrono::DateTime<chrono::Utc>> for DateTime {
    /// Written with a `Z`.
    fn from(instant: chrono::DateTime<chrono::Utc>) -> Self {
        DateTime::from_parts(instant.naive_utc(), Some(instant.offset().fix()), Zone::Utc('Z'))
    }
}

impl From<chrono::DateTime<FixedOffset>> for DateTime {
    /// Written with a `±HH:MM` offset.
    fn from(instant: chrono::DateTime<FixedOffset>) -> Self {
        DateTime::from_parts(instant.naive_local(), Some(*instant.offset()), Zone::Numeric { colon: true })
    }
}

impl FromStr for DateTime {
    type Err = ParseDateTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text).ok_or_else(|| ParseDateTimeError(text.to_owned()))
    }
}

fn digits(text: &str, range: std::ops::Range<usize>) -> Option<u32> {
    let part = text.get(range)?;
    if part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

fn parse(text: &str) -> Option<DateTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(digits(text, 0..4)? as i32, digits(text, 5..7)?, digits(text, 8..10)?)?;
    let mut rest = &text[10..];
    let mut date_only = true;
    let mut time = NaiveTime::MIN;
    let mut fraction_digits = 0u8;
    if let Some(after) = rest.strip_prefix(['T', 't', ' ']) {
        date_only = false;
        let b = after.as_bytes();
        if b.len() < 8 || b[2] != b':' || b[5] != b':' {
            return None;
        }
        let (hour, minute, second) = (digits(after, 0..2)?, digits(after, 3..5)?, digits(after, 6..8)?);
        rest = &after[8..];
        let mut nanos = 0u32;
        if let Some(fraction) = rest.strip_prefix('.') {
            let count = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if count == 0 || count > 9 {
                return None;
            }
            nanos = digits(fraction, 0..count)? * 10u32.pow(9 - count as u32);
            fraction_digits = count as u8;
            rest = &fraction[count..];
        }
        time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    }
    let (offset, zone) = match rest {
        "" => (None, Zone::None),
        "Z" | "z" => (Some(FixedOffset::east_opt(0)?), Zone::Utc(rest.chars().next()?)),
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (hours, minutes, colon) = match rest.len() {
                6 if rest.as_bytes()[3] == b':' => (digits(rest, 1..3)?, digits(rest, 4..6)?, true),
                5 => (digits(rest, 1..3)?, digits(rest, 3..5)?, false),
                _ => return None,
            };
            let seconds = sign * (hours as i32 * 3600 + minutes as i32 * 60);
            (Some(FixedOffset::east_opt(seconds)?), Zone::Numeric { colon })
        }
    };
    Some(DateTime { local: date.and_time(time), offset, style: Style { date_only, fraction_digits, zone } })
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.local;
        write!(f, "{:04}-{:02}-{:02}", local.year(), local.month(), local.day())?;
        if !self.style.date_only {
            write!(f, "T{:02}:{:02}:{:02}", local.hour(), local.minute(), local.second())?;
            let digits = usize::from(self.style.fraction_digits);
            if digits > 0 {
                let nanos = format!("{:09}", local.nanosecond() % 1_000_000_000);
                write!(f, ".{}", &nanos[..digits])?;
            }
        }
        match (self.style.zone, self.offset) {
            (Zone::Utc(letter), _) => write!(f, "{letter}"),
            (Zone::Numeric { colon }, Some(offset)) => {
                let seconds = offset.local_minus_utc();
                let sign = if seconds < 0 { '-' } else { '+' };
                let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
                if colon {
                    write!(f, "{sign}{hours:02}:{minutes:02}")
                } else {
                    write!(f, "{sign}{hours:02}{minutes:02}")
                }
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::DateTime;

    #[test]
    fn round_trips_every_documented_shape() {
        for text in [
            "2024-01-01T00:00:00",
            "2024-12-22T09:54:10.8226964+00:00",
            "2018-03-22T15:22:21.9254018Z",
            "2018-01-31z",
            "2011-01-29T04:00:00Z",
            "2024-06-30T23:59:59.5-05:30",
        ] {
            let parsed: DateTime = text.parse().unwrap();
            assert_eq!(parsed.to_string(), text);
        }
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for text in [
            "",
            "2024",
            "2024-13-01",
            "2024-01-01T25:00:00",
            "2024-01-01T00:00:00.",
            "2024-01-01T00:00:00+1",
            "２０２４-01-01",
        ] {
            assert!(text.parse::<DateTime>().is_err(), "{text}");
        }
    }

    #[test]
    fn reads_the_instant() {
        let parsed: DateTime = "2024-12-22T09:54:10.8226964+01:00".parse().unwrap();
        assert_eq!(parsed.assume_utc().to_rfc3339(), "2024-12-22T08:54:10.822696400+00:00");
    }
}
