#!/usr/bin/env bash
# A press officer's morning over REST, with curl and jq: create a draft,
# preview it, schedule it for tomorrow 09:00 Vienna time, change plans and
# publish it now, then correct a typo after publication. Every change sends
# the version it was made to (If-Match): a colleague's edit in between is
# a 412, never silently overwritten.
#
#   OSCE_API_KEY=osce_… BASE=http://127.0.0.1:8080 ./rest.sh
#
# The key needs the scopes read:drafts, write and publish:
#   osce-api api-key create --name press-office --scopes read:drafts,write,publish
set -euo pipefail
BASE="${BASE:-http://127.0.0.1:8080}"
: "${OSCE_API_KEY:?set OSCE_API_KEY to an editor key (osce-api api-key create …)}"
AUTH="Authorization: Bearer $OSCE_API_KEY"
SLUG="chair-calls-for-dialogue-$(date +%s)"
api() { # api METHOD PATH [If-Match version] [JSON body] → body; headers in $WORK/headers
  local method=$1 path=$2 version=${3:-} body=${4:-}
  local args=(-sS -X "$method" "$BASE$path" -H "$AUTH" -D "$WORK/headers" -o "$WORK/body" -w '%{http_code}')
  [[ -n "$version" ]] && args+=(-H "If-Match: \"$version\"")
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  STATUS=$(curl "${args[@]}")
  cat "$WORK/body"
}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

# 1. A draft (retrying this request with the same Idempotency-Key creates nothing twice).
draft=$(jq -nc --arg slug "$SLUG" '{
  slug: $slug, title: "Chair calls for dialgoue", date: (now | strftime("%Y-%m-%d")),
  place: "Vienna", source: "chairpersonship", fields_of_work: ["conflict-prevention-and-resolution"],
  body_html: "<p>VIENNA – The Chair called for dialogue.</p>"}')
version=$(curl -sS -X POST "$BASE/api/v1/press-releases" -H "$AUTH" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: $SLUG" --data "$draft" | jq -er '.version')
echo "created $SLUG as a draft, version $version"

# 2. Preview: the editor sees it; the public does not.
api GET "/api/v1/press-releases/$SLUG" >/dev/null
[[ "$STATUS" == 200 && "$(jq -r .status "$WORK/body")" == draft ]] || fail "preview: $STATUS $(cat "$WORK/body")"
public=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/press-releases/$SLUG")
[[ "$public" == 404 ]] || fail "a draft is public ($public)"
echo "previewed (the public gets $public)"

# 3. Scheduled for tomorrow 09:00 in Vienna.
at=$(TZ=Europe/Vienna date -d 'tomorrow 09:00' --iso-8601=seconds)
version=$(api POST "/api/v1/press-releases/$SLUG/schedule" "$version" "{\"publish_at\": \"$at\"}" | jq -er .version)
[[ "$STATUS" == 200 ]] || fail "schedule: $STATUS"
echo "scheduled for $at (version $version)"

# 4. Plans change: publish it now.
version=$(api POST "/api/v1/press-releases/$SLUG/publish" "$version" | jq -er .version)
[[ "$STATUS" == 200 ]] || fail "publish: $STATUS"
echo "published (version $version)"

# 5. A typo in the title, corrected after publication (JSON Merge Patch).
version=$(api PATCH "/api/v1/press-releases/$SLUG" "$version" '{"title": "Chair calls for dialogue"}' | jq -er .version)
[[ "$STATUS" == 200 ]] || fail "correct: $STATUS"
title=$(curl -sfS "$BASE/api/v1/press-releases/$SLUG" | jq -r .title)
[[ "$title" == "Chair calls for dialogue" ]] || fail "the public sees $title"
echo "corrected (version $version): the public reads \"$title\""

# An edit made to an older version is refused, with the current one.
api PATCH "/api/v1/press-releases/$SLUG" 1 '{"title": "Stale"}' >/dev/null
[[ "$STATUS" == 412 ]] || fail "a stale edit got $STATUS"
echo "a stale edit gets 412 (current version $(jq -r .error.details.current_version "$WORK/body"))"
api GET "/api/v1/press-releases/$SLUG/revisions" | jq -r '.items[] | "  revision \(.version): \(.action) by \(.actor), changed \(.changed | join(", "))"'
echo "ok"
