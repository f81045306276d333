#!/usr/bin/env bash
# Re-downloads the GraphiQL page's vendored builds from the npm registry
# into src/http/graphiql/vendor/: GraphiQL's UMD bundle and style sheet,
# React's and ReactDOM's UMD production builds, and their licences, then
# writes SHA256SUMS (which a unit test checks against what is served).
#
#   scripts/update-graphiql.sh [GRAPHIQL_VERSION [REACT_VERSION]]
#
# GraphiQL 4.1.2 is the last release with a UMD bundle (5.x ships ES
# modules only); React 18 is the last with UMD builds. After a change,
# update the versions in src/http/graphiql/vendor/README.md, and run the
# GraphiQL tests (`cargo test --test it graphiql`: one drives Chromium).
# Needs npm (`npm pack` checks each tarball against the registry's
# integrity hash) and tar.
set -euo pipefail
cd "$(dirname "$0")/.."

GRAPHIQL_VERSION="${1:-4.1.2}"
REACT_VERSION="${2:-18.3.1}"
DEST=src/http/graphiql/vendor

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "graphiql@$GRAPHIQL_VERSION" \
  "react@$REACT_VERSION" "react-dom@$REACT_VERSION" >/dev/null)
unpack() { # unpack PACKAGE VERSION: into $WORK/PACKAGE
  mkdir "$WORK/$1"
  tar -xzf "$WORK/$1-$2.tgz" -C "$WORK/$1" --strip-components=1
}
unpack graphiql "$GRAPHIQL_VERSION"
unpack react "$REACT_VERSION"
unpack react-dom "$REACT_VERSION"

# GraphiQL's UMD bundle expects the React and ReactDOM globals.
head -c 400 "$WORK/graphiql/graphiql.min.js" | grep -q 'e.React,e.ReactDOM' ||
  { echo "graphiql@$GRAPHIQL_VERSION: graphiql.min.js is not the UMD bundle" >&2; exit 1; }

mkdir -p "$DEST"
cp "$WORK/graphiql/graphiql.min.js" "$WORK/graphiql/graphiql.min.css" "$DEST/"
cp "$WORK/graphiql/LICENSE" "$DEST/LICENSE-graphiql"
cp "$WORK/react/umd/react.production.min.js" "$DEST/"
cp "$WORK/react/LICENSE" "$DEST/LICENSE-react"
cp "$WORK/react-dom/umd/react-dom.production.min.js" "$DEST/"
cp "$WORK/react-dom/LICENSE" "$DEST/LICENSE-react-dom"
(cd "$DEST" && sha256sum graphiql.min.js graphiql.min.css react.production.min.js \
  react-dom.production.min.js > SHA256SUMS)

echo "graphiql@$GRAPHIQL_VERSION, react@$REACT_VERSION, react-dom@$REACT_VERSION into $DEST:"
(cd "$DEST" && ls -l graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js)
