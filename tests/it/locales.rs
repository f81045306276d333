//! Translations with language fallback, as a reader sees them: negotiation
//! of `Accept-Language`, lists that give each release once in its best
//! language (saying which), searches of the served text stemmed per
//! language, `Vary` only when the header decided, and configuration
//! errors at start.

use std::process::Command;

use serde_json::{Value, json};

use crate::support::{Backend, TestApp, TestDb, import_text};

fn release(slug: &str, language: &str, title: &str, summary: Option<&str>, body: &str) -> Value {
    json!({
        "type": "press_release", "slug": slug, "title": title, "date": "2024-05-02",
        "source": "secretariat", "fields_of_work": ["elections"], "countries": ["AM"],
        "language": language, "summary": summary, "body_html": format!("<p>{body}</p>"),
        "published_at": "2024-05-02T09:00:00Z", "updated_at": "2024-05-02T09:00:00Z"
    })
}

fn translation(language: &str, title: &str, summary: Option<&str>, body: &str) -> Value {
    json!({ "language": language, "title": title, "summary": summary,
            "body_html": format!("<p>{body}</p>") })
}

/// Four releases: English with a Russian translation (without a summary),
/// English alone, Russian alone, English with a French translation.
fn corpus() -> String {
    let mut with_ru = release(
        "observers-en-ru",
        "en",
        "Observers welcome the conduct of the vote",
        Some("The election was well organised."),
        "International observers said the parliamentary elections were competitive.",
    );
    with_ru["translations"] = json!([translation(
        "ru",
        "Наблюдатели приветствуют проведение голосования",
        None,
        "Международные наблюдатели заявили, что парламентские выборы были конкурентными. \
         Наблюдатели посетили избирательные участки в день выборов."
    )]);
    let english = release(
        "training-en",
        "en",
        "Training for election administrators",
        Some("Officials trained."),
        "A workshop for polling station staff.",
    );
    let russian = release(
        "seminar-ru",
        "ru",
        "Семинар для журналистов",
        Some("Журналисты обсудили освещение кампании."),
        "Участники семинара обсудили свободу СМИ.",
    );
    let mut with_fr = release(
        "statement-en-fr",
        "en",
        "Statement on media freedom",
        Some("A statement."),
        "The Representative called for the release of journalists.",
    );
    with_fr["translations"] = json!([translation(
        "fr",
        "Déclaration sur la liberté des médias",
        Some("Une déclaration."),
        "La Représentante a appelé à la libération des journalistes."
    )]);
    [with_ru, english, russian, with_fr]
        .iter()
        .map(|r| r.to_string() + "\n")
        .collect()
}

async fn app(backend: Backend) -> Option<(TestDb, TestApp)> {
    let db = TestDb::prepared(backend).await?;
    import_text(&db.conn, corpus()).await;
    let app = TestApp::new(db.state());
    Some((db, app))
}

const SLUGS: &str = r#"slugs: ["observers-en-ru", "training-en", "seminar-ru", "statement-en-fr"]"#;

async fn accept_language_is_negotiated_by_rfc_4647_lookup(backend: Backend) {
    let Some((db, app)) = app(backend).await else {
        return;
    };
    let uri = "/api/v1/press-releases/statement-en-fr";
    for (header, served) in [
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("*", "en"),
        ("xx", "en"),
        ("fr-CH, fr;q=0", "en"),
        ("de;q=0.5, fr;q=0.7", "fr"),
        ("fr;q=0, *", "en"),
    ] {
        let reply = app.get_with(uri, &[("accept-language", header)]).await;
        assert_eq!(reply.status_u16(), 200, "{header}");
        assert_eq!(reply.header("content-language"), served, "{header}");
        assert!(
            reply.header("vary").contains("accept-language"),
            "{header}: {}",
            reply.header("vary")
        );
        let body = reply.json();
        assert_eq!(body["served_locale"], served, "{header}");
        assert_eq!(body["available_locales"], json!(["en", "fr"]));
        let title = if served == "fr" {
            "Déclaration sur la liberté des médias"
        } else {
            "Statement on media freedom"
        };
        assert_eq!(body["title"], title, "{header}");
    }
    // `?locale=` decides: no `Vary`, whatever the header says.
    let reply = app
        .get_with(&format!("{uri}?locale=fr"), &[("accept-language", "en")])
        .await;
    assert_eq!(reply.header("content-language"), "fr");
    assert!(!reply.header("vary").contains("accept-language"));
    assert_eq!(reply.json()["is_fallback"], false);
    // A language the service does not serve is the client's mistake.
    let reply = app.get(&format!("{uri}?locale=xx")).await;
    assert_eq!(reply.status_u16(), 400);
    db.cleanup().await;
}

async fn a_mixed_list_gives_each_release_once_in_its_best_language(backend: Backend) {
    let Some((db, app)) = app(backend).await else {
        return;
    };
    let query = r#"query($fallback: [String!]) { pressReleases(first: 10, locale: "ru", fallback: $fallback, filter: { dateFrom: "2024-05-02", dateTo: "2024-05-02" }) {
            totalCount edges { node { slug title summary servedLocale isFallback availableLocales } } } }"#;
    let data = app.graphql_data(query, json!({})).await;
    let nodes: Vec<&Value> = data["pressReleases"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .collect();
    assert_eq!(nodes.len(), 4, "{data}");
    let by_slug = |slug: &str| *nodes.iter().find(|n| n["slug"] == slug).unwrap();
    let translated = by_slug("observers-en-ru");
    assert_eq!(translated["servedLocale"], "ru");
    assert_eq!(
        translated["title"],
        "Наблюдатели приветствуют проведение голосования"
    );
    // The translation has no summary: that field alone falls back.
    assert_eq!(translated["summary"], "The election was well organised.");
    assert_eq!(translated["isFallback"], true);
    assert_eq!(translated["availableLocales"], json!(["en", "ru"]));
    assert_eq!(by_slug("seminar-ru")["servedLocale"], "ru");
    assert_eq!(by_slug("seminar-ru")["isFallback"], false);
    assert_eq!(by_slug("training-en")["servedLocale"], "en");
    assert_eq!(by_slug("training-en")["isFallback"], true);
    assert_eq!(by_slug("statement-en-fr")["servedLocale"], "en");
    // `fallback: []`: only the releases that exist in Russian.
    let data = app.graphql_data(query, json!({ "fallback": [] })).await;
    let mut slugs: Vec<&str> = data["pressReleases"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["slug"].as_str().unwrap())
        .collect();
    slugs.sort();
    assert_eq!(slugs, ["observers-en-ru", "seminar-ru"]);
    assert_eq!(data["pressReleases"]["totalCount"], 2);
    // The same over REST.
    let reply = app
        .get("/api/v1/press-releases?locale=ru&fallback=none&date_from=2024-05-02&date_to=2024-05-02")
        .await;
    let body = reply.json();
    assert_eq!(body["total_count"], 2, "{body}");
    assert_eq!(reply.header("content-language"), "ru");
    db.cleanup().await;
}

async fn locale_cascades_to_nested_lists_unless_overridden(backend: Backend) {
    let Some((db, app)) = app(backend).await else {
        return;
    };
    let nested = |locale: &str| {
        format!(
            r#"{{ pressRelease(slug: "observers-en-ru", locale: "ru") {{ servedLocale
                source {{ pressReleases(first: 20{locale}, filter: {{ {SLUGS_FILTER} }}) {{ edges {{ node {{ slug servedLocale }} }} }} }} }} }}"#,
            SLUGS_FILTER = "dateFrom: \"2024-05-02\", dateTo: \"2024-05-02\""
        )
    };
    let served = |data: &Value| -> String {
        data["pressRelease"]["source"]["pressReleases"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["node"]["slug"] == "observers-en-ru")
            .unwrap()["node"]["servedLocale"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let data = app.graphql_data(&nested(""), json!({})).await;
    assert_eq!(data["pressRelease"]["servedLocale"], "ru");
    assert_eq!(served(&data), "ru", "the nested list inherits the locale");
    let data = app
        .graphql_data(&nested(r#", locale: "en""#), json!({}))
        .await;
    assert_eq!(served(&data), "en", "a nested locale overrides");
    let _ = SLUGS;
    db.cleanup().await;
}

async fn a_russian_search_finds_another_form_of_the_word(backend: Backend) {
    let Some((db, app)) = app(backend).await else {
        return;
    };
    let search = |text: &str, locale: &str| {
        let text = text.to_owned();
        let locale = locale.to_owned();
        let app = &app;
        async move {
            let data = app
                .graphql_data(
                    "query($s: String!, $l: String!) { pressReleases(first: 10, search: $s, locale: $l) { edges { node { slug servedLocale } } } }",
                    json!({ "s": text, "l": locale }),
                )
                .await;
            data["pressReleases"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["slug"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    // The translation says «выборы» and «выборов»; the query «выборах».
    assert_eq!(search("выборах", "ru").await, ["observers-en-ru"]);
    assert_eq!(search("наблюдателями", "ru").await, ["observers-en-ru"]);
    // In English the same release is served, and found, in English only.
    assert!(search("выборах", "en").await.is_empty());
    assert_eq!(search("competitive", "en").await, ["observers-en-ru"]);
    // Served in Russian, its English text is not what is searched.
    assert!(search("competitive", "ru").await.is_empty());
    // A release with no Russian is searched in its fallback (English).
    assert_eq!(search("workshop", "ru").await, ["training-en"]);
    // The root search too.
    let data = app
        .graphql_data(
            r#"{ search(query: "выборах", locale: "ru", first: 10, types: [PRESS_RELEASE]) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["search"]["totalCount"], 1, "{data}");
    db.cleanup().await;
}

async fn vary_only_when_accept_language_decided(backend: Backend) {
    let Some((db, app)) = app(backend).await else {
        return;
    };
    let get = |query: &str, header: Option<&str>| {
        let uri = format!(
            "/graphql?query={}",
            form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
        );
        let app = &app;
        let header = header.map(str::to_owned);
        async move {
            match header {
                Some(h) => app.get_with(&uri, &[("accept-language", &h)]).await,
                None => app.get(&uri).await,
            }
        }
    };
    let pinned = r#"{ pressRelease(slug: "statement-en-fr", locale: "fr") { title } }"#;
    let negotiated = r#"{ pressRelease(slug: "statement-en-fr") { title } }"#;
    let reply = get(pinned, Some("en")).await;
    assert!(!reply.header("vary").contains("accept-language"));
    assert_eq!(
        reply.json()["data"]["pressRelease"]["title"],
        "Déclaration sur la liberté des médias"
    );
    let reply = get(negotiated, Some("fr-CH")).await;
    assert!(reply.header("vary").contains("accept-language"));
    assert_eq!(
        reply.json()["data"]["pressRelease"]["title"],
        "Déclaration sur la liberté des médias"
    );
    // The answer cached for one language is not served for another.
    let reply = get(negotiated, Some("en")).await;
    assert_eq!(
        reply.json()["data"]["pressRelease"]["title"],
        "Statement on media freedom"
    );
    // A query with no translatable field does not vary.
    let reply = get(
        "{ pressRelease(slug: \"statement-en-fr\") { slug } }",
        Some("fr"),
    )
    .await;
    assert!(!reply.header("vary").contains("accept-language"));
    db.cleanup().await;
}

crate::backend_tests!(
    accept_language_is_negotiated_by_rfc_4647_lookup,
    a_mixed_list_gives_each_release_once_in_its_best_language,
    locale_cascades_to_nested_lists_unless_overridden,
    a_russian_search_finds_another_form_of_the_word,
    vary_only_when_accept_language_decided,
);

#[test]
fn a_cyclic_fallback_chain_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/osce.db?mode=rwc", dir.path().display());
    let out = Command::new(env!("CARGO_BIN_EXE_osce-api"))
        .args(["--database-url", &url, "serve"])
        .env(
            "OSCE_LOCALE_FALLBACKS",
            r#"{"sr"="sr-Latn","sr-Latn"="sr"}"#,
        )
        .env("OSCE_LISTEN", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("loops"), "{said}");
    assert!(
        !dir.path().join("osce.db").exists(),
        "failed before the database"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_osce-api"))
        .args(["--database-url", &url, "serve"])
        .env("OSCE_LOCALE_FALLBACKS", r#"{"sr"="xx"}"#)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"xx\""));
}
