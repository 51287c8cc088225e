//! Serde types of the wire contract (`shared/api/nps-v1.md`), shared by client and server so
//! the two cannot drift. Output is camelCase; input property names match case-insensitively
//! (real NPS clients send PascalCase), so wire JSON is always read through
//! [`case_insensitive`].

pub mod audit;
pub mod auth;
pub mod case_insensitive;
pub mod catalog;
pub mod enums;
pub mod health;
pub mod platform;
pub mod problem;
pub mod session;
pub mod statement;
pub mod status;

use serde::{Deserialize, Serialize};

/// A page of a list: `{"data": [...], "recordsTotal": N}`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DataTable<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub records_total: u64,
}

impl<T> DataTable<T> {
    pub fn of(data: Vec<T>) -> Self {
        let records_total = data.len() as u64;
        Self {
            data,
            records_total,
        }
    }
}
