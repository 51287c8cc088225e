use std::time::Duration;

use crate::store::StoreError;

/// What the broker refuses, and why. The server maps each kind to its HTTP status; the
/// messages are written for the person at the other end.
#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },
    #[error("{message}")]
    Unauthenticated {
        message: String,
        hint: Option<String>,
    },
    #[error("this account needs a second factor: send the MFA code to /signin2fa with this token")]
    MfaRequired,
    #[error("{0}")]
    Forbidden(String),
    #[error("no {what} with id {id} (or you may not see it)")]
    NotFound { what: &'static str, id: String },
    #[error("no {what} named '{name}' (or you may not see it)")]
    NoSuchName { what: &'static str, name: String },
    /// The session's state does not allow it (409).
    #[error("{0}")]
    Conflict(String),
    /// A policy refuses it (422).
    #[error("{message}")]
    PolicyRefused {
        message: String,
        hint: Option<String>,
    },
    /// Well-formed input outside the bounds the broker sets (422), e.g. a start beyond the
    /// scheduling horizon or a note that is too long.
    #[error("{field}: {message}")]
    OutOfBounds { field: String, message: String },
    /// A per-user cap refuses it (429).
    #[error("{message}")]
    TooMany {
        message: String,
        hint: Option<String>,
    },
    #[error("too many failed sign-ins; try again in {} s", retry_after.as_secs().max(1))]
    RateLimited { retry_after: Duration },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something in the broker itself failed (500); the message is for the server's log.
    #[error("{0}")]
    Internal(String),
}

impl BrokerError {
    pub fn unauthenticated(message: impl Into<String>, hint: Option<&str>) -> Self {
        BrokerError::Unauthenticated {
            message: message.into(),
            hint: hint.map(str::to_owned),
        }
    }

    pub fn refused(message: impl Into<String>, hint: Option<&str>) -> Self {
        BrokerError::PolicyRefused {
            message: message.into(),
            hint: hint.map(str::to_owned),
        }
    }

    pub fn out_of_bounds(field: impl Into<String>, message: impl Into<String>) -> Self {
        BrokerError::OutOfBounds {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        BrokerError::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }
}
