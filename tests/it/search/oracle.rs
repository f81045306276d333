//! The brute-force oracle of what a search matches: every release's
//! served text, stemmed as its language, tested word by word.

use osce_api::model::Record;
use osce_api::model::sanitize::html_to_text;
use osce_api::search::SearchQuery;
use osce_api::search::syntax::Term;
use osce_api::search::text::{Stemming, tokens};

/// A release as the oracle sees its text: the stems of each part of the
/// text it is served in without a `locale` (English if it exists in
/// English, else its own language), stemmed as that language.
pub struct Document {
    pub slug: String,
    pub field: Vec<String>,
    parts: Vec<Vec<String>>,
}

fn stems(stemming: Stemming, text: &str) -> Vec<String> {
    tokens(text).iter().map(|t| stemming.stem(t)).collect()
}

/// The documents, and the stemmings a search without a `locale` looks
/// for its words in (English and every release's own language).
pub fn documents(corpus: &str) -> (Vec<Document>, Vec<Stemming>) {
    let mut stemmings = vec![Stemming::English];
    let documents = corpus
        .lines()
        .filter_map(|line| match serde_json::from_str::<Record>(line).unwrap() {
            Record::PressRelease(r) => {
                let own = Stemming::of_language(r.language.as_str());
                if !stemmings.contains(&own) {
                    stemmings.push(own);
                }
                let english = r.translations.iter().find(|t| t.language == "en");
                let (language, title, summary, body) = match english {
                    Some(t) if r.language != "en" => (
                        "en",
                        t.title.clone(),
                        t.summary.clone(),
                        t.body_html.clone(),
                    ),
                    _ => (
                        r.language.as_str(),
                        r.title.clone(),
                        r.summary.clone(),
                        r.body_html.clone(),
                    ),
                };
                let stemming = Stemming::of_language(language);
                Some(Document {
                    slug: r.slug.to_string(),
                    field: r.fields_of_work.iter().map(|f| f.to_string()).collect(),
                    parts: vec![
                        stems(stemming, &title),
                        stems(stemming, summary.as_deref().unwrap_or("")),
                        stems(stemming, &html_to_text(&body)),
                    ],
                })
            }
            _ => None,
        })
        .collect();
    (documents, stemmings)
}

fn term_matches(term: &Term, document: &Document, stemmings: &[Stemming]) -> bool {
    stemmings.iter().any(|&stemming| {
        document.parts.iter().any(|part| match term {
            Term::Word(w) => part.contains(&stemming.stem(w)),
            Term::Prefix(p) => {
                let p = stemming.stem_prefix(p);
                part.iter().any(|s| s.starts_with(&p))
            }
            Term::Phrase(words) => {
                let want: Vec<String> = words.iter().map(|w| stemming.stem(w)).collect();
                part.windows(want.len()).any(|w| w == want.as_slice())
            }
        })
    })
}

pub fn oracle(query: &SearchQuery, document: &Document, stemmings: &[Stemming]) -> bool {
    query
        .groups
        .iter()
        .all(|group| group.iter().any(|t| term_matches(t, document, stemmings)))
        && !query
            .excluded
            .iter()
            .any(|t| term_matches(t, document, stemmings))
}
