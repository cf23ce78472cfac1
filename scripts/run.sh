#!/usr/bin/env bash
# Runs Foothold with the demo curriculum on the embedded database (FerretDB on
# SQLite under data/). Everything it needs is installed first.
# Environment: FOOTHOLD_ADDR (default 127.0.0.1:3000), FOOTHOLD_PROFILE
# (release, the default, or debug for a quicker first build).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

NEED_CHROMIUM=0 bash scripts/setup.sh

PROFILE="${FOOTHOLD_PROFILE:-release}"
step "building Foothold ($PROFILE)"
if [ "$PROFILE" = release ]; then build_site --release; else build_site; fi
BIN="target/$PROFILE/foothold"
[ -x "$BIN" ] || die "the build did not produce $BIN"

mkdir -p data
step "starting the embedded database (data/)"
start_ferretdb "$ROOT/data" "127.0.0.1:${FERRETDB_PORT:-27017}" "$ROOT/data/ferretdb.log"
trap 'kill "$FERRETDB_PID" 2>/dev/null || true' EXIT

export FOOTHOLD_ADDR="${FOOTHOLD_ADDR:-127.0.0.1:3000}"
export FOOTHOLD_SITE_ROOT="$ROOT/target/site"
step "loading the demo curriculum"
"$BIN" seed-demo

step "Foothold is starting at http://$FOOTHOLD_ADDR  (Ctrl-C stops it)"
"$BIN" serve
