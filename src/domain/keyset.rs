//! Pages of the small lists (meetings, people) in keyset terms: cursors
//! carry the id of the item at the page's edge.

/// A page request in keyset terms: a boundary key (values of the order
/// columns) and a direction.
#[derive(Clone, Debug, Default)]
pub struct KeysetRequest {
    pub first: Option<usize>,
    pub after: Option<i64>,
    pub last: Option<usize>,
    pub before: Option<i64>,
}

pub struct KeysetPage<T> {
    pub items: Vec<T>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}
