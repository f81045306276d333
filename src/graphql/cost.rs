//! What a field can return, for costing a document before it runs: which
//! fields are lists, of what, and how long such a list can be. A list
//! without `first`/`last` (`countries`, `fieldsOfWork`, `nodes(ids:)`,
//! introspection's `types`) costs its real length, not one element: 25
//! aliases of `countries { pressReleases(first: 100) { … } } }` must cost
//! what they would resolve (68 × 25 pages), or the limit bounds nothing.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_graphql::parser::types::{BaseType, TypeKind, TypeSystemDefinition};

/// The schema's fields: type → field → what it returns.
pub struct Shape {
    fields: HashMap<String, HashMap<String, Returns>>,
    /// What a whole `__schema` answer holds (every type, field, argument,
    /// enum value and type reference: about what GraphiQL's introspection
    /// query resolves), and one `__type` at most. Introspection's lists are
    /// nested (types × fields × args) but the schema is finite: their real
    /// cost is this constant, where the product of their lengths would
    /// refuse GraphiQL's own query.
    pub schema_cost: u64,
    pub type_cost: u64,
}

/// Objects in one type reference (`[Role!]!`: non-null, list, non-null, named).
const TYPE_REFERENCE: u64 = 4;

/// A field's result type: the named type inside, and whether it is a list.
#[derive(Clone, Debug)]
pub struct Returns {
    pub type_name: String,
    pub list: bool,
}

/// The schema's shape, read once from its own SDL.
pub static SHAPE: LazyLock<Shape> = LazyLock::new(|| Shape::of_sdl(&super::sdl()));

impl Shape {
    pub fn of_sdl(sdl: &str) -> Shape {
        let mut fields = HashMap::new();
        let (mut schema_cost, mut type_cost) = (0u64, 0u64);
        let Ok(document) = async_graphql::parser::parse_schema(sdl) else {
            // The schema's own SDL always parses; an empty shape would only
            // cost lists as one element, as before.
            return Shape {
                fields,
                schema_cost: 0,
                type_cost: 0,
            };
        };
        for definition in document.definitions {
            let TypeSystemDefinition::Type(definition) = definition else {
                continue;
            };
            let definition = definition.node;
            let members = match &definition.kind {
                TypeKind::Object(object) => Some(&object.fields),
                TypeKind::Interface(interface) => Some(&interface.fields),
                _ => None,
            };
            let cost =
                1 + match &definition.kind {
                    TypeKind::Object(o) => o.implements.len() as u64,
                    TypeKind::Interface(i) => i.implements.len() as u64,
                    TypeKind::Enum(e) => e.values.len() as u64,
                    TypeKind::InputObject(i) => i.fields.len() as u64 * (1 + TYPE_REFERENCE),
                    TypeKind::Union(u) => u.members.len() as u64,
                    TypeKind::Scalar => 0,
                } + members.map_or(0, |members| {
                    members
                        .iter()
                        .map(|f| {
                            1 + TYPE_REFERENCE
                                + f.node.arguments.len() as u64 * (1 + TYPE_REFERENCE)
                        })
                        .sum()
                });
            schema_cost += cost;
            type_cost = type_cost.max(cost);
            let Some(members) = members else { continue };
            let mut by_name = HashMap::new();
            for field in members {
                let field = &field.node;
                by_name.insert(field.name.node.to_string(), returns(&field.ty.node.base));
            }
            fields.insert(definition.name.node.to_string(), by_name);
        }
        // The introspection types and the directives, beside the schema's.
        Shape {
            fields,
            schema_cost: schema_cost + 200,
            type_cost,
        }
    }

    /// What `field` of `parent` returns, if both are known (not for
    /// introspection, which `schema_cost` and `type_cost` price whole).
    pub fn field(&self, parent: &str, field: &str) -> Option<Returns> {
        self.fields.get(parent)?.get(field).cloned()
    }

    /// How long an unpaged list of `element`s returned by `parent.field`
    /// can be, by `sizes`; `units_above` is the product of the lengths of
    /// the unit lists above it in the document (see `ListSizes`).
    pub fn list_length(
        &self,
        parent: &str,
        field: &str,
        element: &str,
        sizes: &ListSizes,
        units_above: u64,
    ) -> u64 {
        // A connection's `edges` and `nodes` are its page, which the paged
        // field above already multiplied by.
        if parent.ends_with("Connection") {
            return 1;
        }
        sizes.length(parent, field, element, units_above)
    }
}

fn returns(base: &BaseType) -> Returns {
    match base {
        BaseType::Named(name) => Returns {
            type_name: name.to_string(),
            list: false,
        },
        BaseType::List(inner) => Returns {
            list: true,
            ..returns(&inner.base)
        },
    }
}

/// How many items an unpaged list can hold. A root list (`countries`,
/// `fieldsOfWork`, `orgUnits`…) and a facet's counts hold up to the
/// catalog's real count; a unit's `children`, nested, hold together at most
/// every unit once (a tree), so a level below others gets what the units
/// above leave; a role list up to the most roles anyone holds; a record's
/// own relations (a release's countries or people, a meeting's fields)
/// up to `RELATION_ESTIMATE` (most hold one to three), an estimate that
/// the answer's size limit backs.
#[derive(Clone, Debug)]
pub struct ListSizes {
    counts: CatalogCounts,
}

/// Items assumed in a record's relation list.
pub const RELATION_ESTIMATE: u64 = 10;

impl Default for ListSizes {
    /// Before the catalog is read: bounds above the reference data's
    /// counts (57 participating States and 11 Partners, 23 fields of
    /// work…).
    fn default() -> Self {
        Self::of_counts(CatalogCounts {
            countries: 100,
            fields_of_work: 50,
            org_units: 300,
            roles_per_holder: 50,
        })
    }
}

/// The catalog's counts that bound its lists.
#[derive(Clone, Copy, Debug)]
pub struct CatalogCounts {
    pub countries: u64,
    pub fields_of_work: u64,
    pub org_units: u64,
    /// The most roles one person holds or one unit has.
    pub roles_per_holder: u64,
}

/// Chairpersonships and facet years: one a year since 1991, with room.
const YEARS: u64 = 60;

impl ListSizes {
    pub fn of_counts(counts: CatalogCounts) -> Self {
        Self { counts }
    }

    fn catalog_count(&self, element: &str) -> Option<u64> {
        let c = &self.counts;
        Some(match element {
            "Country" | "CountryCount" => c.countries,
            "FieldOfWork" | "FieldOfWorkCount" => c.fields_of_work,
            "OrgUnit" | "OrgUnitCount" => c.org_units,
            "Role" => c.roles_per_holder,
            "Chairpersonship" | "YearCount" => YEARS,
            _ => return None,
        })
    }

    fn length(&self, parent: &str, field: &str, element: &str, units_above: u64) -> u64 {
        let whole = self.catalog_count(element);
        let length = match (parent, field) {
            ("Query" | "PressReleaseFacets", _) => whole.unwrap_or(RELATION_ESTIMATE),
            (_, "children") => {
                (self.counts.org_units / units_above.max(1)).min(self.counts.org_units)
            }
            // A path from the root: as deep as the tree, which is shallow.
            (_, "ancestors") => RELATION_ESTIMATE.min(self.counts.org_units),
            (_, "roles") => self.counts.roles_per_holder,
            _ => whole.map_or(RELATION_ESTIMATE, |n| n.min(RELATION_ESTIMATE)),
        };
        length.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_knows_its_lists() {
        let countries = SHAPE.field("Query", "countries").unwrap();
        assert!(countries.list);
        assert_eq!(countries.type_name, "Country");
        assert!(!SHAPE.field("Query", "pressRelease").unwrap().list);
        // GraphiQL's introspection fits the default limit, twice over.
        assert!(
            SHAPE.schema_cost > 500 && SHAPE.schema_cost < 5_000,
            "{}",
            SHAPE.schema_cost
        );
        let sizes = ListSizes::default();
        assert_eq!(
            SHAPE.list_length("Query", "countries", "Country", &sizes, 1),
            100
        );
        assert_eq!(
            SHAPE.list_length("PressRelease", "countries", "Country", &sizes, 1),
            RELATION_ESTIMATE
        );
        assert_eq!(
            SHAPE.list_length("PressReleaseConnection", "nodes", "PressRelease", &sizes, 1),
            1
        );
        // Nested children share the units: 300 at the top leaves 1 below.
        assert_eq!(
            SHAPE.list_length("OrgUnit", "children", "OrgUnit", &sizes, 300),
            1
        );
        assert_eq!(
            SHAPE.list_length("OrgUnit", "children", "OrgUnit", &sizes, 1),
            300
        );
    }
}
