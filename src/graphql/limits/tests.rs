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
