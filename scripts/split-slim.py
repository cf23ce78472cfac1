#!/usr/bin/env python3
"""Trims what a split build (cargo leptos build --split) sends to the browser.

The splitter writes each page's code as many small wasm files (a page needs
90-230 of them), and three things in its output cost bytes or requests and
do nothing in a browser:

- every wasm file carries the `producers` and `target_features` custom
  sections (about 150 bytes gzipped each: 19 KB of the first load of `/`,
  37 KB of `/catalog`); a browser ignores custom sections;
- about a quarter of the chunks hold no code at all (only those two
  sections), yet each is fetched and instantiated: 38 of the 119 files the
  home page loads. Their loaders are removed from the split loader, with
  every reference to them, and the files are deleted;
- the split loader (`__wasm_split*.js`) has a comment above each chunk
  naming every page that shares it: 4 KB of its 14 KB gzipped.

Run after scripts/split-fixup.py and before the gzip copies are made
(`build_site` in scripts/lib.sh). Idempotent: a second run finds nothing
to trim.

usage: scripts/split-slim.py target/site/pkg
"""
import glob
import os
import re
import sys

STRIPPED = {"producers", "target_features"}
DATA = 11  # the data section's id


def leb128(data: bytes, at: int) -> tuple[int, int]:
    """An unsigned LEB128 number at `at`, and the offset after it."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def sections(data: bytes):
    """(id, custom section name or None, start, end) of each section."""
    if data[:4] != b"\0asm":
        raise ValueError("not a WebAssembly module")
    at = 8
    while at < len(data):
        start = at
        kind = data[at]
        size, body = leb128(data, at + 1)
        end = body + size
        if end > len(data):
            raise ValueError("a section runs past the end of the file")
        name = None
        if kind == 0:
            length, text = leb128(data, body)
            name = data[text : text + length].decode("utf-8", "replace")
        yield kind, name, start, end
        at = end


def slim(data: bytes) -> tuple[bytes, bool]:
    """The module without the stripped custom sections, and whether anything but custom sections is left."""
    kept = bytearray(data[:8])
    has_code = False
    for kind, name, start, end in sections(data):
        if kind == 0 and name in STRIPPED:
            continue
        has_code = has_code or kind != 0
        kept += data[start:end]
    return bytes(kept), has_code


def main(pkg: str) -> int:
    loaders = glob.glob(os.path.join(pkg, "__wasm_split*.js"))
    saved = 0
    empty = []
    split_data = False
    for path in sorted(glob.glob(os.path.join(pkg, "*.wasm"))):
        data = open(path, "rb").read()
        try:
            slimmed, has_code = slim(data)
        except (ValueError, IndexError) as error:
            print(f"split-slim: {path}: {error}", file=sys.stderr)
            return 1
        name = os.path.basename(path)
        if name != "foothold.wasm" and any(kind == DATA for kind, _, _, _ in sections(slimmed)):
            split_data = True
        if not has_code and re.fullmatch(r"chunk_\d+\.wasm", name) and loaders:
            empty.append(name[: -len(".wasm")])
        if len(slimmed) != len(data):
            saved += len(data) - len(slimmed)
            open(path, "wb").write(slimmed)
    if len(loaders) > 1:
        print(f"split-slim: more than one split loader in {pkg}: {loaders}", file=sys.stderr)
        return 1
    if loaders:
        loader = loaders[0]
        text = open(loader, encoding="utf-8").read()
        text = re.sub(r"^/\*.*?\*/\n", "", text, flags=re.S | re.M)
        for chunk in empty:
            declaration = re.compile(
                r"^const __" + chunk + r' = makeLoad\(new URL\("\./' + chunk + r'\.wasm", import\.meta\.url\), \[\]\);\n',
                re.M,
            )
            text, found = declaration.subn("", text)
            if found != 1:
                print(f"split-slim: {loader}: no plain loader for the empty {chunk}", file=sys.stderr)
                return 1
            text = re.sub(r"(?:, )?\b__" + chunk + r"\b(?:, )?", lambda m: ", " if m.group(0).count(",") == 2 else "", text)
            if re.search(r"\b__" + chunk + r"\b|\b" + chunk + r"\.wasm\b", text):
                print(f"split-slim: {loader}: {chunk} is still referenced", file=sys.stderr)
                return 1
        open(loader, "w", encoding="utf-8").write(text)
        for chunk in empty:
            os.remove(os.path.join(pkg, chunk + ".wasm"))
    if loaders and not split_data:
        # The splitter fell back to keeping all read-only data in the main
        # module (see SPLIT_DATA_ROOM in src/lib.rs): the site works, but
        # every page downloads every page's strings (about 70 KB gzipped).
        print(f"split-slim: warning: no chunk in {pkg} carries data; is SPLIT_DATA_ROOM too small?", file=sys.stderr)
    print(f"split-slim: {pkg}: {saved} bytes of custom sections removed, {len(empty)} empty chunks dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
