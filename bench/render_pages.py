#!/usr/bin/env python3
"""Renders a generated corpus's press releases as saved osce.org pages, half
as text ("save as text": navigation, `Press release`, title, metadata
block, body) and half as HTML (header, navigation, article, footer), for
`bench/import-pages.sh`.

    bench/render_pages.py CORPUS.jsonl OUT_DIR COUNT
"""
import html
import json
import os
import re
import sys

NAV = """-
Our work
-
Fields of work
- Arms control
- Border management
- Conflict prevention and resolution
- Elections
- Field operations
-
Meetings and conferences
- Summit meetings
- Ministerial Council meetings
-
Countries
- All
-
Participating States
- Albania
- Czechia
- Finland – OSCE Chairpersonship 2025
- Türkiye
-
Structures and institutions
- Chairpersonship
- Secretariat
- Organizational structure
- About us
"""

TAG = re.compile(r"<[^>]+>")


def paragraphs(body_html):
    parts = re.split(r"</p>\s*", body_html)
    return [html.unescape(TAG.sub("", p)).strip() for p in parts if TAG.sub("", p).strip()]


def text_page(r, units, fields):
    meta = ["- Date:", "- Place:"]
    if r.get("place"):
        meta.append("- " + r["place"])
    meta += ["- Source:", "- " + units[r["source"]], "- Fields of work:"]
    meta += ["- " + fields[f] for f in r["fields_of_work"]]
    body = paragraphs(r["body_html"])
    d = r["date"].split("-")
    months = ["January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December"]
    dateline = f"{(r.get('place') or 'Vienna').upper()}, {int(d[2])} {months[int(d[1]) - 1]} {d[0]} – "
    body[0] = dateline + body[0]
    return NAV + "Press release\n" + r["title"] + "\n" + "\n".join(meta) + "\n" + "\n".join(body) + "\n"


def html_page(r, units, fields, node):
    fields_li = "".join(f"<li>{html.escape(fields[f])}</li>" for f in r["fields_of_work"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(r['title'])} | OSCE</title>
<link rel="canonical" href="https://www.osce.org/{r['source']}/{node}?utm_source=bench">
<link rel="shortlink" href="https://www.osce.org/node/{node}">
<script>var dataLayer = [];</script></head>
<body><header><nav><ul><li><a href="/our-work">Our work</a></li><li><a href="/countries">Countries</a></li></ul></nav></header>
<main><article data-history-node-id="{node}"><header><div>Press release</div><h1>{html.escape(r['title'])}</h1></header>
<ul><li>Date: {r['date']}</li><li>Place: {html.escape(r.get('place') or '')}</li>
<li>Source:<ul><li>{html.escape(units[r['source']])}</li></ul></li><li>Fields of work:<ul>{fields_li}</ul></li></ul>
<figure><img src="/x.jpg" alt=""><figcaption>A photo (OSCE/Photographer)</figcaption></figure>
<div class="field--name-body">{r['body_html']}</div></article></main>
<footer><p>© OSCE</p></footer></body></html>
"""


def main():
    corpus, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    units, fields, written = {}, {}, 0
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["type"] == "org_unit":
                units[r["slug"]] = r["name"]
            elif r["type"] == "field_of_work":
                fields[r["slug"]] = r["name"]
            elif r["type"] == "press_release" and written < count:
                if written % 2 == 0:
                    page = text_page(r, units, fields)
                    name = f"{written:06d}.txt"
                else:
                    page = html_page(r, units, fields, 100000 + written)
                    name = f"{written:06d}.html"
                with open(os.path.join(out, name), "w", encoding="utf-8") as p:
                    p.write(page)
                written += 1
    print(f"rendered {written} pages into {out}", file=sys.stderr)


main()
