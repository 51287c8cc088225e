//! The store's connections (the readers, and the one writer), lent for a statement or a
//! transaction at a time.
//!
//! Not sqlx's pool: it cost more than most statements did. It returns every connection
//! through a spawned task that first pings the connection's thread, so a read of one row was
//! three hand-offs between threads instead of one, and the writer's next group commit waited
//! for the last one's connection to come back that way. An in-process SQLite connection has
//! no peer that can hang up, so nothing here tests it.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::store::StoreError;

/// A fixed set of connections: one permit per idle connection.
pub(super) struct Connections {
    idle: Mutex<Vec<SqliteConnection>>,
    permits: Semaphore,
}

/// A lent connection, given back when dropped. Hold one only for statements in a row: a
/// task that holds one and waits for another can wait forever once all are lent.
pub(super) struct Lent<'a> {
    connection: Option<SqliteConnection>,
    set: &'a Connections,
    _permit: SemaphorePermit<'a>,
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
            idle: Mutex::new(idle),
            permits: Semaphore::new(count),
        })
    }

    /// Waits for an idle connection.
    pub(super) async fn get(&self) -> Result<Lent<'_>, sqlx::Error> {
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let connection = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
            .ok_or(sqlx::Error::PoolClosed)?;
        Ok(Lent {
            connection: Some(connection),
            set: self,
            _permit: permit,
        })
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
    /// The connection goes back before the permit (a field, dropped after this), so a permit
    /// always finds one.
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            self.set
                .idle
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(connection);
        }
    }
}
