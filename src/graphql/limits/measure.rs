//! The walk over a document that measures it: depth, fields, aliases,
//! directives and cost, each fragment once.

use std::collections::{HashMap, HashSet};

use async_graphql::Variables;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Value};

use super::{DocumentStats, LimitError, SEARCH_COST, refuse};
use crate::graphql::cost::{ListSizes, Shape};

pub(super) struct Measure<'a> {
    pub(super) document: &'a ExecutableDocument,
    pub(super) variables: &'a Variables,
    pub(super) shape: &'a Shape,
    pub(super) sizes: &'a ListSizes,
    /// The product of the lengths of the unit lists enclosing the field
    /// being measured (units form a tree: nested `children` share them).
    pub(super) units_above: u64,
    /// Each fragment's stats, for the unit lists enclosing its spread.
    pub(super) memo: HashMap<(Name, u64), DocumentStats>,
    pub(super) visiting: HashSet<Name>,
    /// Each fragment's deepest nesting of introspection type lists.
    pub(super) type_lists: HashMap<Name, u64>,
}

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
    /// An argument's value, variables substituted as the operation will see
    /// them (the request's, else the definition's default, else null: a
    /// non-null variable left unset fails validation before anything runs).
    fn argument(&self, field: &async_graphql::parser::types::Field, wanted: &str) -> Option<Value> {
        field
            .arguments
            .iter()
            .find_map(|(name, value)| {
                (name.node == wanted).then(|| {
                    value.node.clone().into_const_with(|name| {
                        Ok::<_, std::convert::Infallible>(
                            self.variables.get(&name).cloned().unwrap_or(Value::Null),
                        )
                    })
                })
            })
            .and_then(Result::ok)
    }

    /// The page size a field asks for, if it is paged.
    fn page_size(&self, field: &async_graphql::parser::types::Field) -> Option<u64> {
        ["first", "last"]
            .iter()
            .find_map(|name| match self.argument(field, name)? {
                Value::Number(n) => Some(n.as_u64().unwrap_or(0)),
                _ => None,
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
        if let Some(Value::List(ids)) = self.argument(field, "ids") {
            return ids.len() as u64;
        }
        self.shape.list_length(
            parent,
            &field.name.node,
            element,
            self.sizes,
            self.units_above,
        )
    }

    pub(super) fn selection_set(
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
                    let searches = matches!(self.argument(field, "search"), Some(Value::String(_)))
                        || (parent == Some("Query") && field.name.node == "search");
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
