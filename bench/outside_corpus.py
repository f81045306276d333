#!/usr/bin/env python3
"""A corpus of press releases that this project's generator did not make.

The service's own generator writes releases in date order with short,
evenly spread bodies, which flatters it: pages fill in order and common
words are rare. This one writes what an archive really looks like to the
service (and what the outside review used, issue 24): releases in random
date order, bodies of about 6 kB drawn from a large pool of paragraphs, and
one phrase, "ceasefire monitoring", in about 7.5 % of the releases, so that
a search for it must rank tens of thousands of matches.

    bench/outside_corpus.py --releases 1000000 --seed 7 > corpus.jsonl

Output: JSON Lines in the interchange format (../shared/CONTENT-FORMAT.md),
press releases only, referring to the reference data's units, fields of work
and countries (data/reference.jsonl), which the service loads on first start.
No timestamp lies in the future.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "..", "data", "reference.jsonl")

PHRASE_SHARE = 0.075

SUBJECTS = [
    "The OSCE Mission", "The Chairperson-in-Office", "The Special Representative",
    "The Head of the Programme Office", "The Secretary General", "The Project Co-ordinator",
    "ODIHR", "The High Commissioner", "The Representative on Freedom of the Media",
    "Participants from civil society", "Local authorities", "The Parliamentary Assembly delegation",
    "Border officials", "Police trainers", "Election observers", "Young leaders",
]
VERBS = [
    "welcomed", "discussed", "reviewed", "presented", "supported", "assessed",
    "called for", "underlined", "concluded", "launched", "hosted", "facilitated",
    "examined", "strengthened", "promoted", "expressed concern about",
]
OBJECTS = [
    "the implementation of commitments", "regional co-operation on water management",
    "the protection of journalists", "a national action plan against trafficking",
    "the rights of national minorities", "cybersecurity confidence-building measures",
    "electoral legislation", "the reform of the judiciary", "gender equality in policing",
    "the destruction of surplus ammunition", "border security and management",
    "the prevention of violent extremism", "media freedom and pluralism",
    "good governance and anti-corruption", "environmental security in the region",
    "the situation on the ground", "dialogue between the sides", "humanitarian access",
    "the return of displaced persons", "the demining of agricultural land",
]
CLOSINGS = [
    "in line with OSCE principles and commitments", "with the support of participating States",
    "during a two-day workshop", "at a meeting in the capital", "in close co-operation with partners",
    "as part of a long-term project", "following consultations with all stakeholders",
    "ahead of the next Ministerial Council", "with experts from several field operations",
    "for the benefit of local communities",
]
PLACES = [
    "Vienna", "Warsaw", "The Hague", "Copenhagen", "Skopje", "Pristina", "Sarajevo",
    "Belgrade", "Tirana", "Podgorica", "Chisinau", "Kyiv", "Tbilisi", "Yerevan", "Baku",
    "Bishkek", "Dushanbe", "Astana", "Ashgabat", "Tashkent", "Geneva", "Minsk",
]
TITLE_OPENINGS = [
    "OSCE supports", "OSCE Mission hosts workshop on", "Chairperson-in-Office visits region to discuss",
    "OSCE trains officials on", "Conference in {place} addresses", "OSCE and partners launch project on",
    "Experts review progress on", "Statement by the Chairmanship on", "OSCE event promotes",
]
MONITORING_SENTENCES = [
    "The parties reaffirmed their commitment to ceasefire monitoring along the line of contact.",
    "Monitors reported on ceasefire monitoring arrangements and the withdrawal of heavy weapons.",
    "Ceasefire monitoring remains essential for building trust between the sides.",
    "The mission expanded its ceasefire monitoring with additional patrols and cameras.",
]


def sentence(rng):
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CLOSINGS)}."


def paragraph_pool(rng, size):
    # "ceasefire" and "monitoring" also occur apart, as they do on the site.
    extra = [
        "Observers noted that the ceasefire largely held overnight.",
        "Election monitoring teams visited polling stations across the country.",
        "The monitoring of trials continued throughout the reporting period.",
    ]
    pool = []
    for _ in range(size):
        sentences = [sentence(rng) for _ in range(rng.randint(3, 6))]
        if rng.random() < 0.05:
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(extra))
        pool.append(" ".join(sentences))
    return pool


def load_reference():
    units, fields, countries, people = [], [], [], []
    with open(REFERENCE, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            kind = r["type"]
            if kind == "org_unit":
                units.append(r["slug"])
            elif kind == "field_of_work":
                fields.append(r["slug"])
            elif kind == "country":
                countries.append(r["code"])
            elif kind == "person":
                people.append(r["slug"])
    return units, fields, countries, people


def slugify(text):
    out, dash = [], False
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")[:80].strip("-")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pool", type=int, default=20_000, help="distinct paragraphs")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    units, fields, countries, people = load_reference()
    pool = paragraph_pool(rng, args.pool)
    first_day = dt.date(1995, 1, 1).toordinal()
    # Yesterday at the latest: no release, and no timestamp, in the future.
    last_day = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)).toordinal()
    out = sys.stdout
    write = out.write
    for n in range(args.releases):
        # Random date order: the archive as scraped, not as published.
        date = dt.date.fromordinal(rng.randint(first_day, last_day))
        place = rng.choice(PLACES)
        opening = rng.choice(TITLE_OPENINGS).format(place=place)
        title = f"{opening} {rng.choice(OBJECTS)}"
        paragraphs = [rng.choice(pool) for _ in range(rng.randint(8, 14))]
        if rng.random() < PHRASE_SHARE:
            at = rng.randrange(len(paragraphs))
            paragraphs[at] = paragraphs[at] + " " + rng.choice(MONITORING_SENTENCES)
        lead = f"{place.upper()}, {date.day} {date.strftime('%B %Y')} – {sentence(rng)}"
        body = "".join(f"<p>{p}</p>" for p in [lead] + paragraphs)
        published = dt.datetime.combine(date, dt.time(rng.randint(7, 19), rng.randint(0, 59)))
        stamp = published.strftime("%Y-%m-%dT%H:%M:00Z")
        record = {
            "type": "press_release",
            "slug": f"{slugify(title)}-{date.isoformat()}-{n}",
            "title": title,
            "date": date.isoformat(),
            "place": place,
            "source": rng.choice(units),
            "fields_of_work": rng.sample(fields, rng.randint(1, 3)),
            "countries": rng.sample(countries, rng.randint(0, 3)),
            "people": rng.sample(people, 1) if rng.random() < 0.02 else [],
            "meetings": [],
            "language": "en",
            "summary": sentence(rng),
            "body_html": body,
            "translations": [],
            "published_at": stamp,
            "updated_at": stamp,
        }
        write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        write("\n")


if __name__ == "__main__":
    main()
