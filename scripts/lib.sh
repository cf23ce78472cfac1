# Shared by scripts/*.sh: paths, logging, and starting the embedded database.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
FERRETDB_BIN="$ROOT/target/ferretdb/ferretdb"
export FERRETDB_BIN

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# start_ferretdb SQLITE_DIR LISTEN_ADDR LOG_FILE
# Starts the FerretDB wrapper in the background and sets FERRETDB_PID and
# MONGODB_URI (read from the wrapper's "ready <uri>" line, so port 0 works).
start_ferretdb() {
  local dir="$1" listen="$2" log="$3" ready="$3.ready"
  rm -f "$ready"
  "$FERRETDB_BIN" -sqlite-dir "$dir" -listen "$listen" >"$ready" 2>"$log" &
  FERRETDB_PID=$!
  for _ in $(seq 1 100); do
    if grep -q '^ready ' "$ready" 2>/dev/null; then
      MONGODB_URI="$(sed -n 's/^ready //p' "$ready" | head -n 1)"
      export MONGODB_URI
      return 0
    fi
    kill -0 "$FERRETDB_PID" 2>/dev/null || { cat "$log" >&2; die "FerretDB exited at start (log above)"; }
    sleep 0.1
  done
  die "FerretDB did not report ready within 10 s (log: $log)"
}

# free_port: a TCP port nobody listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_url URL SECONDS PID
wait_for_url() {
  local url="$1" seconds="$2" pid="$3"
  for _ in $(seq 1 $((seconds * 10))); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# build_site [cargo-leptos options, e.g. --release]: builds the server and
# the browser's WebAssembly split per page (`--split`: each page's code is a
# chunk loaded when that page is first shown), then mends the split build's
# JS glue (see scripts/split-fixup.py) and trims what it sends: custom
# sections, chunks holding nothing, the loader's comments, and one bundle
# per page for the first page a browser shows (scripts/split-slim.py).
# The split's manifest is removed from the site: with it, the server adds a
# preload link per chunk to every page it renders (100-250 of them), which
# took 45% of the module page's throughput (8,288 -> 4,641 req/s); the
# browser's split loader knows each page's chunks and fetches them together
# once the shared wasm runs (docs/performance.md, "First page load").
build_site() {
  cargo leptos build --split "$@"
  python3 "$ROOT/scripts/split-fixup.py" "$ROOT/target/site/pkg/foothold.js"
  python3 "$ROOT/scripts/split-slim.py" "$ROOT/target/site/pkg"
  rm -f "$ROOT/target/site/pkg/__wasm_split_manifest.json"
  # A gzip copy beside each script, wasm module and style sheet in pkg/,
  # which the server sends to browsers that accept gzip (leptos_axum's file
  # handler looks for FILE.gz; `security::protective_headers` marks /pkg/
  # answers `Vary: Accept-Encoding`). A release build's copies are made by
  # zopfli, whose gzip streams are 4-5% smaller than gzip -9's and take
  # about a minute more; a debug build's by gzip -9. Old copies go first,
  # so none outlives the file it was made from.
  local compress=(gzip -9 -k -f)
  case " $* " in *" --release "*) compress=(zopfli --gzip) ;; esac
  find "$ROOT/target/site" -type f -name '*.gz' -delete
  find "$ROOT/target/site/pkg" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) \
    -print0 | xargs -0 -r -P "$(nproc)" -n 16 "${compress[@]}"
}

# check_built_site: stops a benchmark on a site that did not come from
# build_site. `cargo leptos build` alone leaves the split's manifest, from
# which the server adds a preload link per chunk to every page (half the
# module page's throughput), and no bundles, trimmed chunks or gzip copies.
check_built_site() {
  [ ! -e "$ROOT/target/site/pkg/__wasm_split_manifest.json" ] \
    || die "target/site was built without build_site (its split manifest is there); build it with build_site --release, or run without --no-build"
  compgen -G "$ROOT/target/site/pkg/bundle_*.wasm" >/dev/null \
    || die "target/site has no page bundles; build it with build_site --release, or run without --no-build"
}
