//! The command line as a user runs it: the real binary, real files, stdin.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::support::{Backend, TestDb, export_string, generated_corpus};

pub(crate) fn osce_api(db: &TestDb, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_osce-api"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run osce-api");
    let mut pipe = child.stdin.take().unwrap();
    if let Some(input) = stdin {
        pipe.write_all(input).unwrap();
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

async fn import_from_stdin_and_export(backend: Backend) {
    let Some(db) = TestDb::empty(backend).await else {
        return;
    };
    let corpus = generated_corpus(50, 5);
    let out = osce_api(&db, &["import", "-"], Some(corpus.as_bytes()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("51 press_release"), "{said}");

    let out = osce_api(&db, &["export"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = String::from_utf8(out.stdout).unwrap();
    assert_eq!(exported, export_string(&db.conn).await);
    assert_eq!(exported.lines().count(), corpus.lines().count());

    let out = osce_api(
        &db,
        &["import", "-"],
        Some(b"{\"type\":\"person\",\"slug\":\"x\",\"name\":\"X\"}\n{\"type\":\"nope\"}\n"),
    );
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("line 2: invalid record: unknown variant `nope`"),
        "{said}"
    );
    assert_eq!(export_string(&db.conn).await, exported, "nothing written");
    db.cleanup().await;
}

async fn migrate_status_up_and_down(backend: Backend) {
    let Some(db) = TestDb::empty(backend).await else {
        return;
    };
    let status =
        |db: &TestDb| String::from_utf8(osce_api(db, &["migrate", "status"], None).stdout).unwrap();
    assert!(status(&db).starts_with("Pending"), "{}", status(&db));
    assert!(osce_api(&db, &["migrate", "up"], None).status.success());
    let all_applied = status(&db);
    assert!(
        all_applied.lines().all(|l| l.starts_with("Applied")),
        "{all_applied}"
    );
    // `down` undoes the latest migration only; `--steps` more.
    assert!(osce_api(&db, &["migrate", "down"], None).status.success());
    let one_down = status(&db);
    let lines: Vec<&str> = one_down.lines().collect();
    assert!(lines[0].starts_with("Applied"), "{one_down}");
    assert!(lines[lines.len() - 1].starts_with("Pending"), "{one_down}");
    let steps = lines.len().to_string();
    assert!(
        osce_api(&db, &["migrate", "down", "--steps", &steps], None)
            .status
            .success()
    );
    assert!(
        status(&db).lines().all(|l| l.starts_with("Pending")),
        "{}",
        status(&db)
    );
    db.cleanup().await;
}

/// `osce-api webhook …`: register, list, rotate, disable, delete; the same
/// address rules as the API.
async fn webhooks_from_the_command_line(backend: Backend) {
    let Some(db) = TestDb::prepared(backend).await else {
        return;
    };
    let refused = osce_api(
        &db,
        &["webhook", "create", "--url", "https://10.0.0.1/hook"],
        None,
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("public address"));
    let made = osce_api(
        &db,
        &[
            "webhook",
            "create",
            "--url",
            "https://93.184.216.34/hook",
            "--events",
            "press_release.published,meeting.*",
        ],
        None,
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let made: serde_json::Value = serde_json::from_slice(&made.stdout).unwrap();
    assert!(made["secret"].as_str().unwrap().starts_with("whsec_"));
    let id = made["id"].as_i64().unwrap().to_string();
    let rotated = osce_api(&db, &["webhook", "rotate", &id, "--grace-hours", "2"], None);
    let rotated: serde_json::Value = serde_json::from_slice(&rotated.stdout).unwrap();
    assert_ne!(rotated["secret"], made["secret"]);
    assert!(rotated["previous_secret_expires_at"].is_string());
    let disabled = osce_api(&db, &["webhook", "disable", &id], None);
    let disabled: serde_json::Value = serde_json::from_slice(&disabled.stdout).unwrap();
    assert_eq!(disabled["active"], false);
    let listed = osce_api(&db, &["webhook", "list"], None);
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert_eq!(listed.lines().count(), 1);
    assert!(!listed.contains("whsec_"), "a list never shows secrets");
    assert!(
        osce_api(&db, &["webhook", "delete", &id], None)
            .status
            .success()
    );
    assert!(
        !osce_api(&db, &["webhook", "delete", &id], None)
            .status
            .success()
    );
    db.cleanup().await;
}

crate::backend_tests!(
    import_from_stdin_and_export,
    migrate_status_up_and_down,
    webhooks_from_the_command_line
);

#[test]
fn generate_is_deterministic_and_valid() {
    let run = |seed: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_osce-api"))
            .args(["generate", "--releases", "200", "--seed", seed])
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let a = run("11");
    assert_eq!(a, run("11"));
    assert_ne!(a, run("12"));
    let text = String::from_utf8(a).unwrap();
    for (i, line) in text.lines().enumerate() {
        osce_api::service::import::parse_line(i as u64 + 1, line.as_bytes())
            .expect("every generated line is valid");
    }
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(r#""type":"press_release""#))
            .count(),
        201
    );
}

#[test]
fn bad_configuration_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_osce-api"))
        .args(["--database-url", "mysql://nope", "migrate", "status"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.starts_with("error: "), "{said}");
}
