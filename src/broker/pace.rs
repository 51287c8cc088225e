//! How fast the scheduler's loops get through a burst of work, said in the broker's log: a
//! line when a busy stretch ends (and every few seconds while it lasts), so that an operator
//! (or the benchmark) reads the rate from the log instead of guessing it from the outside.

use std::time::{Duration, Instant};

/// A stretch with no work for this long has ended.
const QUIET: Duration = Duration::from_millis(500);
/// While a stretch lasts, what it got done so far is said this often.
const SAY_EVERY: Duration = Duration::from_secs(5);

/// Counts the items one loop finished in its current busy stretch.
pub(super) struct Pace {
    what: &'static str,
    stretch: Option<Stretch>,
}

struct Stretch {
    began: Instant,
    last_item: Instant,
    last_said: Instant,
    items: u64,
    /// Items when the last line was said, for the rate since then.
    items_said: u64,
}

impl Pace {
    /// `what` names the items in the log line (`"due sessions advanced"`).
    pub(super) fn new(what: &'static str) -> Self {
        Self {
            what,
            stretch: None,
        }
    }

    /// Counts `items` finished at `now` (none: the loop only looked), and says the rate when a
    /// stretch ended or has run for a while.
    pub(super) fn count(&mut self, items: u64, now: Instant) {
        if let Some(stretch) = &self.stretch {
            if now.duration_since(stretch.last_item) >= QUIET {
                self.finish();
            }
        }
        if items == 0 {
            return;
        }
        let stretch = self.stretch.get_or_insert(Stretch {
            began: now,
            last_item: now,
            last_said: now,
            items: 0,
            items_said: 0,
        });
        stretch.items += items;
        stretch.last_item = now;
        if now.duration_since(stretch.last_said) >= SAY_EVERY {
            let recent = stretch.items - stretch.items_said;
            let rate = per_second(recent, now.duration_since(stretch.last_said));
            tracing::info!(
                total = stretch.items,
                per_second = rate,
                "scheduler: {} so far",
                self.what
            );
            stretch.last_said = now;
            stretch.items_said = stretch.items;
        }
    }

    /// When the current stretch must be said, if it stays quiet: the loop wakes then.
    pub(super) fn due(&self) -> Option<Instant> {
        self.stretch.as_ref().map(|s| s.last_item + QUIET)
    }

    fn finish(&mut self) {
        let Some(stretch) = self.stretch.take() else {
            return;
        };
        let took = stretch.last_item.duration_since(stretch.began);
        tracing::info!(
            total = stretch.items,
            took_ms = took.as_millis() as u64,
            per_second = per_second(stretch.items, took),
            "scheduler: {}",
            self.what
        );
    }
}

fn per_second(items: u64, took: Duration) -> u64 {
    if took.is_zero() {
        return items;
    }
    (items as f64 / took.as_secs_f64()).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stretch_lasts_until_the_loop_goes_quiet() {
        let start = Instant::now();
        let mut pace = Pace::new("things done");
        pace.count(10, start);
        pace.count(10, start + Duration::from_millis(400));
        assert_eq!(pace.stretch.as_ref().map(|s| s.items), Some(20));
        assert_eq!(pace.due(), Some(start + Duration::from_millis(900)));
        pace.count(0, start + Duration::from_millis(900));
        assert!(pace.stretch.is_none(), "a quiet loop ends its stretch");
        pace.count(1, start + Duration::from_secs(2));
        assert_eq!(pace.stretch.as_ref().map(|s| s.items), Some(1));
    }

    #[test]
    fn the_rate_is_items_over_the_stretch() {
        assert_eq!(per_second(1000, Duration::from_millis(500)), 2000);
        assert_eq!(per_second(7, Duration::ZERO), 7);
    }
}
