//! The sign-in throttle's rules, as pure functions of the stored failure counters and the
//! time. The store applies them in one transaction per attempt (check and count together), so
//! concurrent guesses cannot all slip past the check before any failure is recorded.
//!
//! Two counters per attempt, both keyed on the normalized login (the one the account lookup
//! uses, so that `"uma "` and `"uma"` count together):
//! - per (login, address): after `failures_before_delay` failures each further attempt from
//!   that address waits, twice as long each time;
//! - per login, from every address: the same after `ACCOUNT_SLACK` times as many failures, but
//!   it only holds back addresses that have failed on that login recently. An address with no
//!   recent failures (the real user) still gets through while another address guesses; a
//!   guesser spread over many addresses gets one try per fresh address.
//!
//! No counter is kept per address alone, so failures for one login never lock other logins
//! out of a shared address (a NAT, a proxy, a bastion).

use chrono::{DateTime, Duration, Utc};

/// The longest a throttled attempt must wait.
pub const MAX_DELAY: Duration = Duration::minutes(15);
/// Failures older than this are forgotten (and their rows purged).
pub const FORGET_AFTER: Duration = Duration::minutes(30);
/// The per-login counter aggregates every address, so it gets this many times the slack.
pub const ACCOUNT_SLACK: u32 = 4;

/// The login as the account lookup sees it: trimmed of Unicode white space (which includes
/// no-break spaces and tabs) and lower-cased, as names are case-insensitive.
pub fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// The two counters an attempt touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInKeys {
    pub account: String,
    pub pair: String,
}

impl SignInKeys {
    /// `from` is the client's address (anything that prints as one: the core does no I/O).
    pub fn new(login: &str, from: impl std::fmt::Display) -> Self {
        let login = normalize_login(login);
        Self {
            pair: format!("pair:{login}|{from}"),
            account: format!("account:{login}"),
        }
    }
}

/// One stored counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureCount {
    pub failures: u32,
    pub last_failure_at: DateTime<Utc>,
    pub blocked_until: Option<DateTime<Utc>>,
}

/// Why an attempt was refused, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRefusal {
    pub retry_after: Duration,
    pub reason: &'static str,
}

/// What one attempt does to the counters: refused (they stay), or allowed and counted as a
/// failure in advance (a success takes it back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    Allowed {
        pair: FailureCount,
        account: FailureCount,
    },
    Refused(ThrottleRefusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub failures_before_delay: u32,
}

impl ThrottlePolicy {
    pub fn new(failures_before_delay: u32) -> Self {
        Self {
            failures_before_delay: failures_before_delay.max(1),
        }
    }

    /// Decides one attempt from the counters as stored, and gives the counters to store when
    /// it is allowed.
    pub fn reserve(
        &self,
        pair: Option<FailureCount>,
        account: Option<FailureCount>,
        now: DateTime<Utc>,
    ) -> Reservation {
        let pair = live(pair, now);
        let account = live(account, now);
        if let Some(wait) = pair.and_then(|p| blocked_for(p, now)) {
            return Reservation::Refused(ThrottleRefusal {
                retry_after: wait,
                reason: "too many failures for this login from this address",
            });
        }
        let address_failed_recently = pair.is_some_and(|p| p.failures > 0);
        if address_failed_recently {
            if let Some(wait) = account.and_then(|a| blocked_for(a, now)) {
                return Reservation::Refused(ThrottleRefusal {
                    retry_after: wait,
                    reason: "too many failures for this login from several addresses",
                });
            }
        }
        Reservation::Allowed {
            pair: counted(pair, self.failures_before_delay, now),
            account: counted(
                account,
                self.failures_before_delay.saturating_mul(ACCOUNT_SLACK),
                now,
            ),
        }
    }
}

/// The per-login counter after a success takes back its advance count (the per-address one
/// is simply deleted).
pub fn after_success(account: FailureCount) -> FailureCount {
    FailureCount {
        failures: account.failures.saturating_sub(1),
        ..account
    }
}

fn live(count: Option<FailureCount>, now: DateTime<Utc>) -> Option<FailureCount> {
    count.filter(|c| now - c.last_failure_at < FORGET_AFTER)
}

fn blocked_for(count: FailureCount, now: DateTime<Utc>) -> Option<Duration> {
    count
        .blocked_until
        .filter(|until| *until > now)
        .map(|until| until - now)
}

fn counted(count: Option<FailureCount>, threshold: u32, now: DateTime<Utc>) -> FailureCount {
    let failures = count.map_or(0, |c| c.failures).saturating_add(1);
    let blocked_until = if failures >= threshold {
        let doublings = (failures - threshold).min(20);
        Some(now + Duration::seconds(1i64 << doublings).min(MAX_DELAY))
    } else {
        count.and_then(|c| c.blocked_until)
    };
    FailureCount {
        failures,
        last_failure_at: now,
        blocked_until,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn allowed(reservation: Reservation) -> (FailureCount, FailureCount) {
        match reservation {
            Reservation::Allowed { pair, account } => (pair, account),
            Reservation::Refused(refusal) => panic!("refused: {refusal:?}"),
        }
    }

    #[test]
    fn logins_are_normalized_like_the_lookup() {
        let from = "192.0.2.1";
        let keys = SignInKeys::new("uma", from);
        for variant in ["uma ", "\tuma", "uma\u{a0}", "UMA"] {
            assert_eq!(SignInKeys::new(variant, from), keys, "{variant:?}");
        }
    }

    #[test]
    fn an_address_waits_after_the_threshold_and_twice_as_long_each_time() {
        let policy = ThrottlePolicy::new(3);
        let (mut pair, mut account) = (None, None);
        for _ in 0..3 {
            let (p, a) = allowed(policy.reserve(pair, account, at(0)));
            (pair, account) = (Some(p), Some(a));
        }
        let Reservation::Refused(first) = policy.reserve(pair, account, at(0)) else {
            panic!("not refused");
        };
        assert_eq!(first.retry_after, Duration::seconds(1));
        let (p, a) = allowed(policy.reserve(pair, account, at(1)));
        assert_eq!(p.blocked_until, Some(at(3)));
        assert_eq!(a.failures, 4);
    }

    #[test]
    fn a_blocked_login_still_admits_an_address_without_failures() {
        let policy = ThrottlePolicy::new(1);
        let blocked = FailureCount {
            failures: 50,
            last_failure_at: at(0),
            blocked_until: Some(at(600)),
        };
        assert!(matches!(
            policy.reserve(None, Some(blocked), at(1)),
            Reservation::Allowed { .. }
        ));
        let failed_once = FailureCount {
            failures: 1,
            last_failure_at: at(0),
            blocked_until: None,
        };
        assert!(matches!(
            policy.reserve(Some(failed_once), Some(blocked), at(1)),
            Reservation::Refused(_)
        ));
    }

    #[test]
    fn old_failures_are_forgotten() {
        let policy = ThrottlePolicy::new(1);
        let old = FailureCount {
            failures: 9,
            last_failure_at: at(0),
            blocked_until: Some(at(900)),
        };
        let later = at(0) + FORGET_AFTER + Duration::seconds(1);
        let (pair, _) = allowed(policy.reserve(Some(old), Some(old), later));
        assert_eq!(pair.failures, 1);
    }
}
