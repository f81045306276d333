//! Limits checked on a GraphQL document before async-graphql parses,
//! validates or runs it. async-graphql expands a fragment again at every
//! spread, in validation and in execution, so a 1 KB document of nested
//! spreads can mean 2^30 fields; its own depth and complexity limits run
//! after that expansion. Here every fragment is measured once (memoised),
//! cycles are found first, and the totals are compared with the limits in
//! microseconds, whatever the document claims to expand to.

use std::collections::{HashMap, HashSet};

use async_graphql::Variables;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Value};

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
            max_cost: 10_000,
            max_batch: 5,
        }
    }
}

/// What a document asks for, fragments expanded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocumentStats {
    pub depth: usize,
    pub fields: u64,
    pub aliases: u64,
    pub directives: u64,
    /// Shopify-style requested cost: an object field costs 1, a scalar 0, and
    /// a field paged with `first`/`last` costs 2 plus its page size times its
    /// selection's cost.
    pub cost: u64,
}

/// A refused document: a stable code and a message for the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitError {
    pub code: &'static str,
    pub message: String,
}

fn refuse(code: &'static str, message: impl Into<String>) -> LimitError {
    LimitError {
        code,
        message: message.into(),
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

/// Parses `query` and measures it against `limits`; the parsed document is
/// returned so that it is parsed once.
pub fn check(
    query: &str,
    variables: &Variables,
    limits: &Limits,
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
    let document = async_graphql::parser::parse_query(query)
        .map_err(|e| refuse("GRAPHQL_PARSE_FAILED", e.to_string()))?;
    let mut measure = Measure {
        document: &document,
        variables,
        memo: HashMap::new(),
        visiting: HashSet::new(),
    };
    let mut total = DocumentStats::default();
    for (_, operation) in document.operations.iter() {
        let stats = measure.selection_set(&operation.node.selection_set.node)?;
        total.depth = total.depth.max(stats.depth);
        total.fields = total.fields.saturating_add(stats.fields);
        total.aliases = total.aliases.saturating_add(stats.aliases);
        total.cost = total.cost.saturating_add(stats.cost);
        total.directives = total
            .directives
            .saturating_add(stats.directives)
            .saturating_add(operation.node.directives.len() as u64);
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

struct Measure<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    memo: HashMap<Name, DocumentStats>,
    visiting: HashSet<Name>,
}

impl Measure<'_> {
    /// The page size a field asks for, if it is paged.
    fn page_size(&self, field: &async_graphql::parser::types::Field) -> Option<u64> {
        field.arguments.iter().find_map(|(name, value)| {
            if name.node != "first" && name.node != "last" {
                return None;
            }
            let value = value
                .node
                .clone()
                .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()))
                .ok()?;
            match value {
                Value::Number(n) => Some(n.as_u64().unwrap_or(0)),
                _ => None,
            }
        })
    }

    fn selection_set(&mut self, set: &SelectionSet) -> Result<DocumentStats, LimitError> {
        let mut total = DocumentStats::default();
        for item in &set.items {
            let stats = match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let inner = self.selection_set(&field.selection_set.node)?;
                    let is_object = !field.selection_set.node.items.is_empty();
                    let cost = match self.page_size(field) {
                        Some(n) => 2u64.saturating_add(n.saturating_mul(inner.cost)),
                        None => u64::from(is_object).saturating_add(inner.cost),
                    };
                    DocumentStats {
                        depth: inner.depth + 1,
                        fields: inner.fields.saturating_add(1),
                        aliases: inner
                            .aliases
                            .saturating_add(u64::from(field.alias.is_some())),
                        directives: inner
                            .directives
                            .saturating_add(field.directives.len() as u64),
                        cost,
                    }
                }
                Selection::InlineFragment(fragment) => {
                    let mut stats = self.selection_set(&fragment.node.selection_set.node)?;
                    stats.directives = stats
                        .directives
                        .saturating_add(fragment.node.directives.len() as u64);
                    stats
                }
                Selection::FragmentSpread(spread) => {
                    let mut stats = self.fragment(&spread.node.fragment_name.node)?;
                    stats.directives = stats
                        .directives
                        .saturating_add(spread.node.directives.len() as u64);
                    stats
                }
            };
            total.depth = total.depth.max(stats.depth);
            total.fields = total.fields.saturating_add(stats.fields);
            total.aliases = total.aliases.saturating_add(stats.aliases);
            total.directives = total.directives.saturating_add(stats.directives);
            total.cost = total.cost.saturating_add(stats.cost);
        }
        Ok(total)
    }

    fn fragment(&mut self, name: &Name) -> Result<DocumentStats, LimitError> {
        if let Some(stats) = self.memo.get(name) {
            return Ok(*stats);
        }
        // Unknown fragments are left to validation, which names them.
        let Some(definition) = self.document.fragments.get(name) else {
            return Ok(DocumentStats::default());
        };
        if !self.visiting.insert(name.clone()) {
            return Err(refuse(
                "FRAGMENT_CYCLE",
                format!("fragment `{name}` spreads itself"),
            ));
        }
        let mut stats = self.selection_set(&definition.node.selection_set.node)?;
        stats.directives = stats
            .directives
            .saturating_add(definition.node.directives.len() as u64);
        self.visiting.remove(name);
        self.memo.insert(name.clone(), stats);
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(query: &str) -> Result<DocumentStats, LimitError> {
        check(query, &Variables::default(), &Limits::default()).map(|(_, s)| s)
    }

    #[test]
    fn measures_cost_depth_and_fields() {
        let s = stats("{ pressReleases(first: 20) { nodes { title source { name } } } }").unwrap();
        assert_eq!(s.depth, 4);
        assert_eq!(s.fields, 5);
        // 2 + 20 × (nodes 1 + source 1)
        assert_eq!(s.cost, 42);
    }

    #[test]
    fn fragment_fan_out_is_counted_without_expanding_it() {
        let mut query = String::from("query { ...F0 }\n");
        for i in 0..40 {
            query.push_str(&format!(
                "fragment F{i} on QueryRoot {{ ...F{} ...F{} }}\n",
                i + 1,
                i + 1
            ));
        }
        query.push_str("fragment F40 on QueryRoot { fieldsOfWork { slug } }\n");
        let started = std::time::Instant::now();
        let error = stats(&query).unwrap_err();
        assert_eq!(error.code, "QUERY_TOO_COMPLEX");
        assert!(started.elapsed().as_millis() < 100);
    }

    #[test]
    fn refuses_cycles_depth_aliases_and_size() {
        let cycle = "{ ...A } fragment A on QueryRoot { ...B } fragment B on QueryRoot { ...A }";
        assert_eq!(stats(cycle).unwrap_err().code, "FRAGMENT_CYCLE");
        let deep = format!("{}{}", "{ a ".repeat(200), "}".repeat(200));
        assert_eq!(stats(&deep).unwrap_err().code, "QUERY_TOO_DEEP");
        let aliases: String = (0..200).map(|i| format!("a{i}: __typename ")).collect();
        assert_eq!(
            stats(&format!("{{ {aliases} }}")).unwrap_err().code,
            "TOO_MANY_ALIASES"
        );
        let big = format!("{{ __typename }} # {}", "x".repeat(40_000));
        assert_eq!(stats(&big).unwrap_err().code, "DOCUMENT_TOO_LARGE");
        let costly = "{ pressReleases(first: 100) { nodes { countries { pressReleases(first: 100) { nodes { title } } } } } }";
        assert_eq!(stats(costly).unwrap_err().code, "QUERY_TOO_COSTLY");
        assert_eq!(stats("{ a(").unwrap_err().code, "GRAPHQL_PARSE_FAILED");
        // Strings and comments do not count as nesting.
        assert!(stats("{ search(query: \"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\", first: 1) { totalCount } }").is_ok());
    }
}
