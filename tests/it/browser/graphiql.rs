//! GraphiQL in a real browser, offline: the sandbox has no internet, so the
//! page works only if everything it loads comes from the service itself.
//! Chromium opens `/graphql`, GraphiQL must render under the page's
//! Content-Security-Policy with no violation, and a query typed into its
//! editor must run and show its answer.

use std::time::{Duration, Instant};

use osce_api::AppState;
use serde_json::{Value, json};

use super::{Driver, serve, tools};
use crate::support::{Backend, TestDb};

/// Whether GraphiQL has rendered its query editor (CodeMirror) yet.
const RENDERED: &str = "return !!document.querySelector(\
    '.graphiql-container .graphiql-query-editor .CodeMirror');";

/// What the page went through: CSP violations (collected by the page's own
/// script, if it ran) and every resource it loaded.
const REPORT: &str = "return {\
    violations: window.__cspViolations === undefined ? null : window.__cspViolations,\
    resources: performance.getEntriesByType('resource').map(r => r.name),\
    styles: document.querySelectorAll('style').length,\
    body: document.body ? document.body.innerText.slice(0, 300) : null };";

const QUERY: &str = "{ fieldsOfWork { slug } }";

/// The response editor's text, once it holds an answer.
const ANSWER: &str = "const cm = document.querySelector('.graphiql-response .CodeMirror');\
    const text = cm && cm.CodeMirror.getValue();\
    return text && text.trim().startsWith('{') ? text : null;";

/// Waits up to `timeout` for `script` to return something other than
/// `null` or `false`.
async fn wait_for(driver: &Driver, script: &str, timeout: Duration) -> Option<Value> {
    let deadline = Instant::now() + timeout;
    loop {
        let value = driver.script(script).await;
        if !value.is_null() && value != false {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_runs_a_query_offline_under_its_csp() {
    let Some((chromium, chromedriver)) = tools("GraphiQL") else {
        return;
    };
    let db = TestDb::prepared(Backend::Sqlite).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = serve(listener, AppState::new(db.conn.clone())).await;

    let profile = tempfile::tempdir().unwrap();
    let mut driver = Driver::start(&chromedriver).await;
    driver.new_session(&chromium, profile.path()).await;
    driver.open(&format!("{api}/graphql")).await;

    let rendered = wait_for(&driver, RENDERED, Duration::from_secs(30)).await;
    let report = driver.script(REPORT).await;
    assert!(rendered.is_some(), "GraphiQL did not render: {report:#}");

    // Type the query into the editor (as CodeMirror takes keys) and run it
    // with the toolbar's button.
    driver
        .script(&format!(
            "const cm = document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror;\
             cm.setValue({}); cm.focus(); return true;",
            json!(QUERY)
        ))
        .await;
    driver
        .script("document.querySelector('.graphiql-execute-button').click(); return true;")
        .await;
    let answer = wait_for(&driver, ANSWER, Duration::from_secs(30)).await;
    let report = driver.script(REPORT).await;
    let answer: Value = serde_json::from_str(
        answer
            .unwrap_or_else(|| panic!("no answer in the response editor: {report:#}"))
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let slugs = answer["data"]["fieldsOfWork"].as_array().unwrap();
    assert_eq!(slugs.len(), 23, "{answer}");
    assert!(
        slugs.contains(&json!({ "slug": "human-rights" })),
        "{answer}"
    );

    // Open the settings dialog too: dialogs add styles of their own.
    driver
        .script(
            "document.querySelector('.graphiql-sidebar button[aria-label=\"Open settings dialog\"]')\
             .click(); return true;",
        )
        .await;
    let dialog = wait_for(
        &driver,
        "return !!document.querySelector('.graphiql-dialog');",
        Duration::from_secs(10),
    )
    .await;
    let path = driver.screenshot("graphiql").await;
    eprintln!("screenshot of GraphiQL: {}", path.display());
    let report = driver.script(REPORT).await;
    assert!(
        dialog.is_some(),
        "the settings dialog did not open: {report:#}"
    );

    assert_eq!(
        report["violations"],
        json!([]),
        "CSP violations (or the page's script did not run): {report:#}"
    );
    let resources = report["resources"].as_array().unwrap();
    assert!(!resources.is_empty(), "{report:#}");
    for url in resources {
        let url = url.as_str().unwrap();
        assert!(
            url.starts_with(&format!("{api}/")),
            "{url}: loaded from elsewhere than the service"
        );
    }

    driver.quit().await;
    db.cleanup().await;
}
