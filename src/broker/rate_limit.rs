//! Failed sign-ins slow the next ones down, per login name and per client address: after a
//! number of failures each further attempt must wait, twice as long each time, up to a cap.
//! The state is in memory: a restart forgives, which is acceptable for a throttle whose job is
//! to make guessing slow, not to lock accounts.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
const FORGET_AFTER: Duration = Duration::from_secs(30 * 60);
/// Many people can share one address (a NAT, a bastion), so an address gets more slack.
const ADDRESS_SLACK: u32 = 4;

#[derive(Debug)]
struct Failures {
    count: u32,
    last: Instant,
    blocked_until: Option<Instant>,
}

#[derive(Debug)]
pub struct SignInLimiter {
    failures_before_delay: u32,
    failures: Mutex<HashMap<String, Failures>>,
}

impl SignInLimiter {
    pub fn new(failures_before_delay: u32) -> Self {
        Self {
            failures_before_delay: failures_before_delay.max(1),
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(login: &str, from: IpAddr) -> [(String, u32); 2] {
        [
            (format!("login:{}", login.to_lowercase()), 1),
            (format!("address:{from}"), ADDRESS_SLACK),
        ]
    }

    /// How long the caller must still wait, if at all.
    pub fn wait_time(&self, login: &str, from: IpAddr) -> Option<Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
        Self::keys(login, from)
            .iter()
            .filter_map(|(key, _)| failures.get(key)?.blocked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max()
    }

    pub fn record_failure(&self, login: &str, from: IpAddr) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, slack) in Self::keys(login, from) {
            let entry = failures.entry(key).or_insert(Failures {
                count: 0,
                last: now,
                blocked_until: None,
            });
            entry.count += 1;
            entry.last = now;
            let threshold = self.failures_before_delay * slack;
            if entry.count >= threshold {
                let doublings = (entry.count - threshold).min(20);
                let delay = Duration::from_secs(1u64 << doublings).min(MAX_DELAY);
                entry.blocked_until = Some(now + delay);
            }
        }
    }

    pub fn record_success(&self, login: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&format!("login:{}", login.to_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_starts_after_the_threshold_and_grows() {
        let limiter = SignInLimiter::new(3);
        let from: IpAddr = "192.0.2.1".parse().unwrap();
        limiter.record_failure("uma", from);
        limiter.record_failure("uma", from);
        assert_eq!(limiter.wait_time("uma", from), None);
        limiter.record_failure("uma", from);
        let first = limiter.wait_time("UMA", from).unwrap();
        limiter.record_failure("uma", from);
        let second = limiter.wait_time("uma", from).unwrap();
        assert!(second > first, "{second:?} should exceed {first:?}");
        assert_eq!(
            limiter.wait_time("ulf", from),
            None,
            "other logins are not slowed"
        );
    }
}
