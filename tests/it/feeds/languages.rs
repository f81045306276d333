//! Feeds and embeds in a language: `?locale=` (and `?fallback=`) or
//! `Accept-Language`, only the releases that exist in it unless a fallback
//! is asked, each in the served text; the language said by every format
//! (and read back by feedparser), `Content-Language` and `Vary`, and the
//! cache and validators kept per language, not per header spelling.

use serde_json::{Value, json};

use super::readers::{feedparser_languages, read_atom, read_json_feed, read_rss};
use super::{PUBLIC, options, slug_of_guid};
use crate::support::{Backend, Reply, TestApp, TestDb, import_text};

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

const OBSERVERS_RU: &str = "Наблюдатели приветствуют проведение голосования";
const SEMINAR_RU: &str = "Семинар для журналистов";
const STATEMENT_FR: &str = "Déclaration sur la liberté des médias";

/// Four releases (as in `tests/it/locales.rs`): English with a Russian
/// translation (without a summary), English alone, Russian alone, English
/// with a French translation.
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
        OBSERVERS_RU,
        None,
        "Международные наблюдатели заявили, что парламентские выборы были конкурентными."
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
        SEMINAR_RU,
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
        STATEMENT_FR,
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
    let app = TestApp::new(db.state().with_feeds(options()));
    Some((db, app))
}

/// The corpus's day, through a scope: the reference data has releases too.
fn feed(ext: &str, query: &str) -> String {
    format!("/feeds/fields-of-work/elections.{ext}?date_from=2024-05-02&date_to=2024-05-02{query}")
}

/// Every `Vary` value, lower-cased: CORS adds its own.
fn vary(reply: &Reply) -> String {
    reply
        .headers
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

fn sorted(mut values: Vec<String>) -> Vec<String> {
    values.sort();
    values
}

/// (slug, title, language) of a JSON Feed's items, by slug.
fn json_items(reply: &Reply) -> Vec<(String, String, String)> {
    assert_eq!(reply.status, 200, "{}", reply.text());
    let feed = reply.json();
    read_json_feed(&feed);
    let mut items: Vec<(String, String, String)> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                slug_of_guid(item["id"].as_str().unwrap()),
                item["title"].as_str().unwrap().to_string(),
                item["language"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    items.sort();
    items
}

async fn a_feed_in_a_language_lists_only_its_releases(backend: Backend) {
    let Some((db, app)) = app(backend).await else {
        return;
    };
    // JSON Feed: only what exists in Russian, in Russian.
    let reply = app.get_no_500(&feed("json", "&locale=ru")).await;
    assert_eq!(reply.json()["language"], "ru");
    assert_eq!(
        json_items(&reply),
        [
            ("observers-en-ru".into(), OBSERVERS_RU.into(), "ru".into()),
            ("seminar-ru".into(), SEMINAR_RU.into(), "ru".into()),
        ]
    );
    assert_eq!(reply.header("content-language"), "ru");
    assert!(
        !vary(&reply).contains("accept-language"),
        "{}",
        vary(&reply)
    );
    let feed_json = reply.json();
    let observers = feed_json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["_osce"]["slug"] == "observers-en-ru")
        .unwrap();
    // The translation has no summary: that field alone falls back.
    assert_eq!(observers["summary"], "The election was well organised.");
    assert_eq!(observers["_osce"]["is_fallback"], true);
    assert_eq!(observers["_osce"]["available_locales"], json!(["en", "ru"]));
    assert_eq!(
        observers["url"],
        format!("{PUBLIC}/press-releases/observers-en-ru?locale=ru")
    );
    assert!(
        feed_json["feed_url"]
            .as_str()
            .unwrap()
            .contains("locale=ru"),
        "the links ask for the same language: {}",
        feed_json["feed_url"]
    );

    // RSS: `<language>`, the Russian titles, and feedparser agrees.
    let rss = app.get_no_500(&feed("rss", "&locale=ru")).await;
    assert_eq!(rss.status, 200);
    assert!(rss.text().contains("<language>ru</language>"));
    let (channel, guids) = read_rss(&rss.body);
    assert_eq!(channel.language.as_deref(), Some("ru"));
    assert_eq!(
        sorted(guids.iter().map(|g| slug_of_guid(g)).collect()),
        ["observers-en-ru", "seminar-ru"]
    );
    let titles = sorted(
        channel
            .items
            .iter()
            .map(|i| i.title.clone().unwrap())
            .collect(),
    );
    assert_eq!(titles, sorted(vec![OBSERVERS_RU.into(), SEMINAR_RU.into()]));
    if let Some((language, entries)) = feedparser_languages(&rss.body, "RSS in Russian") {
        assert_eq!(language, "ru");
        assert_eq!(entries.len(), 2);
        assert!(entries.iter().all(|(_, l)| l == "ru"), "{entries:?}");
    }

    // Atom: `xml:lang` on the feed; a summary in another language says so.
    let atom = app.get_no_500(&feed("atom", "&locale=ru")).await;
    assert_eq!(atom.status, 200);
    assert!(atom.text().contains("xml:lang=\"ru\""));
    let (parsed, _) = read_atom(&atom.body);
    assert_eq!(parsed.lang.as_deref(), Some("ru"));
    let entry = parsed
        .entries
        .iter()
        .find(|e| e.title.value == OBSERVERS_RU)
        .unwrap();
    assert_eq!(entry.title.lang, None, "the title inherits the feed's");
    assert_eq!(entry.summary.as_ref().unwrap().lang.as_deref(), Some("en"));
    if let Some((language, entries)) = feedparser_languages(&atom.body, "Atom in Russian") {
        assert_eq!(language, "ru");
        assert_eq!(
            sorted(
                entries
                    .into_iter()
                    .map(|(t, l)| format!("{t} {l}"))
                    .collect()
            ),
            sorted(vec![
                format!("{OBSERVERS_RU} ru"),
                format!("{SEMINAR_RU} ru")
            ])
        );
    }

    // `fallback=en`: the others too, in English, and they say so.
    let reply = app
        .get_no_500(&feed("json", "&locale=ru&fallback=en"))
        .await;
    assert_eq!(reply.json()["language"], "ru");
    assert_eq!(
        json_items(&reply),
        [
            ("observers-en-ru".into(), OBSERVERS_RU.into(), "ru".into()),
            ("seminar-ru".into(), SEMINAR_RU.into(), "ru".into()),
            (
                "statement-en-fr".into(),
                "Statement on media freedom".into(),
                "en".into()
            ),
            (
                "training-en".into(),
                "Training for election administrators".into(),
                "en".into()
            ),
        ]
    );
    let atom_en = app
        .get_no_500(&feed("atom", "&locale=ru&fallback=en"))
        .await;
    let (parsed, _) = read_atom(&atom_en.body);
    let english = parsed
        .entries
        .iter()
        .find(|e| e.title.value == "Training for election administrators")
        .unwrap();
    assert_eq!(english.title.lang.as_deref(), Some("en"));
    if let Some((language, entries)) = feedparser_languages(&atom_en.body, "Atom with fallback") {
        assert_eq!(language, "ru");
        assert!(entries.contains(&("Training for election administrators".into(), "en".into())));
        assert!(entries.contains(&(SEMINAR_RU.into(), "ru".into())));
    }

    // Nothing asked: the default language with its chain, every release.
    let reply = app.get_no_500(&feed("json", "")).await;
    assert_eq!(reply.json()["language"], "en");
    let items = json_items(&reply);
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(items.contains(&("seminar-ru".into(), SEMINAR_RU.into(), "ru".into())));
    assert_eq!(reply.header("content-language"), "en");
    assert!(vary(&reply).contains("accept-language"), "{}", vary(&reply));
    assert!(
        !reply.json()["feed_url"]
            .as_str()
            .unwrap()
            .contains("locale="),
        "the default needs no parameter"
    );

    // Each language is a feed of its own: its own bytes and validator.
    let mut etags: Vec<String> = Vec::new();
    for query in [
        "",
        "&locale=ru",
        "&locale=ru&fallback=en",
        "&locale=fr",
        "&locale=en",
    ] {
        let reply = app.get_no_500(&feed("atom", query)).await;
        assert_eq!(reply.status, 200, "{query}");
        etags.push(reply.header("etag").to_string());
    }
    let mut distinct = etags.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), etags.len(), "{etags:?}");
    // Not found in one language's cache entry for another.
    let again = app.get_no_500(&feed("atom", "&locale=ru")).await;
    assert_eq!(again.header("etag"), etags[1]);
    assert_eq!(again.body, atom.body);

    // A language the service does not serve is the client's mistake.
    for query in [
        "&locale=xx",
        "&locale=ru&fallback=xx",
        "&locale=ru&locale=fr",
    ] {
        let reply = app.get(&feed("rss", query)).await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text());
    }
    db.cleanup().await;
}

async fn accept_language_is_negotiated_for_feeds_and_embeds(backend: Backend) {
    let Some((db, app)) = app(backend).await else {
        return;
    };
    let uri = feed("atom", "");
    let french = app
        .get_with(&uri, &[("accept-language", "fr-CH, fr;q=0.9, en;q=0.8")])
        .await;
    assert_eq!(french.status, 200);
    assert_eq!(french.header("content-language"), "fr");
    assert!(
        vary(&french).contains("accept-language"),
        "{}",
        vary(&french)
    );
    let (parsed, ids) = read_atom(&french.body);
    assert_eq!(parsed.lang.as_deref(), Some("fr"));
    assert_eq!(
        ids.iter().map(|g| slug_of_guid(g)).collect::<Vec<_>>(),
        ["statement-en-fr"],
        "only what exists in French"
    );
    assert_eq!(parsed.entries[0].title.value, STATEMENT_FR);
    if let Some((language, entries)) = feedparser_languages(&french.body, "negotiated Atom") {
        assert_eq!(language, "fr");
        assert_eq!(entries, [(STATEMENT_FR.to_string(), "fr".to_string())]);
    }
    // The negotiated language, not the header's spelling, keys the cache
    // and the validator: another spelling, or `?locale=fr`, has the same.
    let plain = app.get_with(&uri, &[("accept-language", "fr")]).await;
    assert_eq!(plain.body, french.body);
    assert_eq!(plain.header("etag"), french.header("etag"));
    let explicit = app
        .get_with(&feed("atom", "&locale=fr"), &[("accept-language", "ru")])
        .await;
    assert_eq!(explicit.header("etag"), french.header("etag"));
    assert_eq!(explicit.header("content-language"), "fr");
    assert!(
        !vary(&explicit).contains("accept-language"),
        "{}",
        vary(&explicit)
    );
    // 304 for the same language, with its `Vary`; 200 for another.
    let etag = french.header("etag").to_string();
    let reply = app
        .get_with(&uri, &[("accept-language", "fr"), ("if-none-match", &etag)])
        .await;
    assert_eq!(reply.status, 304);
    assert_eq!(reply.header("etag"), etag);
    assert!(vary(&reply).contains("accept-language"), "{}", vary(&reply));
    let reply = app
        .get_with(&uri, &[("accept-language", "ru"), ("if-none-match", &etag)])
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-language"), "ru");
    assert_ne!(reply.header("etag"), etag);
    let (parsed, _) = read_atom(&reply.body);
    assert_eq!(parsed.entries.len(), 2);

    // RSS and JSON Feed negotiate alike.
    let rss = app
        .get_with(&feed("rss", ""), &[("accept-language", "ru")])
        .await;
    let (channel, _) = read_rss(&rss.body);
    assert_eq!(channel.language.as_deref(), Some("ru"));
    assert_eq!(channel.items.len(), 2);
    let json_feed = app
        .get_with(
            &feed("json", ""),
            &[("accept-language", "ru;q=0.9, de;q=0.1")],
        )
        .await;
    assert_eq!(json_feed.json()["language"], "ru");
    assert_eq!(json_items(&json_feed).len(), 2);

    // The embed: its `lang`, the releases in the language, the same headers.
    let embed =
        "/embed/press-releases?field_of_work=elections&date_from=2024-05-02&date_to=2024-05-02";
    let page = app.get_no_500(&format!("{embed}&locale=ru")).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("<html lang=\"ru\""), "{html}");
    assert_eq!(html.matches("<li ").count(), 2);
    assert!(html.contains(OBSERVERS_RU) && html.contains(SEMINAR_RU));
    // The fallen-back summary says its language.
    assert!(html.contains("<p class=\"summary\" lang=\"en\">The election was well organised."));
    assert!(html.contains("/feeds/press-releases.atom?field_of_work=elections&amp;locale=ru"));
    assert_eq!(page.header("content-language"), "ru");
    assert!(!vary(&page).contains("accept-language"));
    let page = app.get_with(embed, &[("accept-language", "fr")]).await;
    let html = page.text();
    assert!(html.contains("<html lang=\"fr\""), "{html}");
    assert_eq!(html.matches("<li ").count(), 1);
    assert!(html.contains(STATEMENT_FR));
    assert!(vary(&page).contains("accept-language"));
    let page = app.get_no_500(embed).await.text();
    assert!(page.contains("<html lang=\"en\""));
    assert_eq!(page.matches("<li ").count(), 4);

    // An item's link leads to its page in the same language.
    let page = app
        .get_no_500("/press-releases/observers-en-ru?locale=ru")
        .await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("<html lang=\"ru\""));
    assert!(html.contains(&format!("<h1>{OBSERVERS_RU}</h1>")));
    assert_eq!(page.header("content-language"), "ru");
    let page = app
        .get_with(
            "/press-releases/observers-en-ru",
            &[("accept-language", "fr")],
        )
        .await;
    assert_eq!(page.header("content-language"), "en", "its best language");
    assert!(vary(&page).contains("accept-language"));
    let page = app
        .get("/press-releases/training-en?locale=ru&fallback=none")
        .await;
    assert_eq!(page.status, 404);
    db.cleanup().await;
}

crate::backend_tests!(
    a_feed_in_a_language_lists_only_its_releases,
    accept_language_is_negotiated_for_feeds_and_embeds,
);
