#!/usr/bin/env python3
"""The same pull as rest_to_csv.py, through GraphQL: page through
`pressReleases` with `first`/`after` until `hasNextPage` is false.
Standard library only.

    python3 graphql_to_csv.py --base-url http://127.0.0.1:8080 \
        --field-of-work conflict-prevention-and-resolution --country AM \
        --output releases.csv
"""

import argparse
import csv
import json
import sys
import urllib.request

QUERY = """
query($filter: PressReleaseFilterInput, $first: Int!, $after: String) {
  pressReleases(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      slug date title language
      source { slug }
      fieldsOfWork { slug }
      countries { code }
      people { person { slug } }
    }
  }
}
"""

FIELDS = ["slug", "date", "title", "source", "fields_of_work", "countries", "people", "language"]


def post(url, variables):
    body = json.dumps({"query": QUERY, "variables": variables}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    if answer.get("errors"):
        sys.exit("; ".join(e["message"] for e in answer["errors"]))
    return answer["data"]["pressReleases"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8080")
    parser.add_argument("--field-of-work", required=True)
    parser.add_argument("--country", required=True)
    parser.add_argument("--page-size", type=int, default=100, help="releases per request (at most 100)")
    parser.add_argument("--output", default="-")
    args = parser.parse_args()

    variables = {"filter": {"fieldsOfWork": [args.field_of_work], "countries": [args.country.upper()]},
                 "first": args.page_size, "after": None}
    out = sys.stdout if args.output == "-" else open(args.output, "w", newline="", encoding="utf-8")
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    rows = 0
    while True:
        page = post(f"{args.base_url}/graphql", variables)
        for n in page["nodes"]:
            writer.writerow([
                n["slug"], n["date"], n["title"], n["source"]["slug"],
                ";".join(f["slug"] for f in n["fieldsOfWork"]),
                ";".join(c["code"] for c in n["countries"]),
                ";".join(p["person"]["slug"] for p in n["people"]),
                n["language"],
            ])
            rows += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        variables["after"] = page["pageInfo"]["endCursor"]
    if out is not sys.stdout:
        out.close()
    print(f"{rows} releases written (GraphQL counted {page['totalCount']})", file=sys.stderr)
    if rows != page["totalCount"]:
        sys.exit("the pages did not add up to the total")


if __name__ == "__main__":
    main()
