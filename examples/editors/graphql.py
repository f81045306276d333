#!/usr/bin/env python3
"""A press officer's morning over GraphQL: create a draft, preview it,
schedule it for tomorrow 09:00 Vienna time, change plans and publish it now,
then correct a typo after publication. Each mutation sends the version it
was made to (`expectedVersion`); a stale one is a VERSION_CONFLICT error.
Standard library only.

    OSCE_API_KEY=osce_… python3 graphql.py --base-url http://127.0.0.1:8080

The key needs the scopes read:drafts, write and publish:
    osce-api api-key create --name press-office --scopes read:drafts,write,publish
"""

import argparse
import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.request
from zoneinfo import ZoneInfo

FIELDS = "slug status version publishAt content { title }"


def graphql(url, query, variables=None, key=None):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)


def ok(answer):
    if answer.get("errors"):
        sys.exit(f"FAILED: {json.dumps(answer['errors'])}")
    return answer["data"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8080")
    args = parser.parse_args()
    key = os.environ.get("OSCE_API_KEY") or sys.exit("set OSCE_API_KEY to an editor key")
    url = args.base_url.rstrip("/") + "/graphql"
    today = datetime.date.today().isoformat()
    slug = f"ministers-meet-in-vienna-{int(time.time())}"

    # 1. A draft; `idempotencyKey` makes a retry of this request safe.
    created = ok(graphql(url, f"""
        mutation($input: PressReleaseInput!, $key: String) {{
          createPressRelease(input: $input, idempotencyKey: $key) {{ {FIELDS} }}
        }}""", {"key": slug, "input": {
            "slug": slug, "title": "Ministers meet in Viena", "date": today, "place": "Vienna",
            "source": "chairpersonship", "fieldsOfWork": ["conflict-prevention-and-resolution"],
            "bodyHtml": "<p>VIENNA – Ministers met today.</p>"}}, key))["createPressRelease"]
    version = created["version"]
    print(f"created {slug} as a {created['status'].lower()}, version {version}")

    # 2. Preview: the editor reads it; the public does not see it.
    preview = ok(graphql(url, f"query($s: String!) {{ editorialPressRelease(slug: $s) {{ {FIELDS} }} }}",
                         {"s": slug}, key))["editorialPressRelease"]
    public = ok(graphql(url, "query($s: String!) { pressRelease(slug: $s) { slug } }", {"s": slug}))
    assert preview["status"] == "DRAFT" and public["pressRelease"] is None, (preview, public)
    print("previewed; the public sees nothing yet")

    # 3. Scheduled for tomorrow 09:00 in Vienna.
    vienna = ZoneInfo("Europe/Vienna")
    tomorrow = datetime.datetime.now(vienna).date() + datetime.timedelta(days=1)
    at = datetime.datetime.combine(tomorrow, datetime.time(9, 0), vienna).isoformat()
    scheduled = ok(graphql(url, f"""
        mutation($s: String!, $v: Int!, $at: DateTime!) {{
          schedulePressRelease(slug: $s, expectedVersion: $v, publishAt: $at) {{ {FIELDS} }}
        }}""", {"s": slug, "v": version, "at": at}, key))["schedulePressRelease"]
    version = scheduled["version"]
    print(f"scheduled for {scheduled['publishAt']} (version {version})")

    # 4. Plans change: publish now.
    published = ok(graphql(url, f"""
        mutation($s: String!, $v: Int!) {{
          publishPressRelease(slug: $s, expectedVersion: $v) {{ {FIELDS} }}
        }}""", {"s": slug, "v": version}, key))["publishPressRelease"]
    version = published["version"]
    print(f"published (version {version})")

    # 5. The typo in the title, corrected after publication.
    corrected = ok(graphql(url, f"""
        mutation($s: String!, $v: Int!) {{
          updatePressRelease(slug: $s, expectedVersion: $v, input: {{title: "Ministers meet in Vienna"}}) {{ {FIELDS} }}
        }}""", {"s": slug, "v": version}, key))["updatePressRelease"]
    public = ok(graphql(url, "query($s: String!) { pressRelease(slug: $s) { title } }", {"s": slug}))
    assert public["pressRelease"]["title"] == "Ministers meet in Vienna", public
    print(f"corrected (version {corrected['version']}): the public reads \"{public['pressRelease']['title']}\"")

    # A change made to an older version is refused.
    stale = graphql(url, """mutation($s: String!) {
        updatePressRelease(slug: $s, expectedVersion: 1, input: {title: "Stale"}) { version } }""",
                    {"s": slug}, key)
    code = stale["errors"][0]["extensions"]["code"]
    assert code == "VERSION_CONFLICT", stale
    print(f"a stale change gets {code} (current version {stale['errors'][0]['extensions']['currentVersion']})")
    print("ok")


if __name__ == "__main__":
    main()
