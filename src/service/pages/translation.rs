//! A page in another language that links its English original: saved as
//! the original release's translation.

use osce_pages::{ReleasePage, identity};
use serde_json::{Map, json};

use super::report::{Outcome, ReportLine};
use super::{Importer, push_once, rejection};
use crate::service::editorial::translations::{Expect, save_in};
use crate::storage::{imported_pages, releases};

impl Importer {
    /// `None` while no imported page is the original.
    pub(super) async fn translation(
        &mut self,
        name: &str,
        page: &ReleasePage,
    ) -> anyhow::Result<Option<ReportLine>> {
        let Some(href) = page.translation_of.as_deref() else {
            return Ok(None);
        };
        let base = page.head.canonical.as_deref();
        let mut originals = Vec::new();
        if let Some(url) = identity::canonical_url(href, base, &self.catalog.mirror_hosts) {
            if let Some(node) = identity::node_id(&url) {
                push_once(&mut originals, node);
            }
            push_once(&mut originals, url);
        }
        let Some((slug, _)) = imported_pages::find(&self.txn, &originals)
            .await?
            .filter(|(_, language)| language.is_empty())
        else {
            return Ok(None);
        };
        let identities = self.identities(page);
        let mut line = ReportLine::new(name, Outcome::Rejected);
        line.identity = identities.first().cloned();
        line.slug = Some(slug.clone());
        line.translation_of = Some(slug.clone());
        line.language = Some(page.language.clone());
        line.title = Some(page.title.clone());
        line.date = Some(page.date);
        line.dropped = page.dropped.clone();

        let existed = releases::record_any_status(&self.txn, &slug)
            .await?
            .is_some_and(|(_, r)| {
                r.translations
                    .iter()
                    .any(|t| t.language.as_str() == page.language)
            });
        let mut fields = Map::new();
        fields.insert("title".into(), json!(page.title));
        fields.insert("body_html".into(), json!(page.body_html()));
        let saved = save_in(
            &self.txn,
            &self.actor,
            &slug,
            &page.language,
            Expect::Any,
            &fields,
            // A summary an editor wrote stays: the page has none.
            false,
            self.now,
        )
        .await;
        line.outcome = match saved {
            Ok((_, false)) => Outcome::Unchanged,
            Ok((_, true)) if existed => Outcome::Updated,
            Ok((_, true)) => Outcome::Created,
            Err(error) => {
                line.reason = Some(rejection(error)?);
                return Ok(Some(line));
            }
        };
        if line.outcome == Outcome::Updated {
            line.changed = vec!["translations".into()];
        }
        if !identities.is_empty()
            && imported_pages::find(&self.txn, &identities).await?
                != Some((slug.clone(), page.language.clone()))
        {
            imported_pages::remember(&self.txn, &identities, &slug, &page.language, self.now)
                .await?;
        }
        Ok(Some(line))
    }
}
