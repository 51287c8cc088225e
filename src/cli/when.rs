//! The WHEN and DUR arguments of `shared/cli.md`. They are clap value parsers, so a bad value
//! is a usage error (exit 2) that names the flag and lists the accepted forms.

use std::time::Duration;

use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};

const DUR_FORMS: &str = "write a duration like 90s, 30m, 2h or 1h30m";
const WHEN_FORMS: &str = "write now, an RFC 3339 time (2026-05-01T09:00:00Z), \
     YYYY-MM-DD HH:MM in local time, or +DUR / -DUR from now (+30m, -2h)";

/// A point in time as given on the command line. Relative times stay relative until used, so
/// that `--watch` with `--since -1h` keeps looking at the last hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    At(DateTime<Utc>),
    /// From now: positive is later, negative earlier.
    FromNow(chrono::Duration),
}

impl When {
    pub fn at(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            When::At(time) => time,
            When::FromNow(offset) => now + offset,
        }
    }

    pub fn resolve(self) -> DateTime<Utc> {
        self.at(Utc::now())
    }
}

/// DUR: `90s`, `30m`, `2h`, `1h30m` (and anything else humantime reads); never zero.
pub fn parse_dur(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    let duration = humantime::parse_duration(trimmed)
        .map_err(|e| format!("'{text}' is not a duration ({e}); {DUR_FORMS}"))?;
    if duration.is_zero() {
        return Err(format!("'{text}' is zero; {DUR_FORMS}"));
    }
    Ok(duration)
}

/// WHEN: `now`, RFC 3339, `YYYY-MM-DD HH:MM` (local time), `+DUR` or `-DUR`.
pub fn parse_when(text: &str) -> Result<When, String> {
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case("now") {
        return Ok(When::FromNow(chrono::Duration::zero()));
    }
    if let Some((sign, rest)) = trimmed
        .strip_prefix('+')
        .map(|rest| (1, rest))
        .or_else(|| trimmed.strip_prefix('-').map(|rest| (-1, rest)))
    {
        let duration = humantime::parse_duration(rest.trim())
            .map_err(|e| format!("'{text}' is not a time ({e}); {WHEN_FORMS}"))?;
        let offset = chrono::Duration::from_std(duration)
            .map_err(|_| format!("'{text}' is too far away; {WHEN_FORMS}"))?;
        return Ok(When::FromNow(offset * sign));
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(When::At(time.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(trimmed, format) {
            return local(naive, text);
        }
    }
    Err(format!("'{text}' is not a time; {WHEN_FORMS}"))
}

fn local(naive: NaiveDateTime, text: &str) -> Result<When, String> {
    // In the autumn's repeated hour, the earlier of the two times is meant.
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|time| When::At(time.with_timezone(&Utc)))
        .ok_or_else(|| {
            format!("'{text}' does not exist in local time (a daylight saving gap); {WHEN_FORMS}")
        })
}

/// Whole minutes, rounded up: the wire counts extensions in minutes.
pub fn minutes_rounded_up(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs().div_ceil(60)).unwrap_or(i64::MAX)
}

/// A duration the way DUR is written: `1h30m`, `45s`.
pub fn format_dur(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let mut text = String::new();
    if h > 0 {
        text.push_str(&format!("{h}h"));
    }
    if m > 0 {
        text.push_str(&format!("{m}m"));
    }
    if s > 0 || text.is_empty() {
        text.push_str(&format!("{s}s"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_the_documented_forms() {
        assert_eq!(parse_dur("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_dur("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_dur("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_dur("1h30m"), Ok(Duration::from_secs(5400)));
        let error = parse_dur("soon").unwrap_err();
        assert!(error.contains("1h30m"), "{error}");
        assert!(parse_dur("0m").is_err());
        assert!(parse_dur("").is_err());
    }

    #[test]
    fn times_in_the_documented_forms() {
        let now = Utc::now();
        assert_eq!(parse_when("now").unwrap().at(now), now);
        assert_eq!(
            parse_when("+30m").unwrap().at(now),
            now + chrono::Duration::minutes(30)
        );
        assert_eq!(
            parse_when("-1h30m").unwrap().at(now),
            now - chrono::Duration::minutes(90)
        );
        assert_eq!(
            parse_when("2026-05-01T09:00:00Z")
                .unwrap()
                .at(now)
                .to_rfc3339(),
            "2026-05-01T09:00:00+00:00"
        );
        assert_eq!(
            parse_when("2026-05-01T11:00:00+02:00").unwrap().at(now),
            parse_when("2026-05-01T09:00:00Z").unwrap().at(now)
        );
        let local = parse_when("2026-05-01 09:00").unwrap().at(now);
        assert_eq!(
            local
                .with_timezone(&Local)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            "2026-05-01 09:00"
        );
        for bad in ["tomorrow", "2026-13-01 09:00", "+soon", "09:00"] {
            let error = parse_when(bad).unwrap_err();
            assert!(error.contains("RFC 3339"), "{bad}: {error}");
        }
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(minutes_rounded_up(Duration::from_secs(90)), 2);
        assert_eq!(minutes_rounded_up(Duration::from_secs(120)), 2);
        assert_eq!(minutes_rounded_up(Duration::from_secs(1)), 1);
        assert_eq!(format_dur(Duration::from_secs(5400)), "1h30m");
        assert_eq!(format_dur(Duration::from_secs(45)), "45s");
    }
}
