//! A release's page: its labels and names resolved, then saved.

use osce_pages::ReleasePage;
use serde_json::{Map, Value, json};

use super::report::{Outcome, PersonLink, ReportLine, RoleOnDate};
use super::{Importer, rejection};
use crate::service::editorial::releases::imported::{Imported, import_release};
use crate::service::editorial::slug_from;
use crate::storage::{imported_pages, releases};

/// How many pages may share a title and a date (`…-2`, `…-3`).
const MAX_SAME_TITLE: usize = 50;

impl Importer {
    pub(super) async fn release(
        &mut self,
        name: &str,
        page: &ReleasePage,
    ) -> anyhow::Result<ReportLine> {
        let identities = self.identities(page);
        let mut line = ReportLine::new(name, Outcome::Rejected);
        line.identity = identities.first().cloned();
        line.language = Some(page.language.clone());
        line.title = Some(page.title.clone());
        line.date = Some(page.date);
        line.dropped = page.dropped.clone();
        line.notes = page
            .unknown_labels
            .iter()
            .map(|l| format!("the metadata label `{l}:` was not read"))
            .collect();

        let (source, fields) = match self.labels(page, &mut line) {
            Ok(found) => found,
            Err(reason) => {
                line.reason = Some(reason);
                return Ok(line);
            }
        };
        let body = page.body_text();
        let text = format!("{}\n{body}", page.title);
        let mut countries = self.matchers.countries(&self.catalog, &text);
        for i in self.matchers.people(&text) {
            let person = &self.catalog.people[i];
            let roles = self.catalog.roles_on(person, page.date);
            // The States people speak for on the day (a co-chair's) are
            // the release's too.
            countries.extend(
                roles
                    .iter()
                    .filter_map(|r| r.country.as_ref().map(|c| c.to_string())),
            );
            line.people.push(PersonLink {
                slug: person.slug.clone(),
                name: person.name.clone(),
                roles: roles
                    .iter()
                    .map(|r| RoleOnDate {
                        title: r.title.clone(),
                        org_unit: r.org_unit.to_string(),
                        country: r.country.as_ref().map(|c| c.to_string()),
                    })
                    .collect(),
            });
        }
        countries.sort();
        countries.dedup();
        for mention in super::mentions::meetings(&body, page.date) {
            let place = super::catalog::fold(&mention.place);
            let known = self.catalog.meetings.iter().find(|m| {
                m.start <= mention.date
                    && mention.date <= m.end
                    && m.place.as_deref().map(super::catalog::fold) == Some(place.clone())
            });
            match known {
                Some(m) if !line.meetings.contains(&m.slug.to_string()) => {
                    line.meetings.push(m.slug.to_string())
                }
                Some(_) => {}
                None => line.proposed_meetings.push(mention),
            }
        }

        let (slug, known) = match self.slug_for(page, &identities).await? {
            Ok(found) => found,
            Err(reason) => {
                line.reason = Some(reason);
                return Ok(line);
            }
        };
        line.slug = Some(slug.clone());
        let mut fields_map = Map::new();
        for (key, value) in [
            ("slug", json!(slug)),
            ("title", json!(page.title)),
            ("date", json!(page.date)),
            ("place", json!(page.place)),
            ("source", json!(source)),
            ("fields_of_work", json!(fields)),
            ("countries", json!(countries)),
            (
                "people",
                json!(line.people.iter().map(|p| &p.slug).collect::<Vec<_>>()),
            ),
            ("meetings", json!(line.meetings)),
            ("language", json!(page.language)),
            ("summary", Value::Null),
            ("body_html", json!(page.body_html())),
        ] {
            fields_map.insert(key.into(), value);
        }
        match import_release(&self.txn, &self.actor, &fields_map, self.now).await {
            Ok(Imported::Created(_)) => line.outcome = Outcome::Created,
            Ok(Imported::Updated { changed, .. }) => {
                line.outcome = Outcome::Updated;
                line.changed = changed;
            }
            Ok(Imported::Unchanged(_)) => line.outcome = Outcome::Unchanged,
            Err(error) => {
                line.reason = Some(rejection(error)?);
                return Ok(line);
            }
        }
        if !known && !identities.is_empty() {
            imported_pages::remember(&self.txn, &identities, &slug, "", self.now).await?;
        }
        Ok(line)
    }

    /// The org unit and fields of work the page's labels name; every
    /// unknown label is the reason the page is rejected.
    fn labels(
        &self,
        page: &ReleasePage,
        line: &mut ReportLine,
    ) -> Result<(String, Vec<String>), String> {
        let mut unknown = Vec::new();
        let source = match page.sources.first() {
            None => return Err("no `Source:`: a release needs the unit it is from".into()),
            Some(label) => self.catalog.source(label).map(str::to_string).or_else(|| {
                unknown.push(format!("Source `{label}`"));
                None
            }),
        };
        for extra in page.sources.iter().skip(1) {
            line.notes.push(format!(
                "also from `{extra}`: a release has one source, the first is kept"
            ));
        }
        let mut fields = Vec::new();
        for label in &page.fields_of_work {
            match self.catalog.field(label) {
                Some(slug) if !fields.iter().any(|f| f == slug) => fields.push(slug.to_string()),
                Some(_) => {}
                None => unknown.push(format!("Fields of work `{label}`")),
            }
        }
        match source {
            Some(source) if unknown.is_empty() => Ok((source, fields)),
            _ => Err(format!(
                "unknown label(s): {}; add them to the alias table (data/page-aliases.toml, or --aliases FILE)",
                unknown.join(", ")
            )),
        }
    }

    /// The release a page is: the one it was imported into before (then
    /// `true`: its identity is recorded), else the slug its title and date
    /// give (with a number if another page has that slug).
    async fn slug_for(
        &self,
        page: &ReleasePage,
        identities: &[String],
    ) -> anyhow::Result<Result<(String, bool), String>> {
        if let Some((slug, language)) = imported_pages::find(&self.txn, identities).await?
            && language.is_empty()
        {
            return Ok(Ok((slug, true)));
        }
        let Some(base) = slug_from(&latin(&page.title), page.date) else {
            return Ok(Err(
                "the title gives no slug (it has no letters or digits)".into()
            ));
        };
        let base = base.to_string();
        let title = super::catalog::fold(&page.title);
        for n in 1..=MAX_SAME_TITLE {
            let slug = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            if !identities.is_empty()
                && imported_pages::slug_taken_by_another(&self.txn, &slug, identities).await?
            {
                continue;
            }
            // Two titles can give one slug (a long title is cut): a release
            // under another title is another release.
            match releases::record_any_status(&self.txn, &slug).await? {
                Some((_, existing)) if super::catalog::fold(&existing.title) != title => continue,
                _ => return Ok(Ok((slug, false))),
            }
        }
        Ok(Err(format!(
            "{MAX_SAME_TITLE} other pages have this title and date"
        )))
    }
}

/// Cyrillic in Latin letters, so that a title in Russian, Ukrainian,
/// Serbian or Macedonian gives a readable slug (`moskva`), not none.
fn latin(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let latin = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ґ' | 'ѓ' => "g",
            'д' => "d",
            'ђ' => "dj",
            'е' | 'є' | 'э' => "e",
            'ё' => "yo",
            'ж' => "zh",
            'з' | 'ѕ' => "z",
            'и' | 'і' => "i",
            'ї' => "yi",
            'й' | 'ј' => "j",
            'к' | 'ќ' => "k",
            'л' => "l",
            'љ' => "lj",
            'м' => "m",
            'н' => "n",
            'њ' => "nj",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'ћ' => "c",
            'у' | 'ў' => "u",
            'ф' => "f",
            'х' => "h",
            'ц' => "c",
            'ч' => "ch",
            'џ' => "dz",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(latin);
    }
    out
}
