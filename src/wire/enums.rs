//! Wire enums: integers out (their position in the contract's lists), the integer or the
//! name (any case) in.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// An enum of the contract: its variants, their integers and their names.
pub trait WireEnum: Sized + Copy + 'static {
    const ALL: &'static [Self];
    const WIRE_NAME: &'static str;
    fn value(self) -> i64;
    fn name(self) -> &'static str;

    fn from_value(value: i64) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.value() == value)
    }

    fn from_name(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.name().eq_ignore_ascii_case(name))
    }

    fn names() -> String {
        Self::ALL
            .iter()
            .map(|v| format!("{} ({})", v.name(), v.value()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub fn serialize<E: WireEnum, S: Serializer>(value: &E, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_i64(value.value())
}

pub fn deserialize<'de, E: WireEnum, D: Deserializer<'de>>(deserializer: D) -> Result<E, D::Error> {
    struct EnumVisitor<E>(std::marker::PhantomData<E>);

    impl<E: WireEnum> Visitor<'_> for EnumVisitor<E> {
        type Value = E;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a {} integer or name: {}", E::WIRE_NAME, E::names())
        }

        fn visit_i64<Err: de::Error>(self, v: i64) -> Result<E, Err> {
            E::from_value(v).ok_or_else(|| Err::invalid_value(de::Unexpected::Signed(v), &self))
        }

        fn visit_u64<Err: de::Error>(self, v: u64) -> Result<E, Err> {
            i64::try_from(v)
                .ok()
                .and_then(E::from_value)
                .ok_or_else(|| Err::invalid_value(de::Unexpected::Unsigned(v), &self))
        }

        fn visit_str<Err: de::Error>(self, v: &str) -> Result<E, Err> {
            E::from_name(v).ok_or_else(|| Err::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    deserializer.deserialize_any(EnumVisitor(std::marker::PhantomData))
}

/// The OpenAPI schema of a wire enum: what the server writes, the integer (clients also send
/// the name, which the description lists).
pub fn enum_schema<E: WireEnum>() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Integer)
        .enum_values(Some(E::ALL.iter().map(|v| v.value())))
        .description(Some(format!("{}: {}", E::WIRE_NAME, E::names())))
        .into()
}

/// Declares a wire enum: the variants with their integers, and serde through this module.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant = $value),+ }

        wire_enum!(impl $name { $($variant = $value),+ });
    };
    // A domain enum defined in `core` (with the same integers), written on the wire as the
    // contract's enum.
    (impl $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        impl WireEnum for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const WIRE_NAME: &'static str = stringify!($name);
            fn value(self) -> i64 { self as i64 }
            fn name(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize(self, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize(d)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                enum_schema::<$name>()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

pub use crate::core::{ActivityType, LogLevel, LoginAccount, ResourceType};

wire_enum! {
    impl ActivityType { Interactive = 0, InteractiveAppLaunch = 1, TaskAutomation = 2, CredentialRelease = 3 }
}

wire_enum! {
    impl LoginAccount { Requester = 0, Managed = 1, ActivityIdentity = 2, Vault = 3, Resource = 4 }
}

wire_enum! {
    impl ResourceType { Host = 0, Domain = 1, Website = 2, AzureAdTenant = 3, SecretVault = 4, Database = 5 }
}

wire_enum! {
    /// NPS's SessionStatus, as `ActivitySession.status` carries it.
    SessionStatus {
        Pending = 0, Active = 1, Cancelling = 2, Complete = 3, Failed = 4, Cancelled = 5,
        ApprovalDenied = 6, ApprovalFailed = 7, ApprovalRequired = 8,
    }
}

wire_enum! {
    /// NPS's SessionSummaryStatus, as `SessionSummary.status` carries it.
    SessionSummaryStatus {
        Unknown = 0, Active = 1, ActiveNoLogon = 2, Cancelling = 3, Completed = 4,
        CompletedWithErrors = 5, Pending = 6, Cancelled = 7, ApprovalRequired = 8,
        ApprovalDenied = 9, ApprovalFailed = 10, Locked = 11,
    }
}

wire_enum! {
    /// An approver's decision on a session.
    ApprovalState { Pending = 0, Approved = 1, Denied = 2 }
}

wire_enum! {
    /// Whether someone is logged in to the resource.
    LoginSessionState { Inactive = 0, Active = 1, Unknown = 2 }
}

wire_enum! {
    impl LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3 }
}

impl LogLevel {
    /// NPS also accepts the long names.
    pub fn parse(text: &str) -> Option<LogLevel> {
        match text.trim().to_lowercase().as_str() {
            "information" => Some(LogLevel::Info),
            "warning" => Some(LogLevel::Warn),
            _ => LogLevel::from_name(text),
        }
    }
}

wire_enum! {
    /// Which users `ActivitySession/Search` ranks in `topUsers`.
    TopUsersType { None = 0, Everyone = 1, Top5 = 2, Top10 = 3 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_go_out_as_integers_and_come_in_as_either() {
        assert_eq!(serde_json::to_string(&LoginAccount::Vault).unwrap(), "3");
        let by_name: LoginAccount = serde_json::from_str("\"activityidentity\"").unwrap();
        let by_value: LoginAccount = serde_json::from_str("2").unwrap();
        assert_eq!(by_name, by_value);
        let error = serde_json::from_str::<LoginAccount>("9")
            .unwrap_err()
            .to_string();
        assert!(error.contains("Requester (0)"), "{error}");
    }
}
