//! Limits checked on a GraphQL document before async-graphql parses,
//! validates or runs it. async-graphql expands a fragment again at every
//! spread, in validation and in execution, so a 1 KB document of nested
//! spreads can mean 2^30 fields; its own depth and complexity limits run
//! after that expansion. Here every fragment is measured once (memoised),
//! cycles are found first, and the totals are compared with the limits in
//! microseconds, whatever the document claims to expand to.

use std::collections::{HashMap, HashSet};

use async_graphql::Variables;
use async_graphql::parser::types::ExecutableDocument;

use super::cost::{ListSizes, SHAPE};

mod measure;
use measure::Measure;

/// The limits, each configurable (the `graphql_max_*` settings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of a POST body (the whole JSON request or batch).
    pub max_body_bytes: usize,
    /// Bytes of query text.
    pub max_document_bytes: usize,
    /// Nesting of fields (fragments expanded).
    pub max_depth: usize,
    /// Field selections once every fragment is expanded.
    pub max_fields: u64,
    /// Aliased fields, fragments expanded.
    pub max_aliases: u64,
    /// Directives, fragments expanded.
    pub max_directives: u64,
    /// Requested cost (see `cost`).
    pub max_cost: u64,
    /// Operations in one batch (a JSON array of requests).
    pub max_batch: usize,
    /// Bytes of one operation's answer (its JSON); over it, the answer is
    /// an error. A backstop behind the cost, which estimates some lists.
    pub max_response_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 64 * 1024,
            max_document_bytes: 32 * 1024,
            max_depth: 16,
            max_fields: 2_000,
            max_aliases: 100,
            max_directives: 50,
            max_cost: 25_000,
            max_batch: 5,
            max_response_bytes: 8 * 1024 * 1024,
        }
    }
}

/// What a full-text search adds to a query's cost: it ranks every match,
/// whatever the page size (a budget of 600,000 a minute is then 6,000
/// searches, not unlimited ones).
pub const SEARCH_COST: u64 = 100;

/// What a document asks for, fragments expanded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocumentStats {
    pub depth: usize,
    pub fields: u64,
    pub aliases: u64,
    pub directives: u64,
    /// Shopify-style requested cost: an object field costs 1, a scalar 0, a
    /// field paged with `first`/`last` costs 2 plus its page size times its
    /// selection's cost, and an unpaged list of objects its length (see
    /// `cost`) times one plus its selection's cost.
    pub cost: u64,
}

/// A refused document: a stable code and a message for the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitError {
    pub code: &'static str,
    pub message: String,
    /// Where in the document, for a syntax error (line and column, from 1).
    pub locations: Vec<async_graphql::Pos>,
}

fn refuse(code: &'static str, message: impl Into<String>) -> LimitError {
    LimitError {
        code,
        message: message.into(),
        locations: Vec::new(),
    }
}

/// A parser error as a client can read it: the parser's own text is a
/// multi-line picture of the source with grammar rule names
/// (`= expected selection_set`); the message keeps the expectation, in
/// words, and the place goes to `locations`.
fn syntax_error(error: &async_graphql::parser::Error) -> LimitError {
    let locations: Vec<async_graphql::Pos> = error.positions().take(1).collect();
    let detail = match error {
        async_graphql::parser::Error::Syntax { message, .. } => message
            .lines()
            .find_map(|line| line.trim_start().strip_prefix("= "))
            .map(|expected| expected.replace('_', " "))
            .unwrap_or_else(|| "unexpected input".to_string()),
        other => other.to_string(),
    };
    let message = match locations.first() {
        Some(at) => format!(
            "syntax error at line {}, column {}: {detail}",
            at.line, at.column
        ),
        None => format!("syntax error: {detail}"),
    };
    LimitError {
        code: "GRAPHQL_PARSE_FAILED",
        message,
        locations,
    }
}

/// Deepest nesting of `{`, `(` and `[` outside strings and comments: found
/// before parsing, because the parser recurses once per level.
fn raw_nesting(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'(' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// Parses `query` and measures it against `limits`, unpaged lists costed
/// by `sizes`; the parsed document is returned so that it is parsed once.
pub fn check(
    query: &str,
    variables: &Variables,
    limits: &Limits,
    sizes: &ListSizes,
) -> Result<(ExecutableDocument, DocumentStats), LimitError> {
    if query.len() > limits.max_document_bytes {
        return Err(refuse(
            "DOCUMENT_TOO_LARGE",
            format!(
                "the query is {} bytes; at most {} are accepted",
                query.len(),
                limits.max_document_bytes
            ),
        ));
    }
    // Arguments and lists nest too, so allow some room over the field depth.
    if raw_nesting(query) > 2 * limits.max_depth + 8 {
        return Err(refuse(
            "QUERY_TOO_DEEP",
            format!("the query nests deeper than {} levels", limits.max_depth),
        ));
    }
    let document = async_graphql::parser::parse_query(query).map_err(|e| syntax_error(&e))?;
    // One operation runs: the document costs what its largest one does (a
    // GraphiQL tab sends every query in its editor).
    let mut total = DocumentStats::default();
    for (_, operation) in document.operations.iter() {
        // The variables as the operation will see them: defaults too.
        let mut with_defaults = variables.clone();
        for definition in &operation.node.variable_definitions {
            let name = &definition.node.name.node;
            if let Some(default) = &definition.node.default_value
                && !with_defaults.contains_key(name)
            {
                with_defaults.insert(name.clone(), default.node.clone());
            }
        }
        let mut measure = Measure {
            document: &document,
            variables: &with_defaults,
            shape: &SHAPE,
            sizes,
            units_above: 1,
            memo: HashMap::new(),
            visiting: HashSet::new(),
            type_lists: HashMap::new(),
        };
        // Only queries can run (there are no mutations or subscriptions).
        let root = match operation.node.ty {
            async_graphql::parser::types::OperationType::Mutation => "Mutation",
            _ => "Query",
        };
        let stats = measure.selection_set(&operation.node.selection_set.node, Some(root))?;
        total.depth = total.depth.max(stats.depth);
        total.fields = total.fields.max(stats.fields);
        total.aliases = total.aliases.max(stats.aliases);
        total.cost = total.cost.max(stats.cost);
        total.directives = total.directives.max(
            stats
                .directives
                .saturating_add(operation.node.directives.len() as u64),
        );
    }
    let over = |what: &str, got: u64, max: u64| {
        format!("the query has {got} {what}; at most {max} are accepted")
    };
    if total.depth > limits.max_depth {
        return Err(refuse(
            "QUERY_TOO_DEEP",
            format!(
                "the query nests {} fields deep; at most {} are accepted",
                total.depth, limits.max_depth
            ),
        ));
    }
    if total.fields > limits.max_fields {
        return Err(refuse(
            "QUERY_TOO_COMPLEX",
            over(
                "fields once fragments are expanded",
                total.fields,
                limits.max_fields,
            ),
        ));
    }
    if total.aliases > limits.max_aliases {
        return Err(refuse(
            "TOO_MANY_ALIASES",
            over("aliases", total.aliases, limits.max_aliases),
        ));
    }
    if total.directives > limits.max_directives {
        return Err(refuse(
            "TOO_MANY_DIRECTIVES",
            over("directives", total.directives, limits.max_directives),
        ));
    }
    if total.cost > limits.max_cost {
        return Err(refuse(
            "QUERY_TOO_COSTLY",
            format!(
                "the query's cost is {} (page sizes times what each item selects); at most {} is accepted",
                total.cost, limits.max_cost
            ),
        ));
    }
    Ok((document, total))
}

#[cfg(test)]
mod tests;
