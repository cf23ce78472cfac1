#!/usr/bin/env python3
"""Mends the JS glue of a split build (cargo leptos build --split).

cargo-leptos 0.3.5's wasm splitter hides the `reference-types` feature from
wasm-bindgen so that its externref pass leaves the split functions alone.
wasm-bindgen 0.2.130 then skips the pass that would have replaced its
`__wbindgen_externref_statics_end` intrinsic, and the glue imports it from
a module that does not exist ("__wbindgen_externref_xform__"): the browser
refuses to load the glue and nothing hydrates.

Without the externref pass, JS values live in the glue's heap array, whose
first slots are fixed (the reserved ones, which `dropObject` never frees);
the intrinsic's value is the first slot after them. This replaces the import
with that constant, read from the glue itself.

usage: scripts/split-fixup.py target/site/pkg/foothold.js
"""
import re
import sys

MODULE = "__wbindgen_externref_xform__"


def main(path: str) -> int:
    text = open(path, encoding="utf-8").read()
    imports = list(re.finditer(r"import\s*\*\s*as\s*([\w$]+)\s*from\s*['\"]" + MODULE + r"['\"]\s*;?", text))
    if not imports:
        return 0  # nothing to mend (a build without the split, or a fixed wasm-bindgen)
    # The heap: `new Array(N).fill(undefined)` (or minified `Array(N).fill(void 0)`),
    # then the four reserved values undefined, null, true, false.
    heap = re.search(r"Array\((\d+)\)\.fill\((?:undefined|void 0)\)", text)
    reserved = re.search(r"\.push\((?:undefined|void 0),\s*null,\s*(?:true|!0),\s*(?:false|!1)\)", text)
    if not heap or not reserved:
        print(f"split-fixup: cannot find the heap's fixed slots in {path}", file=sys.stderr)
        return 1
    statics_end = int(heap.group(1)) + 4
    for found in reversed(imports):
        name = found.group(1)
        shim = f"const {name}={{__wbindgen_externref_statics_end:()=>{statics_end}}};"
        text = text[: found.start()] + shim + text[found.end() :]
    open(path, "w", encoding="utf-8").write(text)
    print(f"split-fixup: {path}: {MODULE} replaced (static slots end at {statics_end})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
