#!/usr/bin/env python3
"""Keep a local JSON Lines copy of the public content in sync from the
changes feed (GET /api/v1/changes). Standard library only.

    python3 mirror.py --base http://127.0.0.1:8080 --dir /tmp/osce-mirror
    python3 mirror.py --dir /tmp/osce-mirror            # again: only what changed
    python3 mirror.py --dir /tmp/osce-mirror --follow   # and keep following

The first run reads a snapshot (every public record once, then the changes
after it); later runs go on from the cursor saved in the directory. State:
`records.jsonl` (one `{"type","key","version","record"}` per line, sorted by
type then key) and `cursor.txt` (the feed's last `next`). Both are rewritten
after each page, records first, so a crash repeats a page but never skips one.
Use the same --types with a given --dir: the cursor only follows those types.
"""

import argparse
import http.client
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

USER_AGENT = "osce-api-mirror-example/1"
TIMEOUT = 60
MAX_BACKOFF = 30
FOLLOW_WAIT = 30

# Where each record type is read from. `role` and `chairpersonship` have no
# item endpoint: the feed item itself is kept (roles also appear inside
# their person's record).
REST_PATHS = {
    "press_release": "/api/v1/press-releases/{}",
    "meeting": "/api/v1/meetings/{}",
    "person": "/api/v1/people/{}",
    "org_unit": "/api/v1/org-units/{}",
    "field_of_work": "/api/v1/fields-of-work/{}",
    "country": "/api/v1/countries/{}",
}


def log(message):
    print(message, file=sys.stderr, flush=True)


class CursorExpired(Exception):
    """The saved cursor is older than the tombstones the service keeps."""


class Api:
    def __init__(self, base, api_key=None):
        self.base = base.rstrip("/")
        self.headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if api_key:
            self.headers["Authorization"] = f"Bearer {api_key}"

    def get(self, path, allow_404=False):
        """GET a JSON document, retrying what may pass (5xx, 429, network
        errors) with backoff. Returns None for a 404 when allowed; 410
        `cursor_expired` raises CursorExpired; any other 4xx exits."""
        url = self.base + path
        delay = 1
        while True:
            request = urllib.request.Request(url, headers=self.headers)
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                    return json.load(response)
            except urllib.error.HTTPError as error:
                status, error_body = error.code, read_error(error)
                if status == 404 and allow_404:
                    return None
                if status == 410 and error_body.get("code") == "cursor_expired":
                    raise CursorExpired(error_body.get("message", "cursor expired")) from None
                if status < 500 and status != 429:
                    sys.exit(f"GET {url}: {status} {error_body.get('code', '')}: "
                             f"{error_body.get('message', error.reason)}")
                # A rate limit or a busy service says how long to wait.
                wait = retry_after(error) or delay
                log(f"GET {url}: {status} {error_body.get('code', '')}, retrying in {wait} s")
            except (OSError, http.client.HTTPException, ValueError) as error:
                # OSError covers refused and dropped connections and timeouts
                # (URLError is one); the others a body cut off mid-way.
                wait = delay
                log(f"GET {url}: {getattr(error, 'reason', error)}, retrying in {wait} s")
            time.sleep(wait)
            delay = min(delay * 2, MAX_BACKOFF)


def read_error(error):
    """The `error` object of an error answer, or {} if the body is not one."""
    try:
        body = json.load(error)
    except (ValueError, OSError, http.client.HTTPException):
        return {}
    error_object = body.get("error") if isinstance(body, dict) else None
    return error_object if isinstance(error_object, dict) else {}


def retry_after(error):
    value = error.headers.get("Retry-After") if error.headers else None
    try:
        return min(max(int(value), 1), MAX_BACKOFF) if value else None
    except ValueError:
        return None


def write_atomically(path, text):
    """Write to a temporary file beside `path`, then rename over it, so a
    reader (or a crash) never sees half a file."""
    directory = os.path.dirname(path) or "."
    fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


class Mirror:
    def __init__(self, directory):
        self.records_path = os.path.join(directory, "records.jsonl")
        self.cursor_path = os.path.join(directory, "cursor.txt")
        os.makedirs(directory, exist_ok=True)
        self.cursor = None
        self.records = {}
        # A cursor only means something together with the copy it led to.
        if os.path.exists(self.cursor_path) and os.path.exists(self.records_path):
            with open(self.cursor_path, encoding="utf-8") as f:
                self.cursor = f.read().strip() or None
        if self.cursor:
            with open(self.records_path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        entry = json.loads(line)
                        self.records[(entry["type"], entry["key"])] = entry
        # Without a cursor any records on disk are left from an unfinished
        # start, and a new snapshot would not say which of them went away:
        # the copy starts empty and is written out with the first page.
        self.dirty = self.cursor is None

    def reset(self):
        """Drop the copy and the cursor: the next page starts a snapshot."""
        self.records.clear()
        self.cursor = None
        if os.path.exists(self.cursor_path):
            os.remove(self.cursor_path)
        self.dirty = True

    def save(self):
        # Records first: if we stop between the two, the old cursor repeats
        # this page, which applies again to the same result.
        if self.dirty:
            lines = (json.dumps(self.records[k], ensure_ascii=False) + "\n"
                     for k in sorted(self.records))
            write_atomically(self.records_path, "".join(lines))
            self.dirty = False
        write_atomically(self.cursor_path, self.cursor + "\n")

    def summary(self):
        by_type = Counter(kind for kind, _ in self.records)
        return {"records": len(self.records), "by_type": dict(sorted(by_type.items())),
                "cursor": self.cursor}


def apply_page(api, mirror, items):
    """Apply one page's items; returns (upserted, deleted)."""
    # Only the last item per record matters: an upsert fetches the record as
    # it reads now, so earlier items of the same record in this page add nothing.
    last = {}
    for item in items:
        last.pop((item["type"], item["key"]), None)
        last[(item["type"], item["key"])] = item
    upserted = deleted = 0
    mirror.dirty = mirror.dirty or bool(last)
    for key, item in last.items():
        if item["op"] == "upsert":
            path = REST_PATHS.get(item["type"])
            if path is None:
                record = None  # No item endpoint: the feed item is all there is.
            else:
                record = api.get(path.format(urllib.parse.quote(item["key"], safe="")),
                                 allow_404=True)
                if record is None:
                    # Removed since the change was logged; its tombstone follows.
                    mirror.records.pop(key, None)
                    deleted += 1
                    continue
            entry = {"type": item["type"], "key": item["key"], "version": item.get("version"),
                     "record": record}
            if record is None:
                entry["item"] = item
            mirror.records[key] = entry
            upserted += 1
        elif item["op"] == "delete":
            mirror.records.pop(key, None)
            deleted += 1
    return upserted, deleted


def run(args):
    api = Api(args.base, args.api_key)
    mirror = Mirror(args.dir)
    log(f"resuming from {args.dir}/cursor.txt ({len(mirror.records)} records)"
        if mirror.cursor else "no cursor: starting a snapshot")
    position = None
    while True:
        query = {"limit": args.limit}
        if mirror.cursor:
            query["after"] = mirror.cursor
        if args.types:
            query["types"] = args.types
        if args.follow:
            query["wait"] = FOLLOW_WAIT
        try:
            page = api.get("/api/v1/changes?" + urllib.parse.urlencode(query, safe=","))
        except CursorExpired as expired:
            log(f"cursor expired ({expired}): dropping the local copy and starting a new snapshot")
            mirror.reset()
            continue
        items = page["items"]
        upserted, deleted = apply_page(api, mirror, items)
        # Always follow `next`, even after an empty page: it moves on.
        mirror.cursor = page["next"]
        mirror.save()
        if items:
            position = items[-1]["seq"]
        log(f"page: {len(items)} items, {upserted} upserted, {deleted} deleted, "
            f"{len(mirror.records)} records, at seq {position if position is not None else '-'}"
            f"{'' if page['has_more'] else ' (head)'}")
        if not page["has_more"] and not args.follow:
            return mirror


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8080", help="the service's base URL")
    parser.add_argument("--dir", default="./mirror-data", help="where the copy and cursor live")
    parser.add_argument("--types", help="comma-separated record types to follow (default: all)")
    parser.add_argument("--follow", action="store_true",
                        help="keep going with long-polls instead of stopping at the head")
    parser.add_argument("--limit", type=int, default=1000, help="items per page (1 to 1000)")
    parser.add_argument("--api-key", help="sent as 'Authorization: Bearer KEY'")
    args = parser.parse_args()
    if not 1 <= args.limit <= 1000:
        parser.error("--limit must be between 1 and 1000")
    try:
        mirror = run(args)
    except KeyboardInterrupt:
        # State is saved after every page, so stopping here loses nothing.
        log("stopped")
        sys.exit(130)
    print(json.dumps(mirror.summary()), flush=True)


if __name__ == "__main__":
    main()
