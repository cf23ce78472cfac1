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

if [ ! -x "$FERRETDB_BIN" ] || [ -n "$(find db/ferretdb -newer "$FERRETDB_BIN" -type f)" ]; then
  step "go: building the embedded FerretDB wrapper"
  mkdir -p "$(dirname "$FERRETDB_BIN")"
  (cd db/ferretdb && CGO_ENABLED=0 go build -trimpath -o "$FERRETDB_BIN" .)
fi
