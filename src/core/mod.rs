//! The domain core: sessions, the catalog (accounts, activities, resources, policies,
//! approvals, tokens), their states and the lifecycle as pure transitions, and the
//! clock. No I/O at all: nothing here reads the network, a database, a terminal or a file,
//! and nothing here imports the rest of the crate (`tests/architecture.rs` checks both), so
//! every rule can be tested with a fake clock and plain values.

pub mod audit;
pub mod catalog;
pub mod clock;
pub mod lifecycle;
pub mod session;
pub mod state;
pub mod statement;
pub mod throttle;

pub use catalog::*;
pub use clock::{Clock, ManualClock, SystemClock};
pub use lifecycle::{
    ActionCounts, ActionKind, ActionOutcome, Actor, Effect, Event, ExtensionLimits, Refusal,
    Transition,
};
pub use session::{ActivityType, LogEntry, LogLevel, Session};
pub use state::SessionState;
pub use statement::{StatementEntry, StatementReview, StatementRows, StatementStatus};
