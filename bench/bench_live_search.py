"""Live partner search under writes: four serving processes search while a writer changes the registry.

    python bench/bench_live_search.py --database sqlite|postgres [--orgs N] [--seconds S] [--rate R]

For each database, in one run:

1. a new database is migrated and loaded with N synthetic organisations (default 1,000,000; the loader of
   ``bench_matching_speed``: bulk SQL, a benchmark fixture);
2. **engine** (the live engine, ``coopnet.exchange.engine``): the shared index is built once
   (``coopnet matchindex --rebuild``), then ``--workers`` serving processes (default 4) start, each a
   Django process as a web worker is (``engine.serving()``: one of them becomes the machine's index
   writer). They answer a fixed mix of searches (the requests of ``bench_matching_speed``, through
   ``run_match`` as ``POST /api/match/`` does) for ``--seconds`` (default 120) while this process writes
   ``--rate`` changes per second (default 10) through the application's models — a product line edited
   (60 %), a product line added (20 %), a new organisation with a line (10 %), a line deleted (10 %) — each
   change but the deletions carrying a new word;
3. **baseline** (today's engine before this change: ``MatchIndex`` in every process, rebuilt from the
   registry inside the next search whenever the registry changed) under the same load, for the same time.

Besides the mix, each worker *probes* (two searches a second) for the changes of its share (every fourth)
it has not found yet, three words at a time; the time from a change's commit to the first search that
finds it is its staleness. Printed for both engines:
search latency p50 / p95 / p99 / max during the writes and the searches over 1 s, staleness p50 / p95 / max
and the changes never seen, the workers' memory together (PSS, the largest sum sampled every 2 s), and
the ratios. Targets: p95 <= 60 ms and none over 1 s, staleness p95 <= 2 s, PSS <= 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_matching_speed as speed  # noqa: E402

BENCH_DB = "coopnet_bench_live"
TARGET_P95_MS = 60.0
TARGET_MAX_MS = 1000.0
TARGET_STALE_S = 2.0
TARGET_PSS_MB = 2048.0
PROBE_WORDS = 3  # a probe asks for the three oldest changes a worker has not seen yet


def percentile(values: list[float], p: float) -> float:
    return speed.percentile(values, p) if values else float("nan")


def marker(i: int) -> str:
    """A word no organisation has: 'qx' and the counter in letters."""
    letters = "bcdfghjklmnpqrstvwz"
    out = ""
    i += 1
    while i:
        i, r = divmod(i, len(letters))
        out += letters[r]
    return "qx" + out + "ka"


def pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


# ---------------------------------------------------------------------------------------------- worker
def worker(kind: str, seconds: float, markers_path: str, out_path: str, ready_path: str, search_rate: float,
           probe_rate: float, workers: int) -> int:
    """One serving process: warm up, then search the fixed mix and probe for the newest changes."""
    import django

    django.setup()
    from coopnet.exchange import engine
    from coopnet.logic.matching import run_match

    params = [speed.request_params(r) for r in speed.REQUESTS]
    if kind == "engine":
        engine.serving()

        def search(p: dict[str, Any]) -> dict[str, Any]:
            return run_match(engine.get_index(), p, strict=True)

    else:
        search = baseline_searcher()
    search(params[0])  # warm: the shared index opened, or today's index built
    Path(ready_path).write_text("ready")
    while not Path(markers_path + ".start").exists():
        time.sleep(0.05)
    pending: list[tuple[str, str]] = []  # (word, public ID) announced and not found yet, oldest first
    announced = -1
    share = (int(Path(out_path).stem.rsplit("-", 1)[1]), workers)
    start = time.time()
    end = start + seconds
    # open loop, as web traffic is: the mix at `search_rate` per second and probes at `probe_rate`, each at
    # its planned time (a late search is timed from its start; the next ones are not pushed back)
    plan = sorted([(start + k / search_rate, "mix", k) for k in range(int(seconds * search_rate))]
                  + [(start + (k + 0.5) / probe_rate, "probe", k) for k in range(int(seconds * probe_rate))])
    # one JSON line per event, flushed at once: a worker killed inside a search (today's engine rebuilding)
    # still leaves what it did, and its unfinished search
    with open(markers_path, encoding="utf-8") as markers, open(out_path, "w", encoding="utf-8") as out:
        def note(**event: Any) -> None:
            out.write(json.dumps(event) + "\n")
            out.flush()

        for due, what, k in plan:
            if time.time() >= end:
                break
            if due > time.time():
                time.sleep(due - time.time())
            for line in markers.readlines():
                word, pid, committed = line.split()
                announced += 1
                if announced % share[1] == share[0]:  # each worker probes its share of the changes
                    pending.append((word, pid))
            if what == "probe" and not pending:
                continue
            asked = pending[:PROBE_WORDS] if what == "probe" else []
            p = {"text": " ".join(w for w, _ in asked), "limit": 10} if asked else params[k % len(params)]
            note(start=time.time())
            t = time.perf_counter()
            result = search(p)
            note(ms=(time.perf_counter() - t) * 1000)
            if asked:
                now = time.time()
                ids = {r["id"] for r in result["results"]} | {r["id"] for r in result.get("closest", [])}
                for word, pid in asked:
                    if pid in ids:
                        note(found=word, at=now)
                        pending.remove((word, pid))
    return 0


def baseline_searcher() -> Any:
    """Today's engine before this change: a MatchIndex per process, rebuilt inside the next search when the
    registry changed (the change log's head stands for the registry revision it read)."""
    from coopnet.exchange.engine import registry_rows
    from coopnet.logic.matching import MatchIndex, run_match
    from coopnet.registry import changes

    state: dict[str, Any] = {"index": None, "head": None}
    lock = threading.Lock()

    def search(p: dict[str, Any]) -> dict[str, Any]:
        head = changes.head()
        key = (head.id, head.stamp) if head else None
        with lock:
            if state["index"] is None or state["head"] != key:
                state["index"] = MatchIndex.build(registry_rows())
                state["head"] = key
            index = state["index"]
        return run_match(index, p, strict=True)

    return search


# ---------------------------------------------------------------------------------------------- writer
def write_changes(seconds: float, rate: float, markers_path: str, seed: int = 7) -> dict[str, int]:
    """Changes through the application's models at `rate` per second; each new word is announced."""
    from coopnet.registry.models import Competency, Organisation

    rng = random.Random(seed)
    top = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    counts = {"edit": 0, "add": 0, "create": 0, "delete": 0}
    start = time.time()
    i = 0
    with open(markers_path, "a", encoding="utf-8") as markers:
        while time.time() - start < seconds:
            due = start + i / rate
            if due > time.time():
                time.sleep(due - time.time())
            word = marker(i)
            roll = rng.random()
            org = Organisation.objects.filter(pk__gte=rng.randint(1, top), merged_into__isnull=True).order_by(
                "pk").first()
            if org is None:
                i += 1
                continue
            if roll < 0.6:
                line = Competency.objects.filter(organisation=org).first()
                if line is None:
                    line = Competency(organisation=org, description="")
                line.description = f"{line.description} {word}".strip()[:2000]
                line.save()
                kind = "edit"
            elif roll < 0.8:
                Competency(organisation=org, description=f"Изготовление {word} по чертежам", hs_codes="8487").save()
                kind = "add"
            elif roll < 0.9:
                org = Organisation(name=f"ООО «{word.capitalize()}»", country_id=org.country_id, is_synthetic=True)
                org.save()
                Competency(organisation=org, description=f"Производство {word}", hs_codes="8479").save()
                kind = "create"
            else:
                line = Competency.objects.filter(organisation=org).last()
                if line is not None:
                    line.delete()
                counts["delete"] += 1
                i += 1
                continue
            counts[kind] += 1
            markers.write(f"{word} {org.public_id} {time.time()}\n")
            markers.flush()
            i += 1
    return counts


# ---------------------------------------------------------------------------------------------- one engine
def run_engine(kind: str, tmp: Path, workers: int, seconds: float, rate: float, rates: list[str]) -> dict[str, Any]:
    markers = tmp / f"markers-{kind}.txt"
    markers.write_text("")
    procs = []
    outs = []
    readies = []
    for w in range(workers):
        out = tmp / f"{kind}-{w}.json"
        ready = tmp / f"{kind}-{w}.ready"
        outs.append(out)
        readies.append(ready)
        procs.append(subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--seconds", str(seconds),
             "--markers", str(markers), "--out", str(out), "--ready", str(ready), "--workers", str(workers), *rates],
            cwd=ROOT))
    t0 = time.perf_counter()
    pss_max = 0.0
    try:
        while not all(r.exists() for r in readies):
            if any(p.poll() is not None for p in procs):
                raise RuntimeError(f"a {kind} worker stopped while warming up")
            time.sleep(0.5)
        warm = time.perf_counter() - t0
        pss_ready = sum(pss_mb(p.pid) for p in procs)
        Path(str(markers) + ".start").write_text("go")
        sampling = threading.Event()

        def sample() -> None:
            nonlocal pss_max
            while not sampling.wait(2.0):
                pss_max = max(pss_max, sum(pss_mb(p.pid) for p in procs))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        counts = write_changes(seconds, rate, str(markers))
        deadline = time.time() + max(60.0, seconds)  # a baseline search may still be rebuilding
        for p in procs:
            p.wait(timeout=max(1.0, deadline - time.time()))
        sampling.set()
    except subprocess.TimeoutExpired:
        counts = counts if "counts" in locals() else {}
        warm = warm if "warm" in locals() else float("nan")
        pss_ready = pss_ready if "pss_ready" in locals() else 0.0
    finally:
        stopped = time.time()
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                p.wait()
    latencies: list[float] = []
    unfinished: list[float] = []  # searches still running when the worker was stopped: how long so far
    first_found: dict[str, float] = {}
    for out in outs:
        if not out.exists():
            continue
        started = None
        for line in out.read_text().splitlines():
            event = json.loads(line)
            if "start" in event:
                started = event["start"]
            elif "ms" in event:
                latencies.append(event["ms"])
                started = None
            elif "found" in event:
                first_found[event["found"]] = min(event["at"], first_found.get(event["found"], event["at"]))
        if started is not None:
            unfinished.append((stopped - started) * 1000)
    committed = {}
    for line in markers.read_text().splitlines():
        word, _, at = line.split()
        committed[word] = float(at)
    stale = [at - committed[w] for w, at in first_found.items() if w in committed]  # commit -> first sight
    seen = set(first_found)
    announced = len(markers.read_text().splitlines())
    return {"kind": kind, "warm": warm, "latencies": latencies, "unfinished": unfinished, "stale": stale,
            "seen": len(seen),
            "announced": announced, "counts": counts, "pss_ready": pss_ready, "pss_max": max(pss_max, pss_ready),
            "finished": sum(1 for p in procs if p.returncode == 0)}


def show(r: dict[str, Any]) -> None:
    lat, st = r["latencies"], r["stale"]
    over = sum(1 for x in lat if x > TARGET_MAX_MS)
    if r["unfinished"]:
        print(f"   {len(r['unfinished'])} searches unfinished when stopped, running for "
              f"{min(r['unfinished']) / 1000:,.0f}–{max(r['unfinished']) / 1000:,.0f} s (counted below as such)")
        lat = lat + r["unfinished"]
        over += len(r["unfinished"])
    print(f"-- {r['kind']}: {len(lat):,} searches by {r['finished']} workers that finished; "
          f"warm-up {r['warm']:,.1f} s; changes {r['counts']}")
    print(f"   search ms: p50 {percentile(lat, 50):,.1f}  p95 {percentile(lat, 95):,.1f}  "
          f"p99 {percentile(lat, 99):,.1f}  max {max(lat) if lat else float('nan'):,.1f}  over 1 s: {over:,}")
    print(f"   staleness s: p50 {percentile(st, 50):,.2f}  p95 {percentile(st, 95):,.2f}  "
          f"max {max(st) if st else float('nan'):,.2f}  seen {r['seen']:,} of {r['announced']:,} changes")
    print(f"   workers' PSS together: {r['pss_max']:,.0f} MB at most ({r['pss_ready']:,.0f} MB when ready)")


def ratio(a: float, b: float) -> str:
    return f"{a / b:.3f}" if b and b == b and a == a else "n/a"


def run(database: str, n: int, workers: int, seconds: float, rate: float, pg_url: str, engines: list[str],
        rates: list[str]) -> int:
    tmp = Path(tempfile.mkdtemp(prefix=f"coopnet-bench-live-{database}-"))
    os.environ["COOPNET_VAR"] = str(tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "coopnet.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "coopnet-bench-live-search")
    os.environ["MATCH_INDEX_DIR"] = str(tmp / "matchindex")
    if database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        where = str(tmp / "coopnet.sqlite3")
    else:
        problem = speed.pg_problem(pg_url)
        if problem:
            print(f"PostgreSQL not reachable at {speed.redact(pg_url)}: {problem}")
            return 1
        url = speed.with_database(pg_url, BENCH_DB)
        speed.pg_admin(pg_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)", f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = url
        where = speed.redact(url)
    print(f"== {database}: {n:,} synthetic organisations in {where}; {workers} serving processes "
          f"({' '.join(rates)} each), {rate:g} changes/s for {seconds:g} s ==")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        orgs, lines, codes = speed.load_registry(n)
        speed.analyse()
        took = time.perf_counter() - t0
        print(f"loaded {orgs:,} organisations, {lines:,} lines, {codes:,} code rows in {took:,.1f} s")
        results = {}
        for kind in engines:
            if kind == "engine":
                t0 = time.perf_counter()
                call_command("matchindex", "--rebuild", stdout=open(os.devnull, "w"))  # noqa: SIM115
                index_mb = sum(f.stat().st_size for f in (tmp / "matchindex").rglob("*") if f.is_file()) / 2**20
                print(f"shared index built in {time.perf_counter() - t0:,.1f} s ({index_mb:,.0f} MB on disk)")
            connections.close_all()
            results[kind] = run_engine(kind, tmp, workers, seconds, rate, rates)
            show(results[kind])
        if len(results) == 2:
            e, b = results["engine"], results["baseline"]
            print("-- engine / baseline (unfinished searches counted at the time they had run):")
            for p in (50, 95, 99):
                mine, theirs = e["latencies"] + e["unfinished"], b["latencies"] + b["unfinished"]
                print(f"   search p{p}: {ratio(percentile(mine, p), percentile(theirs, p))}")
            print(f"   staleness p95: {ratio(percentile(e['stale'], 95), percentile(b['stale'], 95))}"
                  f" (baseline saw {b['seen']} of {b['announced']} changes)")
            print(f"   PSS: {ratio(e['pss_max'], b['pss_max'])}")
        if "engine" in results:
            e = results["engine"]
            every = e["latencies"] + e["unfinished"]
            ok = (percentile(every, 95) <= TARGET_P95_MS and max(every or [0]) <= TARGET_MAX_MS
                  and percentile(e["stale"], 95) <= TARGET_STALE_S and e["pss_max"] <= TARGET_PSS_MB)
            print(f"targets (p95 <= {TARGET_P95_MS:g} ms, none over 1 s, staleness p95 <= {TARGET_STALE_S:g} s, "
                  f"PSS <= {TARGET_PSS_MB:,.0f} MB): {'met' if ok else 'NOT met'}")
        return 0
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if database == "postgres":
            speed.pg_admin(pg_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database", choices=("sqlite", "postgres"))
    ap.add_argument("--orgs", type=int, default=None)
    ap.add_argument("--quick", action="store_true", help="20,000 organisations, 20 s")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--rate", type=float, default=10.0, help="changes per second (default 10)")
    ap.add_argument("--search-rate", type=float, default=5.0, help="searches of the mix per second per worker")
    ap.add_argument("--probe-rate", type=float, default=2.0, help="probes for the changes per second per worker")
    ap.add_argument("--engines", default="engine,baseline", help="engine,baseline (default both, in that order)")
    ap.add_argument("--pg-url", default=os.environ.get("PG_URL", speed.DEFAULT_PG_URL))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--markers", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--ready", help=argparse.SUPPRESS)
    args = ap.parse_args()
    seconds = args.seconds if args.seconds is not None else (20.0 if args.quick else 120.0)
    if args.worker:
        return worker(args.worker, seconds, args.markers, args.out, args.ready, args.search_rate, args.probe_rate,
                      args.workers)
    n = args.orgs or (20_000 if args.quick else 1_000_000)
    engines = [e for e in args.engines.split(",") if e]
    if args.database:
        rates = ["--search-rate", str(args.search_rate), "--probe-rate", str(args.probe_rate)]
        return run(args.database, n, args.workers, seconds, args.rate, args.pg_url, engines, rates)
    status = 0
    for database in ("sqlite", "postgres"):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--database", database, "--orgs", str(n),
               "--workers", str(args.workers), "--seconds", str(seconds), "--rate", str(args.rate),
               "--engines", args.engines, "--pg-url", args.pg_url, "--search-rate", str(args.search_rate),
               "--probe-rate", str(args.probe_rate)]
        status = subprocess.call(cmd, cwd=ROOT) or status
    return status


if __name__ == "__main__":
    raise SystemExit(main())
