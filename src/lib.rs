//! pamctl: a command-line client and a built-in session broker for just-in-time privileged
//! access, speaking the Netwrix Privilege Secure v1 REST dialect.
//!
//! The layers depend downwards only: `cli` uses `client` and `wire`; `server` uses `broker`
//! and `wire`; `broker` uses `store`; all of them use `core`, the domain, which has no I/O.
//! The broker knows nothing of HTTP, the CLI nothing of SQL.

pub mod broker;
pub mod cli;
pub mod client;
pub mod core;
pub mod server;
pub mod store;
pub mod targets;
pub mod wire;
