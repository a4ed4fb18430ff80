"""Bulk import speed: the coopnet importer against a bare sqlite3 executemany of the same rows.

Generates a synthetic file (default 1,000,000 rows; ``--rows N`` to shrink, ``--quick`` = 20,000)
in the import format, then in a fresh SQLite database under a temporary COOPNET_VAR:

- **importer**: ``coopnet.registry.importing.import_organisations`` — parse, validate every cell
  (identifiers with check digits, regions, codes, URLs) in a pool of ``IMPORT_WORKERS`` processes
  (default: the CPUs, at most 4), stage, and write organisations, their import line, the code index
  and simple-history rows for both every 20,000 rows while the next ones are validated, all in one
  transaction (all or nothing);
- **baseline**: the same CSV read with ``csv.reader`` and inserted with one ``sqlite3``
  ``executemany`` into a copy of the organisation table (same columns and indexes), no validation,
  no history, no competencies.

The importer runs as the command a user runs, ``coopnet import organizations FILE --no-duplicates``,
in a process of its own, timed from start to exit (Django's start-up included). Prints rows/s for both,
their ratio (importer time / baseline time), a re-import of the same file (must change nothing) and the
peak memory of the import command and its worker processes together (PSS, sampled 4 times a second).
"""
from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
print = functools.partial(print, flush=True)  # noqa: A001 - progress lines appear as they happen
sys.path.insert(0, str(ROOT))


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and all its descendants, MB (pages shared after a fork are
    counted once, split between the processes sharing them). Linux /proc; 0 where unavailable."""
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) / 1024
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def run_command(csv_path: Path) -> tuple[float, float, str]:
    """Run `coopnet import organizations` as a user does; (seconds, peak PSS MB of it and its workers, stdout)."""
    cmd = [sys.executable, "-c", "import sys; from coopnet.cli import main; sys.exit(main())", "import",
           "organizations", str(csv_path), "--source", "bench", "--no-duplicates", "--format", "json"]
    peak = 0.0
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, cwd=ROOT)
        while proc.poll() is None:
            peak = max(peak, tree_pss_mb(proc.pid))
            time.sleep(0.25)
        elapsed = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"the import command failed ({proc.returncode}): {text[-2000:]}")
    return elapsed, peak, text


def baseline(db_path: Path, csv_path: Path) -> float:
    """Seconds to insert the CSV rows into a copy of registry_organisation with executemany."""
    src = sqlite3.connect(db_path)
    ddl = [r[0] for r in src.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'registry_organisation' AND sql IS NOT NULL")]
    src.close()
    base_path = db_path.with_name("baseline.sqlite3")
    con = sqlite3.connect(base_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=wal")
    con.execute("PRAGMA synchronous=NORMAL")
    for statement in ddl:
        con.execute(statement.replace('REFERENCES "', 'REFERENCES "x_'))  # no parent tables here
    cols = ("id", "created", "updated", "source", "source_note", "is_synthetic", "public_id", "ref", "ref_source",
            "name", "name_en", "legal_form", "kind", "city", "lat", "lon", "tax_id", "employees", "size", "website",
            "description", "country_id", "merged_into_id", "region_id")
    sql = f"INSERT INTO registry_organisation ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    now = "2026-01-01 00:00:00"
    started = time.perf_counter()
    con.execute("BEGIN")
    with csv_path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        batch = []
        for i, r in enumerate(reader, start=1):
            # ref,name,name_en,country,region,city,lat,lon,tax_id,nace,hs,products,certifications,employees,website
            batch.append((i, now, now, "", "", 1, f"P{i}", r[0], "bench", r[1], r[2], "", "enterprise", r[5],
                          r[6] or None, r[7] or None, r[8], r[13] or None, "", r[14], "", r[3], None, r[4] or None))
            if len(batch) == 5000:
                con.executemany(sql, batch)
                batch.clear()
        if batch:
            con.executemany(sql, batch)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description="coopnet bulk import benchmark")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 rows")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and file")
    args = parser.parse_args()
    rows = 20_000 if args.quick else args.rows
    tmp = Path(tempfile.mkdtemp(prefix="coopnet-bench-import-"))
    os.environ["COOPNET_VAR"] = str(tmp)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopnet.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from coopnet.logic.registry.rows import COLUMNS
    from coopnet.logic.registry.synth import generate
    from coopnet.registry.management.commands.generate import vocabulary_from_reference

    call_command("migrate", verbosity=0)
    csv_path = tmp / "organisations.csv"
    t = time.perf_counter()
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for row in generate(rows, args.seed, vocabulary_from_reference()):
            w.writerow([row[c] for c in COLUMNS])
    size_mb = csv_path.stat().st_size / 1e6
    print(f"file: {rows:,} synthetic rows, {size_mb:.0f} MB, generated in {time.perf_counter() - t:.1f} s")

    base_s = baseline(tmp / "coopnet.sqlite3", csv_path)
    print(f"baseline (csv.reader + sqlite3 executemany, organisation table only): {base_s:.1f} s, "
          f"{rows / base_s:,.0f} rows/s")

    workers = settings.IMPORT_WORKERS
    imp_s, imp_mb, out = run_command(csv_path)
    result = json.loads(out)
    assert result["ok"] and result["created"] == rows, (result["errors"][:5], result["file_error"])
    print(f"importer (`coopnet import organizations`, a process of its own; every cell validated in {workers} "
          f"worker processes; organisations + lines + codes + history, one transaction): {imp_s:.1f} s, "
          f"{rows / imp_s:,.0f} rows/s")
    print(f"ratio importer/baseline time: {imp_s / base_s:.2f}x (target <= 5x; target >= 20,000 rows/s)")

    re_s, re_mb, out = run_command(csv_path)
    again = json.loads(out)
    assert again["ok"] and again["unchanged"] == rows and again["created"] == again["updated"] == 0
    print(f"re-import of the same file (changes nothing): {re_s:.1f} s, {rows / re_s:,.0f} rows/s")
    print(f"peak memory of the import command and its workers together (PSS): {max(imp_mb, re_mb):,.0f} MB "
          f"(target < 2,048 MB)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.keep:
        print(f"(database and file kept in {tmp})")
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
