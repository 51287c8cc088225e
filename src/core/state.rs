//! The states a session goes through. How each is written on the wire lives in
//! `wire::status`, the one table that maps them.

/// A session's state. `Locked` is only ever shown: it is an Available or Logged In session
/// with its lock set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionState {
    WaitingForApproval,
    Scheduled,
    Provisioning,
    Available,
    LoggedIn,
    /// Shown, never stored: an Available or Logged In session whose `locked` flag is set.
    Locked,
    Canceling,
    Complete,
    Failed,
    /// An end action failed and is being retried: access may still be in place. Shown as
    /// Failed on the wire; not finished until the action succeeds or an admin resolves it.
    RevokeFailed,
    Cancelled,
    Denied,
    ApprovalFailed,
}

use SessionState::*;

impl SessionState {
    pub const ALL: [SessionState; 13] = [
        WaitingForApproval,
        Scheduled,
        Provisioning,
        Available,
        LoggedIn,
        Locked,
        Canceling,
        Complete,
        Failed,
        RevokeFailed,
        Cancelled,
        Denied,
        ApprovalFailed,
    ];

    /// The word the product's dashboards and the CLI show (`wire::status` checks that its
    /// table agrees).
    pub fn word(self) -> &'static str {
        match self {
            WaitingForApproval => "Waiting for Approval",
            Scheduled => "Scheduled",
            Provisioning => "Provisioning",
            Available => "Available",
            LoggedIn => "Logged In",
            Locked => "Locked",
            Canceling => "Canceling",
            Complete => "Complete",
            Failed => "Failed",
            RevokeFailed => "Failed to Revoke",
            Cancelled => "Cancelled",
            Denied => "Denied",
            ApprovalFailed => "Approval Failed",
        }
    }

    /// The state shown for a stored state and the session's `locked` flag.
    pub fn shown(self, locked: bool) -> SessionState {
        match self {
            Available | LoggedIn if locked => Locked,
            other => other,
        }
    }

    /// The state a stored identifier (`LoggedIn`) names, for the store.
    pub fn from_identifier(text: &str) -> Option<SessionState> {
        Self::ALL.into_iter().find(|s| s.identifier() == text)
    }

    pub fn identifier(self) -> String {
        format!("{self:?}")
    }

    /// Finished: nothing more will happen to the session.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Complete | Failed | Cancelled | Denied | ApprovalFailed
        )
    }

    /// The user may work on the resource (or could, but for a lock).
    pub fn is_active(self) -> bool {
        matches!(self, Available | LoggedIn | Locked)
    }
}
