#!/usr/bin/env python3
"""Signs in the benchmark learners of a synthetic data set and picks, for each,
an item to send heartbeats to and a quiz to submit, through Foothold's own
API (no database access). Writes a Lua table that bench/wrk.lua reads.

usage: prepare.py BASE_URL PASSWORD COUNT OUT.lua
"""

import http.cookiejar
import json
import sys
import urllib.parse
import urllib.request


def client(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def call(path, form):
        data = urllib.parse.urlencode(form).encode()
        req = urllib.request.Request(base + path, data=data, headers={"Origin": base, "Accept": "application/json"})
        with opener.open(req, timeout=60) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    return jar, call


def prepare(base, password, index):
    username = f"learner{index:06d}"
    jar, call = client(base)
    call("/api/auth/login", {"login": username, "password": password})
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if not cookie:
        raise SystemExit(f"{username} could not sign in")
    dashboard = call("/api/dashboard", {})
    beat_item = quiz = None
    for module in dashboard.get("modules", []):
        detail = call("/api/learn/module", {"id": module["id"]})
        for item in detail["syllabus"]:
            if item.get("locked"):
                continue
            if beat_item is None and item["kind"] in ("video", "document"):
                beat_item = (module["id"], item["id"])
            if quiz is None and item["kind"] == "game":
                quiz = (module["id"], item["id"])
        if beat_item and quiz:
            break
    # Opening the items creates the progress documents the writes go to.
    for target in (beat_item, quiz):
        if target:
            call("/api/learn/player", {"module_id": target[0], "content_id": target[1]})
    return cookie, beat_item, quiz


def main():
    base, password, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    rows = []
    for i in range(count):
        cookie, beat_item, quiz = prepare(base, password, i)
        rows.append(
            "  { cookie = %s, beat = %s, quiz = %s },"
            % (
                json.dumps(cookie),
                json.dumps(beat_item[1]) if beat_item else "nil",
                json.dumps(quiz[1]) if quiz else "nil",
            )
        )
    with open(out, "w") as f:
        f.write("return {\n" + "\n".join(rows) + "\n}\n")
    beats = sum(1 for r in rows if "beat = nil" not in r)
    quizzes = sum(1 for r in rows if "quiz = nil" not in r)
    print(f"prepared {len(rows)} learners: {beats} with an item for heartbeats, {quizzes} with a quiz")


if __name__ == "__main__":
    main()
