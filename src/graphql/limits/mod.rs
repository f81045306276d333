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

use super::cost::{ListSizes, SHAPE, Shape};

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
        let stats = measure.selection_set(&operation.node.selection_set.node, Some("Query"))?;
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

struct Measure<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    shape: &'a Shape,
    sizes: &'a ListSizes,
    /// The product of the lengths of the unit lists enclosing the field
    /// being measured (units form a tree: nested `children` share them).
    units_above: u64,
    /// Each fragment's stats, for the unit lists enclosing its spread.
    memo: HashMap<(Name, u64), DocumentStats>,
    visiting: HashSet<Name>,
    /// Each fragment's deepest nesting of introspection type lists.
    type_lists: HashMap<Name, u64>,
}

/// A page size given by a variable the request does not set, nor defaults:
/// validation refuses it later; until then, the largest page.
const UNRESOLVED_PAGE: u64 = crate::graphql::connection::MAX_PAGE as u64;

/// `__Type`'s lists of what a type holds: selecting one inside another
/// multiplies (every field's type's fields…).
const TYPE_LISTS: [&str; 5] = [
    "fields",
    "interfaces",
    "possibleTypes",
    "inputFields",
    "enumValues",
];

/// How deep those lists may nest under `__schema` (GraphiQL's own query
/// selects them once per type) and under `__type(name:)`.
const SCHEMA_TYPE_LISTS: u64 = 1;
const TYPE_TYPE_LISTS: u64 = 2;

impl Measure<'_> {
    /// An argument's value, variables substituted.
    fn argument(&self, field: &async_graphql::parser::types::Field, wanted: &str) -> Option<Value> {
        field.arguments.iter().find_map(|(name, value)| {
            (name.node == wanted)
                .then(|| {
                    value
                        .node
                        .clone()
                        .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()))
                        .ok()
                })
                .flatten()
        })
    }

    /// Whether the field is given `wanted` at all (a literal or a variable).
    fn has_argument(field: &async_graphql::parser::types::Field, wanted: &str) -> bool {
        field.arguments.iter().any(|(name, _)| name.node == wanted)
    }

    /// The page size a field asks for, if it is paged (the largest page
    /// for a variable that resolves to nothing).
    fn page_size(&self, field: &async_graphql::parser::types::Field) -> Option<u64> {
        ["first", "last"].iter().find_map(|name| {
            if !Self::has_argument(field, name) {
                return None;
            }
            match self.argument(field, name) {
                Some(Value::Number(n)) => Some(n.as_u64().unwrap_or(0)),
                Some(Value::Null) => None,
                _ => Some(UNRESOLVED_PAGE),
            }
        })
    }

    /// The deepest nesting of `__Type` lists in `set` (fragments followed,
    /// each measured once).
    fn type_list_depth(&mut self, set: &SelectionSet) -> u64 {
        let mut deepest = 0;
        for item in &set.items {
            let depth = match &item.node {
                Selection::Field(field) => {
                    let inner = self.type_list_depth(&field.node.selection_set.node);
                    inner + u64::from(TYPE_LISTS.contains(&field.node.name.node.as_str()))
                }
                Selection::InlineFragment(fragment) => {
                    self.type_list_depth(&fragment.node.selection_set.node)
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if let Some(depth) = self.type_lists.get(name) {
                        *depth
                    } else {
                        // Cycles were refused by the cost walk, which runs first.
                        self.type_lists.insert(name.clone(), 0);
                        let depth = match self.document.fragments.get(name) {
                            Some(definition) => {
                                self.type_list_depth(&definition.node.selection_set.node)
                            }
                            None => 0,
                        };
                        self.type_lists.insert(name.clone(), depth);
                        depth
                    }
                }
            };
            deepest = deepest.max(depth);
        }
        deepest
    }

    /// How long the unpaged list `field` of `parent` can be.
    fn list_length(
        &self,
        field: &async_graphql::parser::types::Field,
        parent: &str,
        element: &str,
    ) -> u64 {
        // `nodes(ids:)` returns one item per id.
        match self.argument(field, "ids") {
            Some(Value::List(ids)) => return ids.len() as u64,
            None if Self::has_argument(field, "ids") => {
                return crate::graphql::query::nodes::MAX_IDS as u64;
            }
            _ => {}
        }
        self.shape.list_length(
            parent,
            &field.name.node,
            element,
            self.sizes,
            self.units_above,
        )
    }

    fn selection_set(
        &mut self,
        set: &SelectionSet,
        parent: Option<&str>,
    ) -> Result<DocumentStats, LimitError> {
        let mut total = DocumentStats::default();
        for item in &set.items {
            let stats = match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    // Unknown fields are left to validation, which names them.
                    let returns = parent.and_then(|p| self.shape.field(p, &field.name.node));
                    let is_object = !field.selection_set.node.items.is_empty();
                    // Units form a tree: the `children` of a list of units
                    // hold each unit once at most, so a chain of `children`
                    // shares the units above it. Any other field (a unit's
                    // `parent`, a release's `source`) starts afresh: going
                    // up and down again visits units more than once.
                    let outer_units = self.units_above;
                    self.units_above = match (&returns, parent) {
                        (Some(r), Some(parent)) if r.list && r.type_name == "OrgUnit" => {
                            let length = self.list_length(field, parent, "OrgUnit");
                            if field.name.node == "children" {
                                outer_units.saturating_mul(length)
                            } else {
                                length
                            }
                        }
                        _ => 1,
                    };
                    let inner = self.selection_set(
                        &field.selection_set.node,
                        returns.as_ref().map(|r| r.type_name.as_str()),
                    );
                    self.units_above = outer_units;
                    let inner = inner?;
                    let introspection = match field.name.node.as_str() {
                        "__schema" => Some(SCHEMA_TYPE_LISTS),
                        "__type" => Some(TYPE_TYPE_LISTS),
                        _ => None,
                    };
                    if let Some(allowed) = introspection
                        && self.type_list_depth(&field.selection_set.node) > allowed
                    {
                        return Err(refuse(
                            "QUERY_TOO_COSTLY",
                            format!(
                                "`{}` nests a type's lists (fields, interfaces, possibleTypes…) \
                                 more than {allowed} deep; ask for the types you need by name",
                                field.name.node
                            ),
                        ));
                    }
                    let cost = match (
                        field.name.node.as_str(),
                        self.page_size(field),
                        &returns,
                        parent,
                    ) {
                        ("__schema", ..) => self.shape.schema_cost,
                        ("__type", ..) => self.shape.type_cost,
                        (_, Some(n), _, _) => 2u64.saturating_add(n.saturating_mul(inner.cost)),
                        (_, None, Some(returns), Some(parent)) if returns.list && is_object => self
                            .list_length(field, parent, &returns.type_name)
                            .saturating_mul(1u64.saturating_add(inner.cost)),
                        _ => u64::from(is_object).saturating_add(inner.cost),
                    };
                    // A full-text search holds a database connection for as
                    // long as its matches take to rank, whatever the page.
                    let searches = match self.argument(field, "search") {
                        Some(Value::String(_)) => true,
                        Some(Value::Null) => false,
                        _ => Self::has_argument(field, "search"),
                    } || (parent == Some("Query") && field.name.node == "search");
                    let cost = cost.saturating_add(if searches { SEARCH_COST } else { 0 });
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
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str())
                        .or(parent);
                    let mut stats = self.selection_set(&fragment.node.selection_set.node, on)?;
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
        let key = (name.clone(), self.units_above);
        if let Some(stats) = self.memo.get(&key) {
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
        let on = definition.node.type_condition.node.on.node.as_str();
        let mut stats = self.selection_set(&definition.node.selection_set.node, Some(on))?;
        stats.directives = stats
            .directives
            .saturating_add(definition.node.directives.len() as u64);
        self.visiting.remove(name);
        self.memo.insert(key, stats);
        Ok(stats)
    }
}

#[cfg(test)]
mod tests;
