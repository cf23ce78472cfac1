#!/usr/bin/env python3
"""Drives Foothold for reliability/run through its own HTTP API (no database
access, Python standard library only). Each command prints one JSON object.

usage:
  drive.py points BASE PASSWORD CLIENTS EVENTS
      One learner, CLIENTS sessions (threads) sending EVENTS point-earning
      events each (lab flags and quiz answers, a fifth of them wrong, every
      one with a new attempt id) at once. Reports the sum of the points the
      acknowledged events say they added, and the learner's points before
      and after.
  drive.py points-read BASE PASSWORD
      The learner's points as the dashboard shows them.
  drive.py write-load BASE PASSWORD LEARNERS STOP_FILE LOG
      LEARNERS learners (threads) submit quiz answers and lab flags, one at a
      time, until STOP_FILE exists. A request that is not acknowledged is
      retried with the same attempt id until it is, so every attempt counts
      exactly once if nothing is lost and nothing is duplicated. Writes the
      acknowledged attempts per item to LOG.
  drive.py verify BASE PASSWORD LOG
      Compares each item's attempt count with the acknowledged attempts in LOG.
  drive.py probe BASE SECONDS
      While the database is down: requests a page and a server function that
      both read the database, for SECONDS, reporting their status codes and
      the slowest answer.
  drive.py wait-serving BASE TIMEOUT
      Seconds until /catalog answers 200 again.
  drive.py describe points|crash JSON...
      The Markdown lines docs/reliability.md shows for a test's JSON results.
"""

import http.cookiejar
import json
import os
import random
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

LAB_FLAG = "FLAG{synthetic}"


class Client:
    """One browser: a cookie jar and the server-function calling convention."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def call(self, path, form, timeout=30):
        """POSTs a server function; returns (status, parsed body or None)."""
        data = urllib.parse.urlencode(form).encode()
        req = urllib.request.Request(
            self.base + path, data=data, headers={"Origin": self.base, "Accept": "application/json"}
        )
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                body = resp.read()
                return resp.status, (json.loads(body) if body else None)
        except urllib.error.HTTPError as e:
            body = e.read()
            try:
                return e.code, json.loads(body)
            except ValueError:
                return e.code, body.decode(errors="replace")[:200]
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
            return 0, str(e)

    def must(self, path, form):
        status, body = self.call(path, form)
        if status != 200:
            raise SystemExit(f"{path} answered {status}: {body}")
        return body

    def sign_in(self, username, password):
        self.must("/api/auth/login", {"login": username, "password": password})


def learner_name(i):
    return f"learner{i:06d}"


def targets(client, enroll=True, modules=None):
    """Enrolls in every module (or the first `modules`) and opens every lab
    and game; returns [(module_id, content_id, kind)]."""
    catalog = client.must("/api/catalog", {})
    ids = [m["id"] for phase in catalog["phases"] for m in phase["modules"]]
    if modules:
        ids = ids[:modules]
    found = []
    for module in ids:
        if enroll:
            status, body = client.call("/api/learn/enroll", {"module_id": module})
            if status != 200 and "already" not in json.dumps(body).lower():
                raise SystemExit(f"enrolling in {module} answered {status}: {body}")
        detail = client.must("/api/learn/module", {"id": module})
        for item in detail["syllabus"]:
            if item["kind"] in ("lab", "game") and not item.get("locked"):
                client.must("/api/learn/player", {"module_id": module, "content_id": item["id"]})
                found.append((module, item["id"], item["kind"]))
    return found


def event_form(target, attempt, right):
    _, content, kind = target
    if kind == "lab":
        return "/api/learn/lab", {"content_id": content, "attempt": attempt, "answer": LAB_FLAG if right else "FLAG{no}"}
    return "/api/learn/game", {"content_id": content, "attempt": attempt, "answers[q1]": "1" if right else "0"}


def points_of(client):
    return client.must("/api/dashboard", {})["points"]


def cmd_points(base, password, clients, events):
    owner = Client(base)
    owner.sign_in(learner_name(0), password)
    items = targets(owner)
    if not items:
        raise SystemExit("no lab or game is open to the learner")
    before = points_of(owner)
    lock = threading.Lock()
    result = {"acknowledged": 0, "refused": {}, "points": 0, "completions": {}}

    def run(k):
        c = Client(base)
        c.sign_in(learner_name(0), password)
        rng = random.Random(k)
        for n in range(events):
            target = rng.choice(items)
            path, form = event_form(target, f"rel-{k}-{n}-{rng.randrange(10**9)}", rng.random() >= 0.2)
            status, body = c.call(path, form)
            with lock:
                if status == 200:
                    outcome = body["outcome"]
                    result["acknowledged"] += 1
                    result["points"] += outcome.get("points", 0)
                    if outcome["just_completed"]:
                        result["completions"][target[1]] = result["completions"].get(target[1], 0) + 1
                else:
                    key = str(status)
                    result["refused"][key] = result["refused"].get(key, 0) + 1

    started = time.time()
    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.time() - started
    after = points_of(owner)
    completions = result["completions"]
    print(json.dumps({
        "clients": clients,
        "events": clients * events,
        "items": len(items),
        "seconds": round(took, 1),
        "acknowledged": result["acknowledged"],
        "refused": result["refused"],
        "points_before": before,
        "points_after": after,
        "acknowledged_points": result["points"],
        "items_completed": len(completions),
        "items_completed_twice": sum(1 for n in completions.values() if n > 1),
        "ok": after - before == result["points"] and all(n == 1 for n in completions.values()),
    }))


def cmd_points_read(base, password):
    c = Client(base)
    c.sign_in(learner_name(0), password)
    print(json.dumps({"points": points_of(c)}))


def cmd_write_load(base, password, learners, stop_file, log):
    lock = threading.Lock()
    acknowledged = {}  # "learner content" -> distinct acknowledged attempts
    stats = {"acknowledged": 0, "retries": 0, "statuses": {}}

    def run(k):
        c = Client(base)
        c.sign_in(learner_name(k), password)
        items = targets(c, modules=2)
        rng = random.Random(1000 + k)
        n = 0
        while not os.path.exists(stop_file):
            target = rng.choice(items)
            attempt = f"crash-{k}-{n}-{rng.randrange(10**9)}"
            # A lab's right flag would close it; wrong flags keep every attempt counted.
            path, form = event_form(target, attempt, target[2] == "game" and rng.random() < 0.5)
            while True:
                status, body = c.call(path, form, timeout=15)
                with lock:
                    stats["statuses"][str(status)] = stats["statuses"].get(str(status), 0) + 1
                if status == 200:
                    break
                if status == 401:  # a session lost with the app: sign in again
                    c = Client(base)
                    while c.call("/api/auth/login", {"login": learner_name(k), "password": password})[0] != 200:
                        time.sleep(0.2)
                with lock:
                    stats["retries"] += 1
                time.sleep(0.1)
            with lock:
                key = f"{k} {target[1]}"
                acknowledged[key] = acknowledged.get(key, 0) + 1
                stats["acknowledged"] += 1
            n += 1

    threads = [threading.Thread(target=run, args=(k,)) for k in range(learners)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(log, "w") as f:
        json.dump(acknowledged, f)
    print(json.dumps(stats))


def cmd_verify(base, password, log):
    with open(log) as f:
        acknowledged = json.load(f)
    by_learner = {}
    for key, count in acknowledged.items():
        k, content = key.split(" ")
        by_learner.setdefault(int(k), {})[content] = count
    lost = duplicated = checked = 0
    for k, items in sorted(by_learner.items()):
        c = Client(base)
        c.sign_in(learner_name(k), password)
        catalog = c.must("/api/catalog", {})
        modules = [m["id"] for phase in catalog["phases"] for m in phase["modules"]][:2]
        module_of = {}
        for module in modules:
            for item in c.must("/api/learn/module", {"id": module})["syllabus"]:
                module_of[item["id"]] = module
        for content, count in items.items():
            player = c.must("/api/learn/player", {"module_id": module_of[content], "content_id": content})
            stored = player["progress"]["attempts"]
            checked += count
            if stored < count:
                lost += count - stored
            elif stored > count:
                duplicated += stored - count
    print(json.dumps({"acknowledged": checked, "lost": lost, "duplicated": duplicated, "ok": lost == 0 and duplicated == 0}))


def cmd_probe(base, seconds):
    statuses = {}
    slowest = 0.0
    c = Client(base)
    end = time.time() + seconds
    n = 0
    while time.time() < end:
        start = time.time()
        if n % 2 == 0:
            try:
                # A profile page: read from the database on every request.
                with urllib.request.urlopen(base + "/u/learner000000", timeout=30) as resp:
                    status = resp.status
            except urllib.error.HTTPError as e:
                status = e.code
            except (urllib.error.URLError, OSError):
                status = 0
        else:
            status, _ = c.call("/api/auth/login", {"login": "learner000000", "password": "not the password"}, timeout=30)
        slowest = max(slowest, time.time() - start)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        n += 1
        time.sleep(0.05)
    print(json.dumps({"requests": n, "statuses": statuses, "slowest_ms": round(slowest * 1000)}))


def cmd_wait_serving(base, timeout):
    start = time.time()
    while time.time() - start < timeout:
        try:
            with urllib.request.urlopen(base + "/catalog", timeout=5) as resp:
                if resp.status == 200:
                    print(json.dumps({"serving_after_ms": round((time.time() - start) * 1000)}))
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    print(json.dumps({"serving_after_ms": None}))


def counts(statuses):
    return ", ".join(f"{n:,} × {s}" for s, n in sorted(statuses.items())) or "none"


def cmd_describe(kind, results):
    r = [json.loads(x) for x in results]
    if kind == "points":
        p, rebuilt = r[0], r[1]["points"]
        gained = p["points_after"] - p["points_before"]
        print(f"- {p['events']:,} events ({p['clients']} sessions × {p['events'] // p['clients']}) over "
              f"{p['items']} labs and quizzes in {p['seconds']} s; acknowledged {p['acknowledged']:,}, "
              f"refused: {counts(p['refused'])}.")
        print(f"- Points before {p['points_before']:,}, after {p['points_after']:,} (+{gained:,}); the acknowledged "
              f"events report {p['acknowledged_points']:,}: "
              f"{'equal' if gained == p['acknowledged_points'] else 'NOT EQUAL'}.")
        print(f"- {p['items_completed']} items completed; {p['items_completed_twice']} reported completed more than once.")
        print(f"- After `foothold rebuild` (points recomputed from the documents): {rebuilt:,} "
              f"({'equal' if rebuilt == p['points_after'] else 'NOT EQUAL'}).")
    elif kind == "crash":
        load, probe, verify, timing = r
        print(f"- Load: 20 learners each submitting quiz answers and lab flags one after another, retrying an "
              f"unacknowledged attempt with the same attempt id: {load['acknowledged']:,} attempts acknowledged, "
              f"{load['retries']:,} retries; answers seen: {counts(load['statuses'])} (0 = no connection).")
        print(f"- FerretDB killed (SIGKILL) after 10 s; for the next 3 s pages and server functions were answered "
              f"{counts(probe['statuses'])} ({probe['requests']} requests), the slowest in {probe['slowest_ms']} ms. "
              f"Restarted on the same files: serving again {timing['db_back_ms']} ms after the restart began.")
        print(f"- Foothold killed (SIGKILL) 10 s later and restarted: serving again after {timing['app_back_ms']} ms.")
        print(f"- Read back through the API afterwards: {verify['acknowledged']:,} acknowledged attempts, "
              f"{verify['lost']} lost, {verify['duplicated']} counted twice.")


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    cmd, rest = args[0], args[1:]
    if cmd == "points":
        cmd_points(rest[0], rest[1], int(rest[2]), int(rest[3]))
    elif cmd == "points-read":
        cmd_points_read(rest[0], rest[1])
    elif cmd == "write-load":
        cmd_write_load(rest[0], rest[1], int(rest[2]), rest[3], rest[4])
    elif cmd == "verify":
        cmd_verify(rest[0], rest[1], rest[2])
    elif cmd == "probe":
        cmd_probe(rest[0], float(rest[1]))
    elif cmd == "describe":
        cmd_describe(rest[0], rest[1:])
    elif cmd == "wait-serving":
        cmd_wait_serving(rest[0], float(rest[1]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
