#!/usr/bin/env python3
"""Trims what a split build (cargo leptos build --split) sends to the browser.

The splitter writes each page's code as many small wasm files (a page needs
80-230 of them). Four things about its output cost bytes or requests:

- every wasm file carries the `producers` and `target_features` custom
  sections (about 150 bytes gzipped each: 19 KB of the first load of `/`,
  37 KB of `/catalog`); a browser ignores custom sections. They go;
- some chunks hold nothing else, yet each was fetched and instantiated:
  168 of 681 when the splitter kept all data in the main module (38 of the
  119 files the home page loaded). Their loaders go from the split loader,
  with every reference to them, and the files are deleted;
- the split loader (`__wasm_split*.js`) has a comment above each chunk
  naming every page that shares it: 4 KB of its 14 KB gzipped. They go;
- a page's first load fetched its module and every chunk it shares with
  other pages one by one (the 123 files of `/` are 66 KB compressed apart
  and 47 KB as one file). Each page also gets a bundle, its module and
  chunks merged into one (binaryen's wasm-merge, through a small module
  that hands all of them the one memory, table and stack pointer they
  import). The loader fetches a page's bundle when none of its modules is
  loaded yet, which is the first page a browser shows, and marks every
  module in it as loaded; a later page fetches only the chunks it still
  lacks, so no module is instantiated twice (a second instance would
  write its data and table slots again).

It also warns when no chunk carries data: the sign that the splitter kept
every page's strings in the main module (see SPLIT_DATA_ROOM in src/lib.rs).

Run after scripts/split-fixup.py and before the gzip copies are made
(`build_site` in scripts/lib.sh). Idempotent: a second run finds nothing
to do.

usage: scripts/split-slim.py target/site/pkg
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

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


def slim(data: bytes) -> tuple[bytes, set[int]]:
    """The module without the stripped custom sections, and the ids of its other sections (code, data...)."""
    kept = bytearray(data[:8])
    kinds = set()
    for kind, name, start, end in sections(data):
        if kind == 0 and name in STRIPPED:
            continue
        if kind != 0:
            kinds.add(kind)
        kept += data[start:end]
    return bytes(kept), kinds


# The loader's per-module memo becomes one map, so that a bundle can mark
# the modules it holds as loaded; `bundled` fetches a page's bundle when none
# of its modules is loaded yet, and otherwise falls back to the chunks.
MAKE_LOAD = """function makeLoad(url, deps) {
    const loader = async () => {
        const parallelStuff = deps.map(d => d());
        const fetchSelf = fetch(url);
        parallelStuff.push(fetchSelf);
        await Promise.all(parallelStuff);
        const response = await fetchSelf;
        const imports = getSharedImports();
        return await WebAssembly.instantiateStreaming(response, imports);
    };
    const load = () => {
        if (!started.has(url.href)) started.set(url.href, loader());
        return started.get(url.href);
    };
    load.href = url.href;
    load.deps = deps;
    return load;
}
const started = new Map();
function bundled(url, load) {
    const members = [load, ...load.deps].map(d => d.href);
    return () => {
        if (members.some(m => started.has(m))) return load();
        const bundle = fetch(url).then(response =>
            WebAssembly.instantiateStreaming(response, { __wasm_split_bundle: getSharedImports().__wasm_split }));
        members.forEach(m => started.set(m, bundle));
        return bundle;
    };
}
"""
ORIGINAL_MAKE_LOAD = re.compile(r"^function makeLoad\(url, deps\) \{\n.*?^\}\n", re.S | re.M)
PAGE_LOAD = re.compile(
    r'^(export const \w+ = wrapAsyncCb\()makeLoad\(new URL\("\./(split_\w+)\.wasm", import\.meta\.url\), \[([^\]]*)\]\)\);$',
    re.M,
)
BINARYEN_FEATURES = [
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
    "--enable-nontrapping-float-to-int",
]


def imported_limits(data: bytes) -> dict[str, int]:
    """The minimum size of the memory and the table a module imports."""
    found = {}
    for kind, _, start, end in sections(data):
        if kind != 2:
            continue
        _, at = leb128(data, start + 1)  # the section id, then its size
        count, at = leb128(data, at)
        for _ in range(count):
            for _ in range(2):  # module and field names
                length, at = leb128(data, at)
                at += length
            external = data[at]
            at += 1
            if external == 0:  # function: type index
                _, at = leb128(data, at)
            elif external in (1, 2):  # table: element type, then limits; memory: limits
                if external == 1:
                    at += 1
                flags = data[at]
                minimum, at = leb128(data, at + 1)
                if flags & 1:
                    _, at = leb128(data, at)
                found["table" if external == 1 else "memory"] = minimum
            elif external == 3:  # global: value type and mutability
                at += 2
            else:
                raise ValueError(f"unknown import kind {external}")
    return found


def bundle(pkg: str, text: str, binaryen: str) -> str:
    """Writes each page's bundle and returns the loader that uses them."""
    pages = list(PAGE_LOAD.finditer(text))
    memory = table = 0
    for path in glob.glob(os.path.join(pkg, "*.wasm")):
        if os.path.basename(path) != "foothold.wasm":
            limits = imported_limits(open(path, "rb").read())
            memory = max(memory, limits.get("memory", 0))
            table = max(table, limits.get("table", 0))
    host = f"""(module
  (import "__wasm_split_bundle" "memory" (memory $m {memory}))
  (import "__wasm_split_bundle" "__indirect_function_table" (table $t {table} funcref))
  (import "__wasm_split_bundle" "__stack_pointer" (global $g (mut i32)))
  (export "memory" (memory $m))
  (export "__indirect_function_table" (table $t))
  (export "__stack_pointer" (global $g)))
"""
    with tempfile.TemporaryDirectory() as work:
        open(os.path.join(work, "host.wat"), "w").write(host)
        host_wasm = os.path.join(work, "host.wasm")
        subprocess.run([os.path.join(binaryen, "wasm-as"), *BINARYEN_FEATURES, os.path.join(work, "host.wat"), "-o", host_wasm], check=True)
        unknown_names = 0
        for page in pages:
            module, deps = page.group(2), [d.strip()[2:] for d in page.group(3).split(",") if d.strip()]
            args = [host_wasm, "__wasm_split"]
            for n, name in enumerate([module, *deps]):
                args += [os.path.join(pkg, name + ".wasm"), f"m{n}"]
            out = os.path.join(pkg, "bundle" + module[len("split") :] + ".wasm")
            merge = [os.path.join(binaryen, "wasm-merge"), *args, *BINARYEN_FEATURES, "-o", out]
            result = subprocess.run(merge, capture_output=True, text=True)
            # A debug build's name sections carry a subsection binaryen does
            # not read (4,392 warnings in one debug build, nothing lost): shown
            # as one count, every other line as it is.
            for line in result.stderr.splitlines():
                if "unknown name subsection" in line:
                    unknown_names += 1
                else:
                    print(line, file=sys.stderr)
            if result.returncode:
                raise subprocess.CalledProcessError(result.returncode, merge, result.stdout, result.stderr)
            merged = slim(open(out, "rb").read())[0]
            open(out, "wb").write(merged)
        if unknown_names:
            print(f"split-slim: wasm-merge skipped {unknown_names} unknown name subsections", file=sys.stderr)
    text, found = ORIGINAL_MAKE_LOAD.subn(MAKE_LOAD, text)
    if found != 1:
        raise ValueError("the loader's makeLoad is not the one this script knows")
    return PAGE_LOAD.sub(
        lambda m: f'{m.group(1)}bundled(new URL("./bundle{m.group(2)[len("split"):]}.wasm", import.meta.url), '
        f'makeLoad(new URL("./{m.group(2)}.wasm", import.meta.url), [{m.group(3)}])));',
        text,
    )


def main(pkg: str) -> int:
    loaders = glob.glob(os.path.join(pkg, "__wasm_split*.js"))
    saved = 0
    empty = []
    split_data = False
    for path in sorted(glob.glob(os.path.join(pkg, "*.wasm"))):
        data = open(path, "rb").read()
        try:
            slimmed, kinds = slim(data)
        except (ValueError, IndexError) as error:
            print(f"split-slim: {path}: {error}", file=sys.stderr)
            return 1
        name = os.path.basename(path)
        if name != "foothold.wasm" and DATA in kinds:
            split_data = True
        if not kinds and re.fullmatch(r"chunk_\d+\.wasm", name) and loaders:
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
        if "function bundled(" not in text:
            binaryen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "node_modules", "binaryen", "bin")
            try:
                text = bundle(pkg, text, binaryen)
            except (ValueError, subprocess.CalledProcessError) as error:
                print(f"split-slim: {loader}: cannot bundle the pages: {error}", file=sys.stderr)
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
