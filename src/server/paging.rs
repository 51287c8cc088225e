//! The contract's list paging: `skip`, `take` (default 25, at most 500), `orderBy`,
//! `orderDescending`, `filterText`.

use super::extract::QueryParams;
use super::problem::ApiError;
use crate::wire::DataTable;

const DEFAULT_TAKE: u64 = 25;
const MAX_TAKE: u64 = 500;

/// The paging parameters as the OpenAPI description shows them (`params(PagingParams)`);
/// [`Paging::from_query`] reads them.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
#[allow(dead_code)] // Only described, never built.
pub struct PagingParams {
    /// How many items to skip.
    #[param(minimum = 0)]
    skip: Option<u64>,
    /// How many items to return (default 25, at most 500).
    #[param(minimum = 0, maximum = 500)]
    take: Option<u64>,
    /// The property to sort by (a 400 names the ones this list takes).
    order_by: Option<String>,
    order_descending: Option<bool>,
    /// Text the items must contain, in any case.
    filter_text: Option<String>,
}

pub struct Paging {
    pub skip: u64,
    pub take: u64,
    pub order_by: Option<String>,
    pub descending: bool,
    pub filter_text: Option<String>,
}

impl Paging {
    pub fn from_query(query: &QueryParams) -> Result<Self, ApiError> {
        let take = query.number("take")?.unwrap_or(DEFAULT_TAKE);
        if take > MAX_TAKE {
            return Err(ApiError::bad_field(
                "take",
                format!("{take} is over the maximum of {MAX_TAKE}"),
            ));
        }
        Ok(Self {
            skip: query.number("skip")?.unwrap_or(0),
            take,
            order_by: query.get("orderBy").map(str::to_lowercase),
            descending: query.boolean("orderDescending")?.unwrap_or(false),
            filter_text: query.get("filterText").map(str::to_lowercase),
        })
    }

    /// Whether any of `fields` contains the filter text (case-insensitively).
    pub fn matches(&self, fields: &[Option<&str>]) -> bool {
        match &self.filter_text {
            None => true,
            Some(filter) => fields
                .iter()
                .flatten()
                .any(|field| field.to_lowercase().contains(filter.as_str())),
        }
    }

    /// Sorts by the value `key` gives for `orderBy` (unknown names are a 400), then pages.
    pub fn page<T>(
        &self,
        mut items: Vec<T>,
        sortable: &[&str],
        key: impl Fn(&T, &str) -> String,
    ) -> Result<DataTable<T>, ApiError> {
        if let Some(order_by) = &self.order_by {
            let Some(column) = sortable.iter().find(|c| c.eq_ignore_ascii_case(order_by)) else {
                return Err(ApiError::bad_field(
                    "orderBy",
                    format!(
                        "cannot sort by '{order_by}'; use one of {}",
                        sortable.join(", ")
                    ),
                ));
            };
            items.sort_by_cached_key(|item| key(item, column).to_lowercase());
        }
        if self.descending {
            items.reverse();
        }
        let records_total = items.len() as u64;
        let data = items
            .into_iter()
            .skip(usize::try_from(self.skip).unwrap_or(usize::MAX))
            .take(usize::try_from(self.take).unwrap_or(usize::MAX))
            .collect();
        Ok(DataTable {
            data,
            records_total,
        })
    }
}
