#!/usr/bin/env bash
# The same pull as a one-liner: stream the JSON Lines export of one field of
# work and country, and let jq turn each release into a CSV row.
#   BASE=http://127.0.0.1:8080 ./curl-jq.sh conflict-prevention-and-resolution AM > releases.csv
set -euo pipefail
BASE="${BASE:-http://127.0.0.1:8080}"
curl -sfS "$BASE/api/v1/press-releases.jsonl?field_of_work=$1&country=$2" | jq -r '[.slug, .date, .title, .source, (.countries | join(";"))] | @csv'
