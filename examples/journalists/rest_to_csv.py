#!/usr/bin/env python3
"""Pull every press release about one field of work and one country into a
CSV file through the REST API, following the `next` links page by page.
Standard library only.

    python3 rest_to_csv.py --base-url http://127.0.0.1:8080 \
        --field-of-work conflict-prevention-and-resolution --country AM \
        --output releases.csv

(For the whole list in one request, GET /api/v1/press-releases.csv with the
same filter streams it; this script shows the paged JSON API.)
"""

import argparse
import csv
import json
import sys
import urllib.parse
import urllib.request

FIELDS = ["slug", "date", "title", "source", "fields_of_work", "countries", "people", "language"]


def get_json(url):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        body = json.load(error)
        sys.exit(f"{error.code}: {body['error']['code']}: {body['error']['message']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8080")
    parser.add_argument("--field-of-work", required=True, help="a field-of-work slug")
    parser.add_argument("--country", required=True, help="an ISO 3166-1 alpha-2 code")
    parser.add_argument("--page-size", type=int, default=100, help="releases per request (at most 100)")
    parser.add_argument("--output", default="-", help="CSV file to write (default: standard output)")
    args = parser.parse_args()

    query = urllib.parse.urlencode({
        "field_of_work": args.field_of_work,
        "country": args.country,
        "limit": args.page_size,
        "fields": ",".join(FIELDS),
    })
    url = f"{args.base_url}/api/v1/press-releases?{query}"
    out = sys.stdout if args.output == "-" else open(args.output, "w", newline="", encoding="utf-8")
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    rows = total = 0
    while url:
        page = get_json(url)
        total = page["total_count"]
        for item in page["items"]:
            # Lists (countries, people…) become one `;`-separated cell, as in the API's own CSV.
            writer.writerow([";".join(v) if isinstance(v, list) else ("" if v is None else v)
                             for v in (item[f] for f in FIELDS)])
            rows += 1
        # `next` is relative to the server: resolve it against the base URL.
        url = urllib.parse.urljoin(args.base_url, page["next"]) if page["next"] else None
    if out is not sys.stdout:
        out.close()
    print(f"{rows} releases written (the API counted {total})", file=sys.stderr)
    if rows != total:
        sys.exit("the pages did not add up to the total")


if __name__ == "__main__":
    main()
