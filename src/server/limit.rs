//! The connection limit: at most `max_connections` client connections are served at once, so
//! that idle or slow clients cannot take the file descriptors the scheduler, the action
//! processes and the database pool need. A connection over the limit is closed at once (the
//! client sees the connection reset and may retry); the ones already served carry on.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use axum_server::accept::Accept;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// File descriptors kept free of client connections: the database pool, the scheduler's and
/// the outbox's work, the pipes of running action processes (three each), the listener, TLS
/// and log files, with room to spare.
pub const DESCRIPTOR_RESERVE: u64 = 256;
/// The least the derived default allows, even under a very low open-file limit.
const MIN_CONNECTIONS: u64 = 16;

/// The default `max_connections`: the open-file limit less the reserve.
pub fn default_max_connections(open_file_limit: u64) -> u64 {
    open_file_limit
        .saturating_sub(DESCRIPTOR_RESERVE)
        .max(MIN_CONNECTIONS)
}

/// The acceptor that holds a slot for every connection it lets through.
#[derive(Clone)]
pub struct ConnectionLimit {
    slots: Arc<Semaphore>,
    max: u64,
    refused: Arc<AtomicU64>,
}

impl ConnectionLimit {
    pub fn new(max: u64) -> Self {
        let max = max.max(1);
        Self {
            slots: Arc::new(Semaphore::new(
                usize::try_from(max).unwrap_or(Semaphore::MAX_PERMITS),
            )),
            max,
            refused: Arc::new(AtomicU64::new(0)),
        }
    }
}

impl<S> Accept<TcpStream, S> for ConnectionLimit {
    type Stream = Limited<TcpStream>;
    type Service = S;
    type Future = std::future::Ready<io::Result<(Self::Stream, S)>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        match Arc::clone(&self.slots).try_acquire_owned() {
            Ok(permit) => std::future::ready(Ok((
                Limited {
                    inner: stream,
                    _permit: permit,
                },
                service,
            ))),
            Err(_) => {
                // Logged on the first refusal and then every 1,000th, so that a flood does not
                // flood the log too.
                let refused = self.refused.fetch_add(1, Ordering::Relaxed);
                if refused % 1_000 == 0 {
                    tracing::warn!(
                        max_connections = self.max,
                        refused = refused + 1,
                        peer = ?stream.peer_addr().ok(),
                        "connection refused: the broker serves max_connections already"
                    );
                }
                drop(stream);
                std::future::ready(Err(io::Error::other("over max_connections")))
            }
        }
    }
}

/// A connection that frees its slot when it closes.
pub struct Limited<T> {
    inner: T,
    _permit: OwnedSemaphorePermit,
}

impl<T: AsyncRead + Unpin> AsyncRead for Limited<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Limited<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_leaves_the_reserve_free() {
        assert_eq!(default_max_connections(1_024), 768);
        assert_eq!(default_max_connections(65_536), 65_280);
        assert_eq!(default_max_connections(100), MIN_CONNECTIONS);
    }
}
