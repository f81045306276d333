//! What a page's labels and names are matched against: the alias table
//! (`data/page-aliases.toml`, kept as data) and the records in the
//! database (org units, fields of work, countries, people with their roles,
//! meetings), read once per run.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use figment::Figment;
use figment::providers::{Format, Toml};
use sea_orm::ConnectionTrait;
use serde::Deserialize;

use crate::model::{Meeting, Role};
use crate::storage::{meetings, people, structure, taxonomy};

/// The alias table shipped with the service.
pub const DEFAULT_ALIASES: &str = include_str!("../../../data/page-aliases.toml");

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aliases {
    #[serde(default)]
    pub mirror_hosts: Vec<String>,
    #[serde(default)]
    pub sources: HashMap<String, String>,
    #[serde(default)]
    pub fields_of_work: HashMap<String, String>,
    #[serde(default)]
    pub countries: HashMap<String, String>,
}

impl Aliases {
    /// The shipped table, with `extra` (a file of the same form) on top.
    pub fn load(extra: Option<&Path>) -> anyhow::Result<Aliases> {
        let mut figment = Figment::from(Toml::string(DEFAULT_ALIASES));
        if let Some(path) = extra {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the alias table {}", path.display()))?;
            figment = figment.merge(Toml::string(&text));
        }
        figment
            .extract()
            .context("the alias table is not valid (see data/page-aliases.toml)")
    }
}

/// A person the importer can recognise in a body.
pub struct KnownPerson {
    pub slug: String,
    pub name: String,
    /// The name folded for matching (`stephane visconti`).
    pub folded: String,
    pub roles: Vec<Role>,
}

pub struct Catalog {
    pub mirror_hosts: Vec<String>,
    /// Folded label → org unit slug.
    sources: HashMap<String, String>,
    /// Folded label → field of work slug.
    fields: HashMap<String, String>,
    /// Country names and aliases, as written (matched case-sensitively,
    /// as whole words) → ISO code.
    pub country_names: Vec<(String, String)>,
    pub people: Vec<KnownPerson>,
    pub meetings: Vec<Meeting>,
}

impl Catalog {
    pub async fn load(conn: &impl ConnectionTrait, aliases: &Aliases) -> anyhow::Result<Catalog> {
        let mut sources = HashMap::new();
        let units = structure::org_units(conn).await?;
        for unit in &units {
            sources.insert(fold(&unit.name), unit.slug.to_string());
        }
        for (label, slug) in &aliases.sources {
            anyhow::ensure!(
                units.iter().any(|u| u.slug.as_str() == slug),
                "the alias table maps source `{label}` to `{slug}`, which is no org unit"
            );
            sources.insert(fold(label), slug.clone());
        }
        let mut fields = HashMap::new();
        let known_fields = taxonomy::fields_of_work(conn).await?;
        for field in &known_fields {
            fields.insert(fold(&field.name), field.slug.to_string());
        }
        for (label, slug) in &aliases.fields_of_work {
            anyhow::ensure!(
                known_fields.iter().any(|f| f.slug.as_str() == slug),
                "the alias table maps field of work `{label}` to `{slug}`, which is no field of work"
            );
            fields.insert(fold(label), slug.clone());
        }
        let countries = taxonomy::countries(conn).await?;
        let mut country_names: Vec<(String, String)> = countries
            .iter()
            .map(|c| (c.name.clone(), c.code.to_string()))
            .collect();
        // "The Netherlands" is also written "the Netherlands".
        for c in &countries {
            if let Some(rest) = c.name.strip_prefix("The ") {
                country_names.push((rest.to_string(), c.code.to_string()));
            }
        }
        for (name, code) in &aliases.countries {
            anyhow::ensure!(
                countries.iter().any(|c| c.code.as_str() == code),
                "the alias table maps country `{name}` to `{code}`, which is no country"
            );
            country_names.push((name.clone(), code.clone()));
        }
        // Longest first: "United States of America" before "United States".
        country_names.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));

        let mut roles_of: HashMap<String, Vec<Role>> = HashMap::new();
        for role in people::roles(conn).await? {
            roles_of
                .entry(role.person.to_string())
                .or_default()
                .push(role);
        }
        let people = people::people(conn)
            .await?
            .into_iter()
            .map(|p| KnownPerson {
                folded: fold(&p.name),
                roles: roles_of.remove(p.slug.as_str()).unwrap_or_default(),
                slug: p.slug.to_string(),
                name: p.name,
            })
            .collect();
        Ok(Catalog {
            mirror_hosts: aliases.mirror_hosts.clone(),
            sources,
            fields,
            country_names,
            people,
            meetings: meetings::all_meetings(conn).await?,
        })
    }

    pub fn source(&self, label: &str) -> Option<&str> {
        self.sources.get(&fold(label)).map(String::as_str)
    }

    pub fn field(&self, label: &str) -> Option<&str> {
        self.fields.get(&fold(label)).map(String::as_str)
    }

    /// The roles `person` held on `date`.
    pub fn roles_on<'a>(&self, person: &'a KnownPerson, date: NaiveDate) -> Vec<&'a Role> {
        person
            .roles
            .iter()
            .filter(|r| r.from <= date && r.to.is_none_or(|to| date <= to))
            .collect()
    }
}

/// Lower case, accents and punctuation away, spaces collapsed: how labels
/// and names are compared (`Stéphane  Visconti` = `stephane visconti`).
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}
