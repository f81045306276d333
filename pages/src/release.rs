//! A press release from a page's lines: past the navigation (whatever its
//! variant) to the `Press release` heading, the title, the metadata block
//! (`Date:`, `Place:`/`Location:`, `Source:`, `Fields of work:`), then the
//! body; or why the page is not one.

use crate::body;
use crate::date::{self, PartialDate, parse_date};
use crate::language;
use crate::lines::{Block, Line};
use crate::{DateFrom, Format, PageHead, Parsed, ReleasePage};

/// The heading a press release's page shows above its title, in the
/// site's languages.
const RELEASE_MARKERS: [&str; 11] = [
    "press release",
    "пресс-релиз",
    "прес-реліз",
    "communiqué de presse",
    "pressemitteilung",
    "comunicat de presă",
    "saopštenje za medije",
    "саопштење за медије",
    "соопштение за печат",
    "njoftim për shtyp",
    "comunicato stampa",
];

/// The heading of an event's page.
const EVENT_MARKERS: [&str; 6] = [
    "event",
    "events",
    "upcoming event",
    "meeting",
    "conference",
    "мероприятие",
];

/// Headings of the site's lists of releases.
const LISTING_HEADINGS: [&str; 7] = [
    "press releases",
    "newsroom",
    "news and press releases",
    "latest news",
    "news",
    "press releases and statements",
    "пресс-релизы",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    Date,
    Place,
    Source,
    Fields,
    /// An event's dates: the page is an event's.
    EventDate,
}

const LABELS: [(&str, Label); 27] = [
    ("date", Label::Date),
    ("dates", Label::Date),
    ("place", Label::Place),
    ("location", Label::Place),
    ("source", Label::Source),
    ("sources", Label::Source),
    ("fields of work", Label::Fields),
    ("field of work", Label::Fields),
    ("starting date", Label::EventDate),
    ("start date", Label::EventDate),
    ("end date", Label::EventDate),
    ("event date", Label::EventDate),
    ("дата", Label::Date),
    ("место", Label::Place),
    ("источник", Label::Source),
    ("направления деятельности", Label::Fields),
    ("направление деятельности", Label::Fields),
    ("lieu", Label::Place),
    ("source(s)", Label::Source),
    ("domaines d’activité", Label::Fields),
    ("domaines d'activité", Label::Fields),
    ("datum", Label::Date),
    ("ort", Label::Place),
    ("quelle", Label::Source),
    ("arbeitsbereiche", Label::Fields),
    ("tätigkeitsbereiche", Label::Fields),
    ("місце", Label::Place),
];

enum Meta {
    Known(Label, Option<String>),
    Unknown(String),
}

fn meta(line: &Line) -> Option<Meta> {
    let (key, value) = line.text.split_once(':')?;
    let key = key.trim().to_lowercase();
    let value = Some(value.trim().to_string()).filter(|v| !v.is_empty());
    if let Some((_, label)) = LABELS.iter().find(|(k, _)| *k == key) {
        return Some(Meta::Known(*label, value));
    }
    // `Topics:` – a label of a block this importer does not read.
    (value.is_none() && !key.is_empty() && key.chars().count() <= 40).then_some(Meta::Unknown(
        line.text.trim_end_matches(':').trim().to_string(),
    ))
}

fn is_label(line: &Line) -> bool {
    matches!(meta(line), Some(Meta::Known(..)))
}

fn is_one_of(line: &Line, names: &[&str]) -> bool {
    !line.is_item() && names.contains(&line.text.to_lowercase().as_str())
}

/// A heading, then a title, then a metadata label: where a page's title is.
fn titled(lines: &[Line], markers: &[&str]) -> Option<usize> {
    lines
        .windows(3)
        .position(|w| {
            is_one_of(&w[0], markers) && !w[1].is_item() && !w[1].text.is_empty() && is_label(&w[2])
        })
        .map(|at| at + 1)
}

pub fn extract(format: Format, head: PageHead, lines: &[Line], name: Option<&str>) -> Parsed {
    let start = titled(lines, &RELEASE_MARKERS).or_else(|| {
        // An HTML page may lack the heading: its `<h1>` followed by a
        // metadata block with a source.
        (format == Format::Html)
            .then(|| {
                lines
                    .iter()
                    .position(|l| l.block == Block::Heading(1))
                    .filter(|&at| {
                        let (block, _) = metadata(lines, at + 1);
                        block.source.is_some() && !block.event
                    })
            })
            .flatten()
    });
    // A list of releases shows the heading once per entry; a release's own
    // page once (related content comes after its footer).
    let own_end = start.map_or(lines.len(), |at| {
        let (_, body_start) = metadata(lines, at + 1);
        body_start + body::end_of(&lines[body_start..])
    });
    let listed = lines[..own_end]
        .iter()
        .filter(|l| is_one_of(l, &RELEASE_MARKERS))
        .count();
    if listed >= 2 {
        return skipped(format!(
            "a listing page: {listed} press releases are listed, none is the page"
        ));
    }
    let Some(start) = start else {
        return not_a_release(lines);
    };
    let title = lines[start].text.clone();
    let (block, body_start) = metadata(lines, start + 1);
    if block.event {
        return skipped("an event page: its metadata gives an event's dates".into());
    }
    let body = body::read(&lines[body_start..]);
    if body.paragraphs.is_empty() {
        return rejected("the press release has no body".into());
    }

    let field_date = block.date.as_deref().map(|d| (d, parse_date(d)));
    let (date, date_from) = match (field_date, &body.dateline) {
        (Some((_, Some(d))), _) if d.complete().is_some() => (d.complete(), DateFrom::Field),
        (_, Some(line)) if line.date.and_then(PartialDate::complete).is_some() => (
            line.date.and_then(PartialDate::complete),
            DateFrom::Dateline,
        ),
        (field, line) => {
            let field_says = match field {
                Some((text, _)) => format!("`Date:` reads `{text}`, which is not a full date"),
                None => "`Date:` is empty".to_string(),
            };
            let line_says = match line {
                Some(l) if l.date.is_some() => "the dateline's date has no year",
                Some(_) => "the dateline has no date",
                None => "the body has no dateline",
            };
            return rejected(format!("no date: {field_says} and {line_says}"));
        }
    };
    let Some(date) = date else {
        return rejected("no date".into());
    };

    let place = if block.places.is_empty() {
        body.dateline.as_ref().map(|d| {
            d.places
                .iter()
                .map(|p| date::place_name(p))
                .collect::<Vec<_>>()
                .join(" / ")
        })
    } else {
        Some(block.places.join(", "))
    };

    let mut sample = title.clone();
    for p in body.paragraphs.iter().take(6) {
        sample.push('\n');
        sample.push_str(&p.text);
    }
    let (language, language_from) = language::detect(&head, name, &sample);
    let translation_of = (language != "en")
        .then(|| {
            head.alternates
                .iter()
                .find(|a| language::normalise(&a.hreflang).as_deref() == Some("en"))
                .map(|a| a.href.clone())
        })
        .flatten();

    Parsed::Release(Box::new(ReleasePage {
        format,
        head,
        language,
        language_from,
        title,
        date,
        date_from,
        place,
        sources: block.sources,
        fields_of_work: block.fields,
        body: body.paragraphs,
        dropped: body.dropped,
        unknown_labels: block.unknown,
        translation_of,
    }))
}

#[derive(Default)]
struct MetaBlock {
    date: Option<String>,
    places: Vec<String>,
    source: Option<()>,
    sources: Vec<String>,
    fields: Vec<String>,
    unknown: Vec<String>,
    event: bool,
}

/// The metadata block from `from`, and where the body starts.
fn metadata(lines: &[Line], from: usize) -> (MetaBlock, usize) {
    let mut block = MetaBlock::default();
    let mut current: Option<Label> = None;
    let mut at = from;
    while let Some(line) = lines.get(at) {
        let value = match meta(line) {
            Some(Meta::Known(label, value)) => {
                current = Some(label);
                if label == Label::Source {
                    block.source = Some(());
                }
                if label == Label::EventDate {
                    block.event = true;
                }
                value
            }
            Some(Meta::Unknown(name)) if line.is_item() || current.is_some() => {
                current = None;
                block.unknown.push(name);
                None
            }
            _ if line.is_item() && !line.text.is_empty() => {
                if current.is_none() && block.unknown.is_empty() {
                    break;
                }
                Some(line.text.clone())
            }
            _ => break,
        };
        if let (Some(label), Some(value)) = (current, value) {
            match label {
                Label::Date => {
                    block.date.get_or_insert(value);
                }
                Label::Place => block.places.push(value),
                Label::Source => block.sources.push(value),
                Label::Fields => block.fields.push(value),
                Label::EventDate => {}
            }
        }
        at += 1;
    }
    (block, at)
}

fn not_a_release(lines: &[Line]) -> Parsed {
    if titled(lines, &EVENT_MARKERS).is_some() {
        return skipped("an event page, not a press release".into());
    }
    let dates = lines
        .iter()
        .filter(|l| !l.is_item() && parse_date(&l.text).is_some())
        .count();
    if lines.iter().any(|l| is_one_of(l, &LISTING_HEADINGS)) && dates >= 2 {
        return skipped(format!("a listing page: {dates} dated entries, no release"));
    }
    // Navigation is lists under headings that a lone `-` opens (text) or
    // lists alone (HTML): what is neither is content.
    let content = lines
        .iter()
        .enumerate()
        .filter(|&(i, l)| {
            let under_group = i > 0 && lines[i - 1].is_item() && lines[i - 1].text.is_empty();
            !l.is_item() && !under_group
        })
        .count();
    if content <= 2 {
        return skipped("navigation only: the page has no content".into());
    }
    skipped(
        "not a press release: no `Press release` heading followed by a title and a Date/Place/Source block"
            .into(),
    )
}

fn skipped(reason: String) -> Parsed {
    Parsed::Skipped { reason }
}

fn rejected(reason: String) -> Parsed {
    Parsed::Rejected { reason }
}
