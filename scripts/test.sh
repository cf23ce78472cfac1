#!/usr/bin/env bash
# Runs every test: the Go tests of Foothold's FerretDB decoder patch,
# formatting, clippy (server and browser builds), unit and
# integration tests against a real FerretDB, then Playwright end-to-end tests
# in Debian's Chromium against a freshly built Foothold. Installs what is
# missing first. Exits non-zero as soon as any step fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh

step "FerretDB's patched document decoder against its original one (go test)"
(cd target/ferretdb-src && CGO_ENABLED=0 go test ./internal/handler/sjson/)

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (server)"
cargo clippy --all-targets --features ssr -- -D warnings

step "clippy (browser, wasm32)"
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

step "unit and integration tests (real FerretDB)"
cargo test --features ssr

step "building the site (cargo leptos build --split)"
# `cargo leptos end-to-end` exits 0 when its build fails, so build and check here.
build_site

step "end-to-end tests (Playwright + Chromium)"
WORK="$(mktemp -d)"
cleanup() {
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null || true
  [ -n "${FERRETDB_PID:-}" ] && kill "$FERRETDB_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
start_ferretdb "$WORK/db" "127.0.0.1:0" "$WORK/ferretdb.log"
export FOOTHOLD_DATABASE=foothold_e2e
export FOOTHOLD_SITE_ROOT="$ROOT/target/site"
export FOOTHOLD_ADDR="127.0.0.1:$(free_port)"
# The default mailer writes reset links to the log (target `mail`); a browser test follows one.
export RUST_LOG="${RUST_LOG:-warn,mail=info}"
export FOOTHOLD_APP_LOG="$WORK/app.log"
# Every browser test signs in from 127.0.0.1; the limit itself has its own test.
export FOOTHOLD_AUTH_RATE_LIMIT=1000
target/debug/foothold seed-demo
# The first administrator, as an operator would create it; the browser tests sign in with it.
export E2E_ADMIN_USER=e2e_admin E2E_ADMIN_PASSWORD="an administrator passphrase for tests"
FOOTHOLD_ADMIN_PASSWORD="$E2E_ADMIN_PASSWORD" target/debug/foothold create-admin "$E2E_ADMIN_USER" e2e_admin@example.com
target/debug/foothold serve >"$WORK/app.log" 2>&1 &
APP_PID=$!
wait_for_url "http://$FOOTHOLD_ADDR/readyz" 30 "$APP_PID" || { cat "$WORK/app.log" >&2; die "Foothold did not become ready"; }
export BASE_URL="http://$FOOTHOLD_ADDR"
# The built site is sent gzipped to a browser that accepts it (build_site's copies).
curl -fsS -o /dev/null -D "$WORK/wasm.headers" -H 'Accept-Encoding: gzip' "$BASE_URL/pkg/foothold.wasm"
grep -qi '^content-encoding: gzip' "$WORK/wasm.headers" || die "the wasm module was not sent gzipped: $(cat "$WORK/wasm.headers")"
playwright test --config end2end/playwright.config.ts || { echo "--- server log ---" >&2; tail -n 50 "$WORK/app.log" >&2; exit 1; }
