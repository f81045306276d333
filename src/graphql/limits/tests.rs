use super::*;

fn stats(query: &str) -> Result<DocumentStats, LimitError> {
    check(
        query,
        &Variables::default(),
        &Limits::default(),
        &ListSizes::default(),
    )
    .map(|(_, s)| s)
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
            "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
            i + 1,
            i + 1
        ));
    }
    query.push_str("fragment F40 on Query { fieldsOfWork { slug } }\n");
    let started = std::time::Instant::now();
    let error = stats(&query).unwrap_err();
    assert_eq!(error.code, "QUERY_TOO_COMPLEX");
    assert!(started.elapsed().as_millis() < 100);
}

#[test]
fn refuses_cycles_depth_aliases_and_size() {
    let cycle = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
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

#[test]
fn unpaged_lists_cost_their_length() {
    let sizes = ListSizes::of_counts(crate::graphql::cost::CatalogCounts {
        countries: 68,
        fields_of_work: 23,
        org_units: 40,
        roles_per_holder: 5,
    });
    let measure = |query: &str| {
        check(query, &Variables::default(), &Limits::default(), &sizes).map(|(_, s)| s)
    };
    // 68 countries × (1 + a page of 2 + 100 × (nodes 1 + source 1 + 23 fields)).
    let one = "{ countries { code pressReleases(first: 100) { nodes { slug source { name } fieldsOfWork { name } } } } }";
    assert_eq!(measure(one).unwrap_err().code, "QUERY_TOO_COSTLY");
    let aliases: String = (0..25)
        .map(|i| {
            format!("c{i}: countries {{ code pressReleases(first: 100) {{ nodes {{ slug }} }} }} ")
        })
        .collect();
    let error = measure(&format!("{{ {aliases} }}")).unwrap_err();
    assert_eq!(error.code, "QUERY_TOO_COSTLY");
    // A list of scalars, or of catalog entries selected cheaply, stays cheap.
    assert_eq!(measure("{ countries { code name } }").unwrap().cost, 68);
    assert_eq!(measure("{ fieldsOfWork { slug } }").unwrap().cost, 23);
    // A search costs its ranking beside its page.
    let search = r#"{ pressReleases(search: "ceasefire", first: 10) { totalCount } }"#;
    assert_eq!(measure(search).unwrap().cost, 2 + SEARCH_COST);
    // `nodes(ids:)` costs one per id, variables too.
    let nodes = r#"query($ids: [ID!]!) { nodes(ids: $ids) { id ... on PressRelease { title source { name } } } }"#;
    let variables = Variables::from_json(serde_json::json!({ "ids": ["a", "b", "c"] }));
    let (_, stats) = check(nodes, &variables, &Limits::default(), &sizes).unwrap();
    assert_eq!(stats.cost, 3 * (1 + 1));
    // Introspection's lists count their members.
    // Introspection costs what the whole schema holds, however it is selected.
    let introspection =
        measure("{ __schema { types { name fields { name args { name } } } } }").unwrap();
    assert_eq!(introspection.cost, SHAPE.schema_cost);
    let many = Limits::default().max_cost / SHAPE.schema_cost + 1;
    let aliases: String = (0..many)
        .map(|i| format!("s{i}: __schema {{ types {{ name }} }} "))
        .collect();
    assert_eq!(
        measure(&format!("{{ {aliases} }}")).unwrap_err().code,
        "QUERY_TOO_COSTLY"
    );
}

fn measured(query: &str, variables: serde_json::Value) -> Result<DocumentStats, LimitError> {
    let sizes = ListSizes::of_counts(crate::graphql::cost::CatalogCounts {
        countries: 68,
        fields_of_work: 23,
        org_units: 43,
        roles_per_holder: 5,
    });
    check(
        query,
        &Variables::from_json(variables),
        &Limits::default(),
        &sizes,
    )
    .map(|(_, s)| s)
}

#[test]
fn going_up_and_down_the_tree_costs_every_visit() {
    // A chain of `children` holds each unit once per level: cheap.
    let down = measured(
        "{ orgUnits { children { children { children { slug } } } } }",
        serde_json::json!({}),
    )
    .unwrap();
    assert!(down.cost <= 43 * 4, "{}", down.cost);
    // Up through `parent` and down again visits the same units again: each
    // `children` is a full list (13 units under field-operations became
    // 13^7 units in 15 levels, priced at 560 before).
    let mut zigzag = String::from("{ slug }");
    for _ in 0..2 {
        zigzag = format!("{{ children {{ parent {zigzag} }} }}");
    }
    let query = format!("{{ orgUnit(slug: \"field-operations\") {zigzag} }}");
    let zigzag = measured(&query, serde_json::json!({})).unwrap();
    assert!(zigzag.cost >= 43 * 43, "{}", zigzag.cost);
    let mut deeper = String::from("{ slug }");
    for _ in 0..3 {
        deeper = format!("{{ children {{ parent {deeper} }} }}");
    }
    let query = format!("{{ orgUnit(slug: \"field-operations\") {deeper} }}");
    assert_eq!(
        measured(&query, serde_json::json!({})).unwrap_err().code,
        "QUERY_TOO_COSTLY"
    );
}

#[test]
fn variables_cost_their_defaults_and_unset_ones_nothing() {
    let nested = "countries { pressReleases(first: $n) { nodes { countries { pressReleases(first: $n) { nodes { slug } } } } } }";
    let with_default = format!("query($n: Int = 100) {{ {nested} }}");
    assert_eq!(
        measured(&with_default, serde_json::json!({}))
            .unwrap_err()
            .code,
        "QUERY_TOO_COSTLY"
    );
    // The same with a small page sent is cheap.
    let small = measured(&with_default, serde_json::json!({ "n": 1 })).unwrap();
    assert!(small.cost < 5_000, "{}", small.cost);
    // A variable neither sent nor defaulted is null, as when it runs: a
    // page variable left out beside one that is given costs nothing.
    let either = "query($first: Int, $last: Int) { pressReleases(first: $first, last: $last) { nodes { slug } } }";
    assert_eq!(
        measured(either, serde_json::json!({ "last": 5 }))
            .unwrap()
            .cost,
        2 + 5
    );
    // `nodes(ids:)` by a default list, and a search by a default string.
    let ids = r#"query($ids: [ID!]! = ["a", "b", "c", "d"]) { nodes(ids: $ids) { id } }"#;
    assert_eq!(measured(ids, serde_json::json!({})).unwrap().cost, 4);
    let search =
        r#"query($s: String = "ceasefire") { pressReleases(search: $s, first: 1) { totalCount } }"#;
    assert_eq!(
        measured(search, serde_json::json!({})).unwrap().cost,
        2 + SEARCH_COST
    );
}

#[test]
fn introspection_may_not_nest_type_lists() {
    // GraphiQL's own query shape: each type's lists once.
    let graphiql = "{ __schema { types { name fields { name args { name type { name ofType { name } } } type { name } } interfaces { name } possibleTypes { name } enumValues { name } inputFields { name } } } }";
    assert!(measured(graphiql, serde_json::json!({})).is_ok());
    let by_name =
        r#"{ __type(name: "PressRelease") { fields { name type { fields { name } } } } }"#;
    assert!(measured(by_name, serde_json::json!({})).is_ok());
    for nested in [
        r#"{ __type(name: "Node") { possibleTypes { interfaces { possibleTypes { name } } } } }"#,
        "{ __schema { types { fields { type { fields { name } } } } } }",
        "query { __schema { types { ...T } } } fragment T on __Type { possibleTypes { interfaces { name } } }",
    ] {
        let error = measured(nested, serde_json::json!({})).unwrap_err();
        assert_eq!(error.code, "QUERY_TOO_COSTLY", "{nested}");
    }
}

#[test]
fn a_document_costs_its_largest_operation() {
    // Two operations of 15,002 each: one runs, so the document fits.
    let op = |name: &str| {
        format!(
            "query {name} {{ pressReleases(first: 100) {{ nodes {{ countries {{ pressReleases(first: 15) {{ nodes {{ slug }} }} }} }} }} }}"
        )
    };
    let one = measured(&op("A"), serde_json::json!({})).unwrap().cost;
    assert!(
        one * 2 > Limits::default().max_cost && one <= Limits::default().max_cost,
        "{one}"
    );
    let both = measured(&format!("{} {}", op("A"), op("B")), serde_json::json!({})).unwrap();
    assert_eq!(both.cost, one);
}
