use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::generate::{GenerateOptions, date, generate, load_reference};
use crate::model::Record;

fn banks() -> Vec<&'static Bank> {
    let mut banks: Vec<&'static Bank> = TARGETS.iter().map(|(bank, _)| *bank).collect();
    banks.push(&en::BANK);
    banks
}

/// Every text a bank holds, templates included.
fn texts(bank: &Bank) -> Vec<&'static str> {
    let mut all: Vec<&'static str> = [bank.titles, bank.frames, bank.general].concat();
    for theme in &bank.themes {
        all.extend(theme.topics.iter().flatten());
        all.extend(theme.sentences);
    }
    all.extend(bank.months);
    all.extend(
        bank.places
            .iter()
            .flat_map(|(name, in_place)| [*name, *in_place]),
    );
    all
}

fn slots(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .map(|rest| rest.split('}').next().unwrap_or(rest))
        .collect()
}

#[test]
fn banks_are_full_and_well_formed() {
    let tags: BTreeSet<&str> = banks().iter().map(|b| b.tag).collect();
    assert_eq!(
        tags,
        BTreeSet::from(["de", "en", "fr", "mk", "ro", "ru", "sq", "sr-Latn", "uk"])
    );
    for bank in banks() {
        let tag = bank.tag;
        assert_eq!(language_tag(tag).unwrap().as_str(), tag);
        assert!(bank.titles.len() >= 8, "{tag}");
        let written: usize = bank.themes.iter().map(|t| t.sentences.len()).sum();
        assert!(written >= 30, "{tag}: {written} sentences");
        assert!(bank.frames.len() >= 3 && bank.general.len() >= 3, "{tag}");
        for theme in &bank.themes {
            assert!(
                theme.topics.len() >= 2 && theme.sentences.len() >= 3,
                "{tag}"
            );
        }
        for template in bank.titles.iter().chain(bank.frames) {
            let slots = slots(template);
            assert!(
                slots.iter().all(|s| ["t0", "t1", "in"].contains(s)),
                "{template}"
            );
            assert!(slots.iter().any(|s| s.starts_with('t')), "{template}");
        }
        for text in texts(bank) {
            assert!(
                !text.trim().is_empty() && text.trim() == text,
                "{tag}: {text:?}"
            );
            // Plain markup once escaped, with nothing the sanitiser would rewrite.
            assert!(!text.contains(['&', '<', '>', '\u{a0}', '\r']), "{text}");
        }
        for sentence in bank
            .general
            .iter()
            .chain(bank.themes.iter().flat_map(|t| t.sentences))
        {
            assert!(
                !sentence.contains('{') && sentence.ends_with('.'),
                "{sentence}"
            );
        }
        if ["ru", "uk", "mk"].contains(&tag) {
            // No Latin letter slipped into Cyrillic text.
            for text in texts(bank) {
                let stripped = text
                    .replace("{t0}", "")
                    .replace("{t1}", "")
                    .replace("{in}", "");
                assert!(
                    !stripped.contains(|c: char| c.is_ascii_alphabetic()),
                    "{tag}: {text}"
                );
            }
        }
    }
}

#[test]
fn every_field_has_its_theme_and_every_place_its_names() {
    let reference = load_reference().unwrap();
    let mut themes = BTreeSet::new();
    for field in &reference.fields {
        let theme = theme_of(field.slug.as_str());
        assert!(
            theme != CONFLICT || field.slug.as_str() == "conflict-prevention-and-resolution",
            "{} has no theme of its own",
            field.slug
        );
        themes.insert(theme);
    }
    assert_eq!(themes.len(), THEMES, "every theme is some field's");
    for unit in &reference.units {
        let place = unit
            .country
            .as_ref()
            .and_then(|c| Generator::city_of(c.as_str()))
            .unwrap_or("Vienna");
        assert!(PLACES.contains(&place), "{place} (of {})", unit.slug);
    }
}

#[test]
fn fill_puts_slots_and_capitals() {
    let mut out = String::from("x ");
    fill(
        &mut out,
        "{t0} in focus {in}",
        &["élections", "des élections"],
        "à Paris",
    );
    assert_eq!(out, "x Élections in focus à Paris");
    let mut out = String::new();
    fill(
        &mut out,
        "{in} прошел курс по вопросам {t1}",
        &["выборы", "выборов"],
        "в Вене",
    );
    assert_eq!(out, "В Вене прошел курс по вопросам выборов");
}

#[test]
fn corpus_has_translations_in_every_language() {
    let options = GenerateOptions {
        releases: 2_000,
        seed: 3,
        until: date(2026, 11, 27).unwrap(),
    };
    let mut out = Vec::new();
    generate(&options, &mut out).unwrap();
    let mut per_language: BTreeMap<String, usize> = BTreeMap::new();
    let (mut english, mut english_translated, mut other, mut other_translated) = (0, 0, 0, 0);
    let (mut translations, mut without_summary) = (0, 0);
    let mut election_forms = BTreeSet::new();
    let mut two_forms_in_one = false;
    for line in String::from_utf8(out).unwrap().lines() {
        let Ok(Record::PressRelease(r)) = serde_json::from_str(line) else {
            continue;
        };
        let original = r.language.as_str();
        let languages: BTreeSet<&str> =
            r.translations.iter().map(|t| t.language.as_str()).collect();
        assert_eq!(
            languages.len(),
            r.translations.len(),
            "{}: a language twice",
            r.slug
        );
        assert!(
            !languages.contains(original),
            "{}: the original's language",
            r.slug
        );
        if original == "en" {
            english += 1;
            english_translated += usize::from(!languages.is_empty());
            assert!(languages.len() <= 3, "{}", r.slug);
        } else {
            other += 1;
            other_translated += usize::from(!languages.is_empty());
            assert!(languages.iter().all(|l| *l == "en"), "{}", r.slug);
        }
        for t in &r.translations {
            translations += 1;
            *per_language
                .entry(t.language.as_str().to_string())
                .or_default() += 1;
            without_summary += usize::from(t.summary.is_none());
            assert!(!t.title.is_empty() && !t.title.contains('{'), "{}", t.title);
            let paragraphs = t.body_html.matches("<p>").count();
            assert!((2..=4).contains(&paragraphs), "{}", t.body_html);
            assert!(!t.body_html.contains(['{', '&']), "{}", t.body_html);
            let mut sentences = BTreeSet::new();
            for sentence in t.body_html.split(['.', '<', '>']).filter(|s| s.len() > 30) {
                assert!(
                    sentences.insert(sentence),
                    "{sentence} twice: {}",
                    t.body_html
                );
            }
            if t.language.as_str() == "ru" {
                let text = format!("{} {}", t.title, t.body_html).to_lowercase();
                let forms: BTreeSet<&str> = text
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|w| w.starts_with("выбор"))
                    .collect();
                two_forms_in_one |= forms.len() >= 2;
                election_forms.extend(forms.into_iter().map(str::to_string));
            }
        }
    }
    let languages: Vec<&str> = per_language.keys().map(String::as_str).collect();
    assert_eq!(
        languages,
        ["de", "en", "fr", "mk", "ro", "ru", "sq", "sr-Latn", "uk"],
        "{per_language:?}"
    );
    let share = english_translated as f64 / english as f64;
    assert!(
        (0.25..0.35).contains(&share),
        "{share} of English releases translated"
    );
    assert!(
        other_translated > 0 && other_translated < other / 2,
        "{other_translated}/{other}"
    );
    let ru = per_language["ru"];
    assert!(
        per_language.values().all(|&n| n <= ru),
        "ru most common: {per_language:?}"
    );
    let missing = without_summary as f64 / translations as f64;
    assert!(
        (0.05..0.16).contains(&missing),
        "{missing} of translations without summary"
    );
    assert!(
        two_forms_in_one,
        "a Russian translation with two forms of «выбор»"
    );
    assert!(election_forms.len() >= 4, "{election_forms:?}");
}
