//! Arguments that take a day, over data where the day decides: co-chairs
//! who left and who came, units that closed, a person whose role changed,
//! releases dated while one role or another was held. Every expectation
//! differs between the days asked, so a resolver that ignored the day (or
//! got a boundary wrong: roles hold from their first to their last day
//! inclusive; a unit is closed on its `closed_on` day) would fail.

use serde_json::{Value, json};

use crate::support::{Backend, TestApp, TestDb, import_text};

/// Added to the reference data (whose Minsk Group co-chairs are Igor Popov,
/// RU, 2010-04-01 – 2021-07-01; Stephane Visconti, FR, 2016-10-01 –
/// 2021-11-01; Andrew Schofer, US, from 2017-08-28).
const DATED: &str = r#"{"type":"person","slug":"pierre-andrieu","name":"Pierre Andrieu"}
{"type":"person","slug":"james-warlick","name":"James Warlick"}
{"type":"person","slug":"igor-khovaev","name":"Igor Khovaev"}
{"type":"person","slug":"brice-roquefeuil","name":"Brice Roquefeuil"}
{"type":"role","person":"pierre-andrieu","org_unit":"minsk-group","title":"Co-Chair","country":"FR","from":"2014-08-01","to":"2016-09-30"}
{"type":"role","person":"pierre-andrieu","org_unit":"minsk-group","title":"Special Envoy","country":"FR","from":"2016-10-02","to":"2017-12-31"}
{"type":"role","person":"james-warlick","org_unit":"minsk-group","title":"Co-Chair","country":"US","from":"2013-08-01","to":"2017-08-27"}
{"type":"role","person":"igor-khovaev","org_unit":"minsk-group","title":"Co-Chair","country":"RU","from":"2021-07-02","to":"2022-10-31"}
{"type":"role","person":"brice-roquefeuil","org_unit":"minsk-group","title":"Co-Chair","country":"FR","from":"2021-11-02","to":null}
{"type":"org_unit","slug":"regional-programmes","name":"Regional programmes","kind":"other","parent":null,"country":null,"closed_on":null,"description":null}
{"type":"org_unit","slug":"border-management-staff-college","name":"Border Management Staff College","kind":"other","parent":"regional-programmes","country":null,"closed_on":null,"description":null}
{"type":"org_unit","slug":"project-in-tbilisi","name":"Project in Tbilisi","kind":"field_operation","parent":"regional-programmes","country":"GE","closed_on":"2018-06-30","description":null}
{"type":"org_unit","slug":"mission-in-zagreb","name":"Mission in Zagreb","kind":"field_operation","parent":"regional-programmes","country":"HR","closed_on":"2021-01-15","description":null}
{"type":"org_unit","slug":"zagreb-field-office","name":"Zagreb Field Office","kind":"field_operation","parent":"mission-in-zagreb","country":"HR","closed_on":null,"description":null}
{"type":"person","slug":"kai-lindqvist","name":"Kai Lindqvist"}
{"type":"role","person":"kai-lindqvist","org_unit":"mission-to-moldova","title":"Head of Mission","country":null,"from":"2015-01-01","to":"2018-12-31"}
{"type":"role","person":"kai-lindqvist","org_unit":"conflict-prevention-centre","title":"Director","country":null,"from":"2019-01-01","to":null}
{"type":"role","person":"kai-lindqvist","org_unit":"office-of-the-secretary-general","title":"Special Representative","country":null,"from":"2019-06-01","to":"2019-12-31"}
"#;

fn release(slug: &str, date: &str, source: &str, people: &[&str]) -> String {
    json!({
        "type": "press_release", "slug": slug, "title": format!("Release {slug}"), "date": date,
        "source": source, "people": people, "language": "en", "body_html": "<p>Text.</p>",
        "published_at": format!("{date}T10:00:00Z"), "updated_at": format!("{date}T10:00:00Z"),
    })
    .to_string()
        + "\n"
}

/// A role as (title, unit).
type Held = (&'static str, &'static str);

/// Kai Lindqvist's releases: (slug, date, source, the role expected on
/// that day, or none).
const KAI_RELEASES: &[(&str, &str, &str, Option<Held>)] = &[
    // Before any role.
    ("kai-a", "2014-06-01", "mission-to-moldova", None),
    ("kai-b", "2016-05-01", "mission-to-moldova", Some(HEAD)),
    // The last day as Head of Mission, issued by the unit of the role
    // that starts the next day: a resolver ignoring the day would prefer
    // the Director role (in the issuing unit).
    (
        "kai-c",
        "2018-12-31",
        "conflict-prevention-centre",
        Some(HEAD),
    ),
    (
        "kai-d",
        "2019-03-01",
        "conflict-prevention-centre",
        Some(DIRECTOR),
    ),
    // Two roles held that day: the one in the issuing unit is shown.
    (
        "kai-e",
        "2019-07-01",
        "office-of-the-secretary-general",
        Some(ENVOY),
    ),
    (
        "kai-f",
        "2019-12-31",
        "office-of-the-secretary-general",
        Some(ENVOY),
    ),
    // The Special Representative role ended the day before.
    (
        "kai-g",
        "2020-01-01",
        "office-of-the-secretary-general",
        Some(DIRECTOR),
    ),
    // Issued by the unit of an ended role: the role held that day is shown,
    // not the one in the issuing unit (a resolver ignoring the day would).
    ("kai-h", "2020-03-01", "mission-to-moldova", Some(DIRECTOR)),
];
const HEAD: Held = ("Head of Mission", "mission-to-moldova");
const DIRECTOR: Held = ("Director", "conflict-prevention-centre");
const ENVOY: Held = ("Special Representative", "office-of-the-secretary-general");

async fn dated_app(backend: Backend) -> Option<(TestDb, TestApp)> {
    let db = TestDb::prepared(backend).await?;
    let mut text = DATED.to_string();
    for (slug, date, source, _) in KAI_RELEASES {
        text += &release(slug, date, source, &["kai-lindqvist"]);
    }
    text += &release(
        "co-chairs-2022",
        "2022-01-10",
        "minsk-group",
        &[
            "igor-popov",
            "stephane-visconti",
            "andrew-schofer",
            "brice-roquefeuil",
        ],
    );
    import_text(&db.conn, text).await;
    let app = TestApp::new(db.state());
    Some((db, app))
}

/// (person, State represented) of each co-chair, sorted (the order of
/// `coChairs` is not documented).
async fn co_chairs(app: &TestApp, day: Option<&str>) -> Vec<(String, String)> {
    let data = app
        .graphql_data(
            r#"query($day: Date) { coChairs(group: "minsk-group", activeOn: $day) {
                title person { slug } representing { code } } }"#,
            json!({ "day": day }),
        )
        .await;
    let mut got: Vec<(String, String)> = data["coChairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["title"], "Co-Chair");
            (
                r["person"]["slug"].as_str().unwrap().to_string(),
                r["representing"]["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    got
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = expected
        .iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect();
    v.sort();
    v
}

pub(super) async fn co_chairs_are_those_in_office_on_the_day(backend: Backend) {
    let Some((db, app)) = dated_app(backend).await else {
        return;
    };
    const POPOV: (&str, &str) = ("igor-popov", "RU");
    const VISCONTI: (&str, &str) = ("stephane-visconti", "FR");
    const SCHOFER: (&str, &str) = ("andrew-schofer", "US");
    const ANDRIEU: (&str, &str) = ("pierre-andrieu", "FR");
    const WARLICK: (&str, &str) = ("james-warlick", "US");
    const KHOVAEV: (&str, &str) = ("igor-khovaev", "RU");
    const ROQUEFEUIL: (&str, &str) = ("brice-roquefeuil", "FR");
    // Each day's set differs from its neighbours' (a co-chair's first or
    // last day), and each differs from the set of all seven: ignoring
    // `activeOn`, or treating `from` or `to` as exclusive, fails here.
    let expected: &[(&str, &[(&str, &str)])] = &[
        ("2013-01-01", &[POPOV]),
        ("2013-08-01", &[POPOV, WARLICK]),
        ("2016-09-30", &[POPOV, WARLICK, ANDRIEU]),
        ("2016-10-01", &[POPOV, WARLICK, VISCONTI]),
        ("2017-08-27", &[POPOV, WARLICK, VISCONTI]),
        ("2017-08-28", &[POPOV, VISCONTI, SCHOFER]),
        ("2021-07-01", &[POPOV, VISCONTI, SCHOFER]),
        ("2021-07-02", &[KHOVAEV, VISCONTI, SCHOFER]),
        ("2021-11-01", &[KHOVAEV, VISCONTI, SCHOFER]),
        ("2021-11-02", &[KHOVAEV, ROQUEFEUIL, SCHOFER]),
        ("2022-11-01", &[ROQUEFEUIL, SCHOFER]),
        ("2009-12-31", &[]),
    ];
    for (day, want) in expected {
        assert_eq!(co_chairs(&app, Some(day)).await, pairs(want), "on {day}");
    }
    // Without a day: every co-chair, past and present; the Special Envoy
    // role in the same group is not a co-chair's.
    assert_eq!(
        co_chairs(&app, None).await,
        pairs(&[
            POPOV, VISCONTI, SCHOFER, ANDRIEU, WARLICK, KHOVAEV, ROQUEFEUIL
        ])
    );
    // The unit's own roles, earliest first, filtered by the same rule.
    let data = app
        .graphql_data(
            r#"{ on: orgUnit(slug: "minsk-group") { roles(activeOn: "2016-10-02") { title person { slug } } }
                 all: orgUnit(slug: "minsk-group") { roles { person { slug } } } }"#,
            json!({}),
        )
        .await;
    let slugs = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["person"]["slug"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        slugs(&data["on"]["roles"]),
        [
            "igor-popov",
            "james-warlick",
            "stephane-visconti",
            "pierre-andrieu"
        ],
        "roles held on 2016-10-02 (Pierre Andrieu's Special Envoy role began that day)"
    );
    assert_eq!(data["on"]["roles"][3]["title"], "Special Envoy");
    assert_eq!(
        slugs(&data["all"]["roles"]),
        [
            "igor-popov",
            "james-warlick",
            "pierre-andrieu",
            "stephane-visconti",
            "pierre-andrieu",
            "andrew-schofer",
            "igor-khovaev",
            "brice-roquefeuil"
        ]
    );
    db.cleanup().await;
}

pub(super) async fn children_are_those_open_on_the_day(backend: Backend) {
    let Some((db, app)) = dated_app(backend).await else {
        return;
    };
    let children = |day: Option<&'static str>| {
        let app = app.clone();
        async move {
            let data = app
                .graphql_data(
                    r#"query($day: Date) { orgUnit(slug: "regional-programmes") { children(asOf: $day) { slug } }
                       orgUnits(filter: { asOf: $day }) { slug } }"#,
                    json!({ "day": day }),
                )
                .await;
            let slugs = |v: &Value| -> Vec<String> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u["slug"].as_str().unwrap().to_string())
                    .collect()
            };
            (
                slugs(&data["orgUnit"]["children"]),
                slugs(&data["orgUnits"]),
            )
        }
    };
    const COLLEGE: &str = "border-management-staff-college";
    const ZAGREB: &str = "mission-in-zagreb";
    const TBILISI: &str = "project-in-tbilisi";
    // By name; a unit is closed on its closing day. Every day's list
    // differs from the next's and from the list without a day, so ignoring
    // `asOf` (or counting the closing day as open) fails here. The
    // grandchild under Zagreb is never a child.
    let expected: &[(Option<&str>, &[&str])] = &[
        (None, &[COLLEGE, ZAGREB, TBILISI]),
        (Some("2018-06-29"), &[COLLEGE, ZAGREB, TBILISI]),
        (Some("2018-06-30"), &[COLLEGE, ZAGREB]),
        (Some("2021-01-14"), &[COLLEGE, ZAGREB]),
        (Some("2021-01-15"), &[COLLEGE]),
    ];
    for (day, want) in expected {
        let (got, all_open) = children(*day).await;
        assert_eq!(got, *want, "children as of {day:?}");
        // The structure list applies the same rule to every unit.
        for unit in [COLLEGE, ZAGREB, TBILISI] {
            assert_eq!(
                all_open.iter().any(|u| u == unit),
                want.contains(&unit),
                "orgUnits(asOf: {day:?}) and {unit}"
            );
        }
        assert!(all_open.iter().any(|u| u == "zagreb-field-office"));
    }
    db.cleanup().await;
}

pub(super) async fn roles_are_those_held_on_the_day(backend: Backend) {
    let Some((db, app)) = dated_app(backend).await else {
        return;
    };
    // Earliest first; each day's list differs from the list of all three,
    // so ignoring `activeOn` (or an exclusive `from` or `to`) fails here.
    let expected: &[(Option<&str>, &[Held])] = &[
        (None, &[HEAD, DIRECTOR, ENVOY]),
        (Some("2014-12-31"), &[]),
        (Some("2015-01-01"), &[HEAD]),
        (Some("2018-12-31"), &[HEAD]),
        (Some("2019-01-01"), &[DIRECTOR]),
        (Some("2019-06-01"), &[DIRECTOR, ENVOY]),
        (Some("2019-12-31"), &[DIRECTOR, ENVOY]),
        (Some("2020-01-01"), &[DIRECTOR]),
    ];
    for (day, want) in expected {
        let data = app
            .graphql_data(
                r#"query($day: Date) { person(slug: "kai-lindqvist") { roles(activeOn: $day) { title orgUnit { slug } } } }"#,
                json!({ "day": day }),
            )
            .await;
        let got: Vec<(String, String)> = data["person"]["roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["title"].as_str().unwrap().to_string(),
                    r["orgUnit"]["slug"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(t, u)| (t.to_string(), u.to_string()))
            .collect();
        assert_eq!(got, want, "Kai Lindqvist's roles on {day:?}");
    }
    db.cleanup().await;
}

pub(super) async fn a_release_shows_the_role_held_on_its_date(backend: Backend) {
    let Some((db, app)) = dated_app(backend).await else {
        return;
    };
    let query = r#"query($slug: String!) { pressRelease(slug: $slug) { date source { slug }
        people { person { slug } role { title orgUnit { slug } representing { code } } } } }"#;
    // The same person, the same roles: only each release's date (and, when
    // two roles are held, its issuing unit) decides.
    for (slug, date, source, want) in KAI_RELEASES {
        let data = app.graphql_data(query, json!({ "slug": slug })).await;
        let release = &data["pressRelease"];
        assert_eq!(release["date"], *date);
        assert_eq!(release["source"]["slug"], *source);
        let role = &release["people"][0]["role"];
        let got = (!role.is_null()).then(|| {
            (
                role["title"].as_str().unwrap(),
                role["orgUnit"]["slug"].as_str().unwrap(),
            )
        });
        assert_eq!(got, *want, "{slug} ({date}, issued by {source})");
    }
    // After the co-chairs of 2020 left: those who had left show no role.
    let data = app
        .graphql_data(query, json!({ "slug": "co-chairs-2022" }))
        .await;
    let people: Vec<(&str, Option<&str>)> = data["pressRelease"]["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["person"]["slug"].as_str().unwrap(),
                p["role"]["representing"]["code"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        people,
        [
            ("igor-popov", None),
            ("stephane-visconti", None),
            ("andrew-schofer", Some("US")),
            ("brice-roquefeuil", Some("FR")),
        ]
    );
    db.cleanup().await;
}
