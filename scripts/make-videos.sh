#!/usr/bin/env bash
# Makes the narrated slide-lecture videos shown on the module pages.
#
# For every media-src/SLUG.txt (SLUG = a module slug in seed/demo.json) it writes
#   public/media/SLUG.webm  640x360 VP9 slides at 2 fps + mono Opus narration (~60-110 s, <1 MB)
#   public/media/SLUG.vtt   WebVTT captions, one cue per phrase, timed from the real audio
#   public/media/SLUG.jpg   640x360 thumbnail (the title slide), under 60 KB
# The source format is described in media-src/README.md. Narration is spoken by
# espeak-ng (voice en-us, 160 words a minute); slides are drawn with ImageMagick
# in DejaVu Sans Mono; ffmpeg encodes.
#
# NOT part of the normal build: the outputs in public/media are committed. Run it
# by hand after editing media-src/, then commit public/media.
#
#   scripts/make-videos.sh                 # every video whose source is newer than its outputs
#   scripts/make-videos.sh incident-response  # only these slugs
#   FORCE=1 scripts/make-videos.sh         # rebuild everything
#
# Time: about 6 s per video on 2 cores (everything runs under nice -n 19 with one
# encoder thread), so under a minute for all eight; up-to-date videos are skipped
# (plus a few minutes the first time if the apt packages must be installed).
# Needs Debian packages ffmpeg, espeak-ng, imagemagick, fonts-dejavu-core and
# python3; installs the missing ones with apt-get (as root, or through sudo).
# Output is deterministic for the same tool versions (bit-exact muxing, one thread).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/media-src"
OUT="$ROOT/public/media"
FORCE="${FORCE:-0}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }

# --- dependencies -----------------------------------------------------------
missing=()
for pkg in ffmpeg espeak-ng imagemagick fonts-dejavu-core python3; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt: installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
fi
CONVERT=/usr/bin/convert
[ -x "$CONVERT" ] || CONVERT="$(command -v convert)"
export CONVERT

# --- which videos -----------------------------------------------------------
mkdir -p "$OUT"
if [ $# -gt 0 ]; then
  slugs=("$@")
else
  slugs=()
  for f in "$SRC"/*.txt; do slugs+=("$(basename "$f" .txt)"); done
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

built=0
for slug in "${slugs[@]}"; do
  src="$SRC/$slug.txt"
  [ -f "$src" ] || { echo "no such source: $src" >&2; exit 1; }
  if [ "$FORCE" != 1 ] && [ "$OUT/$slug.webm" -nt "$src" ] && [ "$OUT/$slug.vtt" -nt "$src" ] \
     && [ "$OUT/$slug.jpg" -nt "$src" ]; then
    echo "up to date: $slug"
    continue
  fi
  step "$slug"
  start=$SECONDS
  work="$TMP/$slug"
  mkdir -p "$work"
  python3 - "$src" "$OUT" "$work" <<'PY'
"""Builds one video: parse the source, speak each phrase, draw the slides, encode."""
import array, os, re, shutil, subprocess, sys, textwrap, wave

src, out_dir, work = sys.argv[1:4]
slug = os.path.basename(src)[:-4]
CONVERT = os.environ["CONVERT"]

W, H, FPS = 640, 360, 2
BG, ACCENT, TEXT, DIM = "#0a0f0b", "#00ff41", "#d9fbe2", "#5f9a6f"
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
MONO, MONO_BOLD = f"{FONT_DIR}/DejaVuSansMono.ttf", f"{FONT_DIR}/DejaVuSansMono-Bold.ttf"
CHAR_W = 0.602  # DejaVu Sans Mono advance width, in ems
VOICE, WPM = "en-us", "160"
LEAD, PHRASE_GAP, SENTENCE_GAP, TAIL = 0.35, 0.15, 0.35, 0.7  # seconds of silence
MAX_CUE = 84  # characters per caption cue (two lines of ~42)
NICE = ["nice", "-n", "19"]


def run(cmd):
    subprocess.run(NICE + cmd, check=True, stdout=subprocess.DEVNULL)


# --- parse ------------------------------------------------------------------
lexicon, slides, cur = [], [], None
for raw in open(src, encoding="utf-8"):
    line = raw.rstrip("\n")
    if line.startswith("#"):
        continue
    if line.startswith("= "):
        written, spoken = line[2:].split(" => ", 1)
        lexicon.append((written.strip(), spoken.strip()))
        continue
    if line.strip() == "---":
        cur = None
        continue
    if not line.strip():
        continue
    if cur is None:
        cur = {"heading": line.strip(), "bullets": [], "narration": []}
        slides.append(cur)
    elif line.startswith("- "):
        cur["bullets"].append(line[2:].strip())
    elif line.startswith("> "):
        cur["narration"].append(line[2:].strip())
    else:
        sys.exit(f"{src}: unexpected line: {line!r}")
for s in slides:
    s["narration"] = " ".join(s["narration"])
    if not s["narration"]:
        sys.exit(f"{src}: slide {s['heading']!r} has no narration")
lexicon.sort(key=lambda p: -len(p[0]))


def spoken(text):
    for written, say in lexicon:
        text = re.sub(r"(?<!\w)" + re.escape(written) + r"(?!\w)", say, text)
    return text


def phrases(paragraph):
    """Caption-sized pieces: sentences, split further at , ; : when too long."""
    result = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])", paragraph):
        parts = re.split(r"(?<=[,;:])\s+", sentence)
        chunk = ""
        for part in parts:
            if chunk and len(chunk) + 1 + len(part) > MAX_CUE:
                result.append((chunk, False))
                chunk = part
            else:
                chunk = f"{chunk} {part}" if chunk else part
        result.append((chunk, True))  # True: ends a sentence
    return result


# --- audio --------------------------------------------------------------------
RATE = None
samples = array.array("h")
cues, slide_times = [], []


def silence(seconds):
    samples.extend(array.array("h", bytes(2 * round(seconds * RATE))))


for i, s in enumerate(slides):
    slide_start = len(samples)
    first = True
    for j, (text, sentence_end) in enumerate(phrases(s["narration"])):
        wav = f"{work}/s{i}-{j}.wav"
        run(["espeak-ng", "-v", VOICE, "-s", WPM, "-w", wav, spoken(text)])
        with wave.open(wav) as w:
            if RATE is None:
                RATE = w.getframerate()
            assert w.getnchannels() == 1 and w.getsampwidth() == 2 and w.getframerate() == RATE
            a = array.array("h", w.readframes(w.getnframes()))
        loud = [k for k, v in enumerate(a) if abs(v) > 250]
        margin = int(0.03 * RATE)
        a = a[max(0, loud[0] - margin): loud[-1] + margin]
        if first:
            silence(LEAD)
            first = False
        start = len(samples) / RATE
        samples.extend(a)
        cues.append([start, len(samples) / RATE, text])
        silence(SENTENCE_GAP if sentence_end else PHRASE_GAP)
    # end the slide on a frame boundary, after at least TAIL seconds of quiet
    del samples[len(samples) - round(SENTENCE_GAP * RATE):]
    silence(TAIL)
    frame = RATE // FPS
    silence(((-len(samples)) % frame) / RATE)
    slide_times.append((slide_start / RATE, len(samples) / RATE))
    cues[-1][1] = len(samples) / RATE - 0.3

# a cue lasts until the next one starts, within a slide
for k in range(len(cues) - 1):
    if cues[k + 1][0] - cues[k][1] < 0.5:
        cues[k][1] = cues[k + 1][0]

narration_wav = f"{work}/narration.wav"
with wave.open(narration_wav, "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(RATE)
    w.writeframes(samples.tobytes())
total = len(samples) / RATE

# --- captions -------------------------------------------------------------------
def ts(t):
    ms = round(t * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def vtt_escape(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


vtt = ["WEBVTT", ""]
for n, (a, b, text) in enumerate(cues, 1):
    lines = textwrap.wrap(text, width=max(32, (len(text) + 1) // 2 + 4)) if len(text) > 46 else [text]
    vtt += [str(n), f"{ts(a)} --> {ts(b)}", *map(vtt_escape, lines), ""]
with open(f"{work}/captions.vtt", "w", encoding="utf-8") as f:
    f.write("\n".join(vtt))

# --- slides ---------------------------------------------------------------------
def im_text(t):
    if t.startswith("@") or "\\" in t:
        sys.exit(f"{src}: text ImageMagick would misread: {t!r}")
    # -annotate expands %-escapes and decodes &lt; &gt; &amp; entities
    return t.replace("%", "%%").replace("&", "&amp;")


def wrap(text, size, width_px):
    cols = max(8, int(width_px / (size * CHAR_W)))
    return textwrap.wrap(text, width=cols, break_on_hyphens=False) or [""]


def draw(png, ops):
    cmd = [CONVERT, "-size", f"{W}x{H}", f"xc:{BG}", "-gravity", "NorthWest"]
    cmd += ["-fill", ACCENT, "-draw", f"rectangle 0,0 {W - 1},3"]  # accent bar along the top
    for kind, *args in ops:
        if kind == "text":
            x, y, size, font, colour, text = args
            cmd += ["-font", font, "-pointsize", str(size), "-fill", colour,
                    "-annotate", f"+{x}+{y}", im_text(text)]
        elif kind == "rect":
            x0, y0, x1, y1, colour = args
            cmd += ["-fill", colour, "-draw", f"rectangle {x0},{y0} {x1},{y1}"]
    run(cmd + ["-strip", "-depth", "8", png])


MARGIN = 36
title = slides[0]["heading"]
count = len(slides)
pngs = []
for i, s in enumerate(slides):
    ops = []
    if i == 0:
        kicker = s["bullets"][0].upper() if s["bullets"] else ""
        subtitle = s["bullets"][1:]
        ops.append(("rect", MARGIN, 34, MARGIN + 9, 49, ACCENT))
        ops.append(("text", MARGIN + 18, 31, 16, MONO_BOLD, ACCENT, "FOOTHOLD"))
        size = 30
        t_lines = wrap(s["heading"], size, W - 2 * MARGIN)
        if len(t_lines) > 3:
            size = 26
            t_lines = wrap(s["heading"], size, W - 2 * MARGIN)
        sub_lines = [l for p in subtitle for l in wrap(p, 15, W - 2 * MARGIN)]
        block = 22 + len(t_lines) * int(size * 1.25) + 14 + len(sub_lines) * 22
        y = max(86, (H - block) // 2 + 10)
        ops.append(("text", MARGIN, y, 13, MONO, DIM, kicker))
        y += 24
        for l in t_lines:
            ops.append(("text", MARGIN, y, size, MONO_BOLD, ACCENT, l))
            y += int(size * 1.25)
        y += 14
        for l in sub_lines:
            ops.append(("text", MARGIN, y, 15, MONO, TEXT, l))
            y += 22
        ops.append(("rect", MARGIN, H - 34, MARGIN + 120, H - 32, ACCENT))
        ops.append(("text", MARGIN, H - 26, 11, MONO, DIM, "narrated lesson · captions available"))
    else:
        h_size = 24
        ops.append(("text", MARGIN, 26, h_size, MONO_BOLD, ACCENT, s["heading"]))
        ops.append(("rect", MARGIN, 66, MARGIN + 56, 68, ACCENT))
        top, bottom = 90, H - 44
        for size in (18, 17, 16, 15, 14, 13):
            gap, lh = int(size * 0.75), int(size * 1.38)
            wrapped = [wrap(b, size, W - 2 * MARGIN - 26) for b in s["bullets"]]
            height = sum(len(w) * lh for w in wrapped) + gap * (len(wrapped) - 1)
            if height <= bottom - top:
                break
        y = top + max(0, (bottom - top - height) // 3)
        for lines in wrapped:
            ops.append(("text", MARGIN, y, size, MONO_BOLD, ACCENT, ">"))
            for l in lines:
                ops.append(("text", MARGIN + 26, y, size, MONO, TEXT, l))
                y += lh
            y += gap
        footer = "foothold · " + (title if len(title) <= 52 else title[:51] + "…")
        ops.append(("text", MARGIN, H - 27, 11, MONO, DIM, footer))
        ops.append(("text", W - MARGIN - int(11 * CHAR_W * 5), H - 27, 11, MONO, DIM, f"{i + 1:>2}/{count}"))
    png = f"{work}/slide{i}.png"
    draw(png, ops)
    pngs.append(png)

# --- encode -----------------------------------------------------------------------
with open(f"{work}/slides.ffconcat", "w") as f:
    f.write("ffconcat version 1.0\n")
    for png, (a, b) in zip(pngs, slide_times):
        f.write(f"file '{png}'\nduration {b - a:.3f}\n")
    f.write(f"file '{pngs[-1]}'\n")

webm_tmp = f"{work}/{slug}.webm"
run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y",
     "-f", "concat", "-safe", "0", "-i", f"{work}/slides.ffconcat", "-i", narration_wav,
     "-map", "0:v", "-map", "1:a", "-t", f"{total:.3f}",
     "-vf", f"fps={FPS},format=yuv420p", "-threads", "1",
     "-c:v", "libvpx-vp9", "-crf", "40", "-b:v", "0", "-deadline", "good", "-cpu-used", "4",
     "-row-mt", "0", "-g", str(FPS * 30),
     "-c:a", "libopus", "-b:a", "24k", "-ac", "1", "-application", "voip",
     "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
     webm_tmp])

jpg_tmp = f"{work}/{slug}.jpg"
for q in (88, 80, 70, 60):
    run([CONVERT, pngs[0], "-strip", "-sampling-factor", "4:2:0", "-quality", str(q), jpg_tmp])
    if os.path.getsize(jpg_tmp) < 60_000:
        break

for tmp, ext in ((webm_tmp, "webm"), (f"{work}/captions.vtt", "vtt"), (jpg_tmp, "jpg")):
    shutil.move(tmp, f"{out_dir}/{slug}.{ext}")
words = sum(len(s["narration"].split()) for s in slides)
print(f"{slug}: {len(slides)} slides, {words} words, {total:.1f} s, {len(cues)} cues")
PY
  rm -rf "$work"
  echo "  done in $((SECONDS - start)) s: $(du -h "$OUT/$slug.webm" | cut -f1) webm"
  built=$((built + 1))
done
echo "built $built video(s); public/media holds $(du -sh "$OUT" | cut -f1)"
