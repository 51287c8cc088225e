//! The store's connections (the readers, and the one writer), lent for a statement or a
//! transaction at a time, in the order of each wait's place.
//!
//! Not sqlx's pool: it cost more than most statements did. It returns every connection
//! through a spawned task that first pings the connection's thread, so a read of one row was
//! three hand-offs between threads instead of one, and the writer's next group commit waited
//! for the last one's connection to come back that way. An in-process SQLite connection has
//! no peer that can hang up, so nothing here tests it.
//!
//! A wait's place is normally when it began (first come, first served). A read that a write
//! will follow (ending or extending a session) may take its place earlier by the time the
//! write will wait for its group commit (`get_ahead`): under load such a request otherwise
//! waited for a reader as long as every read did and then for the commit on top, and these
//! requests made the slowest part of every mixed load (p50 83 ms and p99 133 ms, against
//! 72 and 97 ms for the reads they queued with).

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use tokio::sync::oneshot;
use tokio::time::Instant;

use crate::store::StoreError;

/// A fixed set of connections, and the waits for one, by place.
pub(super) struct Connections {
    state: Mutex<State>,
}

struct State {
    idle: Vec<SqliteConnection>,
    /// Never holds a wait while a connection is idle: a connection given back goes to the
    /// first wait.
    waits: BTreeMap<Place, oneshot::Sender<SqliteConnection>>,
    /// Tells apart waits of the same instant, in the order they began.
    next: u64,
}

/// Waits first in line come before those in turn; then by instant, then by order.
type Place = (Turn, Instant, u64);

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Turn {
    First,
    InTurn,
}

/// A lent connection, given back when dropped. Hold one only for statements in a row: a
/// task that holds one and waits for another can wait forever once all are lent.
pub(super) struct Lent<'a> {
    connection: Option<SqliteConnection>,
    set: &'a Connections,
}

/// A wait in line; leaving the line (the future dropped) gives back a connection that was
/// sent to it meanwhile.
struct Wait<'a> {
    place: Place,
    receiver: oneshot::Receiver<SqliteConnection>,
    set: &'a Connections,
    served: bool,
}

impl Connections {
    pub(super) async fn open(
        options: &SqliteConnectOptions,
        count: usize,
    ) -> Result<Self, StoreError> {
        let mut idle = Vec::with_capacity(count);
        for _ in 0..count {
            idle.push(options.connect().await?);
        }
        Ok(Self {
            state: Mutex::new(State {
                idle,
                waits: BTreeMap::new(),
                next: 0,
            }),
        })
    }

    /// Waits for a connection, after the waits that began before this one.
    pub(super) async fn get(&self) -> Result<Lent<'_>, sqlx::Error> {
        self.get_at(Turn::InTurn, Instant::now()).await
    }

    /// Waits for a connection as if this wait had begun `ahead` earlier.
    pub(super) async fn get_ahead(&self, ahead: Duration) -> Result<Lent<'_>, sqlx::Error> {
        let now = Instant::now();
        self.get_at(Turn::InTurn, now.checked_sub(ahead).unwrap_or(now))
            .await
    }

    /// Waits for the next connection given back, before every wait in turn: for the short
    /// reads a request makes before its own work (its token, when not cached), which
    /// otherwise waited in line twice, and made the slowest percent of every kind of request.
    pub(super) async fn get_first(&self) -> Result<Lent<'_>, sqlx::Error> {
        self.get_at(Turn::First, Instant::now()).await
    }

    async fn get_at(&self, turn: Turn, at: Instant) -> Result<Lent<'_>, sqlx::Error> {
        let wait = {
            let mut state = self.lock();
            if let Some(connection) = state.idle.pop() {
                return Ok(self.lend(connection));
            }
            let (sender, receiver) = oneshot::channel();
            let place = (turn, at, state.next);
            state.next += 1;
            state.waits.insert(place, sender);
            Wait {
                place,
                receiver,
                set: self,
                served: false,
            }
        };
        wait.served().await
    }

    fn lend(&self, connection: SqliteConnection) -> Lent<'_> {
        Lent {
            connection: Some(connection),
            set: self,
        }
    }

    /// To the first wait still in line, else to the idle ones.
    fn give_back(&self, mut connection: SqliteConnection) {
        let mut state = self.lock();
        while let Some((_, sender)) = state.waits.pop_first() {
            match sender.send(connection) {
                Ok(()) => return,
                // That wait has just left the line.
                Err(back) => connection = back,
            }
        }
        state.idle.push(connection);
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<'a> Wait<'a> {
    async fn served(mut self) -> Result<Lent<'a>, sqlx::Error> {
        let connection = (&mut self.receiver)
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        self.served = true;
        Ok(self.set.lend(connection))
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        if self.served {
            return;
        }
        let still_waiting = self.set.lock().waits.remove(&self.place).is_some();
        if !still_waiting {
            // Its connection may have been sent after the wait stopped being polled.
            if let Ok(connection) = self.receiver.try_recv() {
                self.set.give_back(connection);
            }
        }
    }
}

impl Deref for Lent<'_> {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        self.connection
            .as_ref()
            .expect("a lent connection until dropped")
    }
}

impl DerefMut for Lent<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.connection
            .as_mut()
            .expect("a lent connection until dropped")
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            self.set.give_back(connection);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::{Pin, pin};
    use std::str::FromStr;
    use std::task::{Context, Poll, Waker};

    use super::*;

    async fn one_connection() -> Connections {
        let options = SqliteConnectOptions::from_str("sqlite::memory:").expect("in-memory URL");
        Connections::open(&options, 1)
            .await
            .expect("an in-memory connection")
    }

    /// Polls once, which puts a wait in line.
    fn poll_once<F: Future>(future: Pin<&mut F>) -> Poll<F::Output> {
        future.poll(&mut Context::from_waker(Waker::noop()))
    }

    #[tokio::test]
    async fn waits_are_served_first_in_line_then_by_place_with_head_starts() {
        let set = one_connection().await;
        let lent = set.get().await.expect("the idle connection");
        let mut first = pin!(set.get());
        assert!(poll_once(first.as_mut()).is_pending());
        let mut ahead = pin!(set.get_ahead(Duration::from_secs(1)));
        assert!(poll_once(ahead.as_mut()).is_pending());
        let mut last = pin!(set.get());
        assert!(poll_once(last.as_mut()).is_pending());
        let mut urgent = pin!(set.get_first());
        assert!(poll_once(urgent.as_mut()).is_pending());

        drop(lent);
        assert!(
            poll_once(ahead.as_mut()).is_pending(),
            "first in line goes first"
        );
        let served = urgent.await.expect("served");
        drop(served);
        assert!(
            poll_once(first.as_mut()).is_pending(),
            "then the head start"
        );
        let served = ahead.await.expect("served");
        drop(served);
        assert!(
            poll_once(last.as_mut()).is_pending(),
            "then the first to wait"
        );
        let served = first.await.expect("served");
        drop(served);
        last.await.expect("and the last");
    }

    #[tokio::test]
    async fn a_wait_that_leaves_the_line_loses_no_connection() {
        let set = one_connection().await;
        // Sent a connection, then dropped before it took it.
        let lent = set.get().await.expect("the idle connection");
        {
            let mut wait = pin!(set.get());
            assert!(poll_once(wait.as_mut()).is_pending());
            drop(lent);
        }
        // Dropped before anything was sent.
        let lent = set.get().await.expect("given back by the wait that left");
        {
            let mut wait = pin!(set.get());
            assert!(poll_once(wait.as_mut()).is_pending());
        }
        drop(lent);
        let mut again = pin!(set.get());
        assert!(
            poll_once(again.as_mut()).is_ready(),
            "the connection is idle, not sent to a wait that left"
        );
    }
}
