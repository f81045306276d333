//! Pages and their `next` links, through whole lists.

use std::collections::BTreeSet;

use serde_json::json;

use super::{csv_rows, ok_json, with_corpus};
use crate::support::Backend;

pub(super) async fn pages_follow_next_links_through_the_whole_list(backend: Backend) {
    let Some((db, app)) = with_corpus(backend, 300).await else {
        return;
    };
    for (rest_filter, graphql_filter) in [
        ("", json!({})),
        (
            "country=am,az&date_from=2010-01-01",
            json!({"countries": ["AM", "AZ"], "dateFrom": "2010-01-01"}),
        ),
    ] {
        let graphql = app.graphql_data("query($f: PressReleaseFilterInput) { pressReleases(filter: $f, first: 100) { totalCount nodes { slug } } }",
            json!({ "f": graphql_filter }),
        )
        .await;
        let total = graphql["pressReleases"]["totalCount"].as_u64().unwrap();
        let mut uri = format!("/api/v1/press-releases?limit=37&fields=slug&{rest_filter}");
        let mut slugs = Vec::new();
        let mut pages = 0;
        loop {
            let answer = app.get(&uri).await;
            assert_eq!(answer.status, 200, "{}", answer.text());
            let page = answer.json();
            assert_eq!(page["total_count"].as_u64(), Some(total));
            for item in page["items"].as_array().unwrap() {
                assert_eq!(item.as_object().unwrap().len(), 1, "only `slug`: {item}");
                slugs.push(item["slug"].as_str().unwrap().to_string());
            }
            pages += 1;
            match page["next"].as_str() {
                Some(next) => {
                    assert_eq!(
                        answer.header_opt("link"),
                        Some(format!("<{next}>; rel=\"next\"").as_str())
                    );
                    uri = next.to_string();
                }
                None => {
                    assert!(answer.header_opt("link").is_none());
                    break;
                }
            }
        }
        assert_eq!(slugs.len() as u64, total);
        assert_eq!(pages, total.div_ceil(37).max(1));
        let unique: BTreeSet<&String> = slugs.iter().collect();
        assert_eq!(unique.len(), slugs.len(), "a page repeated a release");
        // The same order as GraphQL's (one query path).
        let first_graphql: Vec<&str> = graphql["pressReleases"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["slug"].as_str().unwrap())
            .collect();
        assert_eq!(
            first_graphql,
            slugs
                .iter()
                .take(100)
                .map(String::as_str)
                .collect::<Vec<_>>()
        );
    }
    // Keyset lists (meetings, people) and short lists (units) page the same way.
    for (list, limit) in [("meetings", 100), ("people", 40), ("org-units", 7)] {
        let mut uri = format!("/api/v1/{list}?limit={limit}&fields=slug");
        let mut slugs = Vec::new();
        loop {
            let page = ok_json(&app, &uri).await;
            slugs.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["slug"].as_str().unwrap().to_string()),
            );
            match page["next"].as_str() {
                Some(next) => uri = next.to_string(),
                None => break,
            }
        }
        let export = app.get(&format!("/api/v1/{list}.csv?fields=slug")).await;
        let exported: Vec<String> = csv_rows(&export.text())
            .into_iter()
            .skip(1)
            .map(|r| r[0].clone())
            .collect();
        assert_eq!(slugs, exported, "{list}: pages and export differ");
    }
    db.cleanup().await;
}
