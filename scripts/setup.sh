#!/usr/bin/env bash
# Installs everything Foothold needs to build, run and test on a fresh machine
# (Rust, Go, Node and apt are expected; nothing is downloaded from GitHub).
# Idempotent: each step checks first and skips what is already in place.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

NEED_CHROMIUM="${NEED_CHROMIUM:-1}"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing_apt=()
command -v curl >/dev/null || missing_apt+=(curl)
command -v python3 >/dev/null || missing_apt+=(python3)
command -v patch >/dev/null || missing_apt+=(patch)
command -v zopfli >/dev/null || missing_apt+=(zopfli)
if [ "$NEED_CHROMIUM" = 1 ] && [ ! -x /usr/bin/chromium ]; then missing_apt+=(chromium); fi
if [ ${#missing_apt[@]} -gt 0 ]; then
  step "apt: installing ${missing_apt[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing_apt[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos 0.3.5" ]; then
  step "cargo: installing cargo-leptos 0.3.5 (about 11 minutes on 2 cores)"
  cargo install cargo-leptos --version 0.3.5 --locked
fi

# The CLI must match the wasm-bindgen crate exactly; Cargo.toml pins it.
WB_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')"
[ -n "$WB_VERSION" ] || die "cannot read the wasm-bindgen version from Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]; then
  step "cargo: installing wasm-bindgen-cli $WB_VERSION"
  # Not --locked: its lock file names a crate version the registry does not serve.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  step "npm: installing Tailwind CSS, binaryen (wasm-opt) and Playwright"
  npm ci --no-audit --no-fund
  touch node_modules/.installed
fi

# FerretDB 1.24.2 from the Go module proxy with Foothold's patches
# (db/ferretdb/patches, explained in each), which the wrapper's go.mod uses
# through a `replace` of the module by this patched copy.
FERRETDB_SRC="$ROOT/target/ferretdb-src"
if [ ! -f "$FERRETDB_SRC/.foothold-patched" ] || [ -n "$(find db/ferretdb/patches -newer "$FERRETDB_SRC/.foothold-patched" -type f)" ]; then
  step "go: preparing FerretDB 1.24.2 with Foothold's patches"
  upstream="$(cd "$(mktemp -d)" && GOFLAGS= go mod download -json github.com/FerretDB/FerretDB@v1.24.2 | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')"
  [ -d "$upstream" ] || die "cannot download FerretDB 1.24.2 from the Go module proxy"
  rm -rf "$FERRETDB_SRC"; mkdir -p "$(dirname "$FERRETDB_SRC")"
  cp -R "$upstream" "$FERRETDB_SRC"; chmod -R u+w "$FERRETDB_SRC"
  for p in db/ferretdb/patches/*.patch; do
    patch --quiet --forward -p1 -d "$FERRETDB_SRC" < "$p" || die "cannot apply $p to FerretDB 1.24.2"
  done
  touch "$FERRETDB_SRC/.foothold-patched"
  rm -f "$FERRETDB_BIN"
fi

if [ ! -x "$FERRETDB_BIN" ] || [ -n "$(find db/ferretdb -newer "$FERRETDB_BIN" -type f)" ]; then
  step "go: building the embedded FerretDB wrapper"
  mkdir -p "$(dirname "$FERRETDB_BIN")"
  (cd db/ferretdb && CGO_ENABLED=0 go build -trimpath -o "$FERRETDB_BIN" .)
fi
