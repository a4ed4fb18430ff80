"""Partner-search latency at union scale: the matching engine against a bare full-text query.

Organisations are synthetic, from a fixed seed (1,000,000 by default, 50,000 with --quick): each has 1-5
competency lines drawn from the industrial glossary (Russian, sometimes English, with HS / NACE codes,
capacities and certifications). A fixed set of buyer requests (REQUESTS) runs R rounds after a warm-up;
the bench prints p50 / p95 latency of the engine and of the baseline in the same run, their ratio, build
times, the memory of the serving process, and whether the targets are met: engine p95 <= 60 ms for the
top 10, <= 3x the baseline's p95, serving process under 2 GB.

Three modes, each run in a process of its own so that each reports its own memory:

``pure``
    No database: the engine (``coopnet.logic.matching.MatchIndex``) and a pure-Python BM25 baseline
    (``BM25Index``) are built in memory from the generated rows. The figure of the engine alone.
    ``--snapshot`` also times writing the index to a snapshot file and loading it back (what
    `coopnet matchindex` and a new serving process do instead of building) and checks the answers agree.
``sqlite``
    The real thing on SQLite: a fresh database in a temporary COOPNET_VAR (DATABASE_URL unset), `migrate`.
``postgres``
    The same on PostgreSQL, in a database created for the run (``coopnet_bench_match`` on the server of
    ``--pg-url`` / ``PG_URL``, default ``postgres://coopnet:coopnet@127.0.0.1:5432/coopnet``), dropped at
    the end unless ``--keep``.

In the database modes:

* **load** — the organisations go into the registry's own tables (registry_organisation,
  registry_competency with hs_codes / nace_codes / certifications, registry_competencycode) by bulk SQL:
  ``executemany`` per chunk on SQLite, ``COPY`` on PostgreSQL. This is a benchmark fixture, not the
  application's write path (no history rows, no signals, no validation beyond the generator's own). Rows
  are marked ``is_synthetic``, get public IDs (``make_public_id``), their regions are mapped onto the
  reference regions of their country (countries without any get none), and the registry revision is
  bumped afterwards so that the engine sees them. Then ANALYZE (and VACUUM on PostgreSQL).
* **baseline index** — the bare full-text search over the same competency texts (description and
  description_en), built after the load and timed. SQLite: an FTS5 table (unicode61 tokenizer) with the
  organisation id; PostgreSQL: a table of ``to_tsvector('russian', ...)`` per competency line with a GIN
  index (Russian stemming and stop words; Latin words get the English stemmer).
* **serving process** — a fresh process, like a web worker: the engine is built the way the server builds
  it (``coopnet.exchange.engine.warm()``: ``registry_rows()`` -> ``MatchIndex.build``; snapshot files
  off, so the build itself is timed). The memory target is about its RSS once built and answering; the
  peak while building is printed too.
* **engine latency** — what a caller of ``POST /api/match/`` or ``coopnet match`` waits for:
  ``engine.get_index()`` (one read of the registry's revision) + ``run_match(index, params)`` (parse the
  parameters, match, the JSON-ready answer; neither reads anything else from the database). Also shown,
  not part of the targets: the search page's way, ``match`` then reading the organisations it shows.
* **baseline latency** — the query a plain search box would send, in that database: the request's words,
  each quoted (quotes escaped), joined with OR; SQLite ``... WHERE fts MATCH ? ORDER BY bm25(fts)``,
  PostgreSQL ``websearch_to_tsquery`` and ``ORDER BY ts_rank(...) DESC``; competency lines are read in
  rank order until 10 distinct organisations are found. Requests with codes only send the codes as text.
* **warm-up** — one pass over every request for both before the timed rounds (database pages and the
  engine's caches warm, as in a server that has been answering for a while).

With no ``--database`` the three modes run one after the other; ``postgres`` is skipped (with a note)
when the server does not answer. ``make bench`` runs that at 1,000,000; ``make bench-quick`` at 50,000.

    python bench/bench_matching_speed.py [--quick] [--orgs N] [--rounds R]
        [--database pure|sqlite|postgres] [--snapshot] [--keep] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
print = functools.partial(print, flush=True)  # noqa: A001 - progress lines appear as they happen

from coopnet.logic.matching import (  # noqa: E402
    BM25Index,
    CompetencyLine,
    MatchIndex,
    MatchRequest,
    OrgRow,
    default_glossary,
)

SEED = 20261123
COUNTRIES = [
    ("RU", 48, 55.7, 37.6, 8.0),
    ("KZ", 16, 48.0, 67.0, 6.0),
    ("BY", 14, 53.9, 27.6, 2.0),
    ("KG", 5, 42.0, 74.6, 1.5),
    ("AM", 5, 40.2, 44.5, 0.8),
    ("UZ", 4, 41.3, 69.2, 2.0),
    ("CN", 5, 36.0, 110.0, 8.0),
    ("VN", 2, 21.0, 105.8, 2.0),
    ("RS", 1, 44.8, 20.5, 1.0),
]
PREFIX_RU = [
    "Производство",
    "Изготовление",
    "Выпуск",
    "Поставка",
    "Серийное производство",
    "Сборка",
    "Изготовление по чертежам заказчика:",
    "Разработка и производство",
    "",
]
SUFFIX_RU = [
    "",
    "",
    "для сельского хозяйства",
    "для горнодобывающей промышленности",
    "из стали",
    "малыми сериями",
    "по ГОСТ",
    "для железнодорожного транспорта",
    "для коммунального хозяйства",
    "на экспорт",
    "с гарантией и сервисом",
    "для машиностроения",
]
PREFIX_EN = ["Manufacture of", "Production of", "Supply of", "Assembly of", ""]
SUFFIX_EN = ["", "for agriculture", "for mining", "to customer drawings", "small batches", "for export"]
NAME_A = [
    "Урал",
    "Сибирь",
    "Волга",
    "Алатау",
    "Нёман",
    "Арарат",
    "Тянь-Шань",
    "Кама",
    "Дон",
    "Иртыш",
    "Полесье",
    "Байкал",
    "Степь",
    "Север",
    "Восток",
    "Техно",
    "Пром",
    "Агро",
    "Энерго",
    "Мет",
]
NAME_B = ["маш", "снаб", "сервис", "завод", "комплект", "деталь", "лит", "трейд", "инжиниринг", "холдинг"]
FORMS = ["ООО", "АО", "ОАО", "ТОО", "ЗАО", "ОсОО", "ЧУП"]
CERTS = [
    "ISO 9001",
    "ISO 14001",
    "TR CU 010/2011",
    "TR CU 018/2011",
    "TR CU 031/2012",
    "IATF 16949",
    "ISO 45001",
    "TR CU 004/2011",
    "TR CU 020/2011",
]

REQUESTS: list[MatchRequest] = [
    MatchRequest(text="нужны тракторные двигатели"),
    MatchRequest(text="diesel engines for tractors", countries=("BY", "KZ", "RU")),
    MatchRequest(text="поставщик подшипников качения", buyer_country="KZ"),
    MatchRequest(text="зерноуборочный комбайн", quantity=20, buyer_country="KZ", buyer_region="KZ-KUS"),
    MatchRequest(text="литьё из чугуна по чертежам заказчика", certifications=("ISO 9001",)),
    MatchRequest(text="steel castings", exclude_countries=("CN",)),
    MatchRequest(text="пассажирские лифты", buyer_country="AM"),
    MatchRequest(text="печатные платы монтаж", countries=("RU", "BY")),
    MatchRequest(text="гидроцилиндры для спецтехники"),
    MatchRequest(hs=("8708",), text="тормозные колодки"),
    MatchRequest(hs=("8482",)),
    MatchRequest(nace=("28.30",), buyer_country="RU"),
    MatchRequest(text="автобусы городские электробусы", buyer_country="KG"),
    MatchRequest(text="металлоконструкции сварные", quantity=500),
    MatchRequest(text="кабели силовые", certifications=("TR CU 004/2011",)),
    MatchRequest(text="railway wagon bogies and wheelsets"),
    MatchRequest(text="полиэтиленовые трубы"),
    MatchRequest(text="системные блоки персональных компьютеров", buyer_country="BY"),
    MatchRequest(text="пресс-подборщики и косилки", countries=("BY", "KZ")),
    MatchRequest(text="mining dump truck tyres"),
    MatchRequest(text="электродвигатели асинхронные", buyer_country="AM"),
    MatchRequest(text="насосы центробежные для воды"),
    MatchRequest(text="станки с ЧПУ токарные", exclude_countries=("CN", "VN")),
    MatchRequest(text="мебель офисная"),
    MatchRequest(text="удобрения калийные", quantity=10000),
    MatchRequest(text="сельскохозяйственная техника", countries=("BY",)),
    MatchRequest(text="forgings and stampings for automotive", buyer_country="RU"),
    MatchRequest(text="контрольно-измерительные приборы датчики давления"),
    MatchRequest(hs=("870840",), nace=("29.32",)),
    MatchRequest(text="ремонт двигателей", buyer_country="KZ"),
]


def synthetic_rows(n: int, seed: int = SEED) -> Iterator[OrgRow]:
    """Deterministic synthetic organisations (always the same for the same n and seed)."""
    rng = random.Random(seed)
    terms = default_glossary().terms
    weights = [c[1] for c in COUNTRIES]
    for i in range(n):
        cc, _, lat, lon, spread = rng.choices(COUNTRIES, weights)[0]
        lines = []
        for _ in range(rng.choice((1, 2, 2, 3, 3, 3, 4, 5))):
            term = rng.choice(terms)
            product = rng.choice(term.ru)
            text_ru = " ".join(x for x in (rng.choice(PREFIX_RU), product, rng.choice(SUFFIX_RU)) if x)
            text_en = ""
            if rng.random() < 0.35:
                text_en = " ".join(x for x in (rng.choice(PREFIX_EN), rng.choice(term.en), rng.choice(SUFFIX_EN)) if x)
            hs = tuple(
                c + (f"{rng.randrange(10, 99)}" if len(c) in (4, 6) and rng.random() < 0.3 else "") for c in term.hs[:2]
            )
            lines.append(
                CompetencyLine(
                    text_ru=text_ru,
                    text_en=text_en,
                    hs=hs,
                    nace=term.nace[:1],
                    capacity=float(rng.choice((10, 100, 500, 1000, 5000, 20000))) if rng.random() < 0.4 else None,
                    capacity_unit="pcs",
                    certifications=tuple(rng.sample(CERTS, rng.choice((0, 0, 1, 1, 2)))),
                )
            )
        name = f"{rng.choice(FORMS)} «{rng.choice(NAME_A)}{rng.choice(NAME_B)}» № {i % 997}"
        yield OrgRow(
            id=f"S{i:07d}",
            ref=None,
            name=name,
            country=cc,
            region=f"{cc}-{rng.randrange(1, 15):02d}",
            lat=lat + rng.uniform(-spread, spread),
            lon=lon + rng.uniform(-spread * 2, spread * 2),
            lines=tuple(lines),
        )


MODES = ("pure", "sqlite", "postgres")
DEFAULT_PG_URL = "postgres://coopnet:coopnet@127.0.0.1:5432/coopnet"
BENCH_DB = "coopnet_bench_match"
CHUNK = 20_000  # organisations per load transaction
SOURCE = f"synthetic: bench_matching_speed, seed {SEED}"
TOP = 10
TARGET_P95_MS = 60.0
TARGET_RATIO = 3.0
TARGET_RSS_MB = 2048.0


def memory() -> tuple[float, float]:
    """(current RSS, peak RSS) in MB, from /proc."""
    rss = peak = 0.0
    try:
        for row in Path("/proc/self/status").read_text().splitlines():
            if row.startswith("VmRSS:"):
                rss = int(row.split()[1]) / 1024
            elif row.startswith("VmHWM:"):
                peak = int(row.split()[1]) / 1024
    except OSError:
        pass
    return rss, peak


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(
    rounds: int,
    engine: tuple[str, list[float]],
    baseline: tuple[str, list[float]],
    rss_serving: float,
    also: tuple[tuple[str, list[float]], ...] = (),
) -> None:
    """The latency table, the ratios and the targets line."""
    (e_label, t_engine), (b_label, t_base) = engine, baseline
    e50, e95 = percentile(t_engine, 50), percentile(t_engine, 95)
    b50, b95 = percentile(t_base, 50), percentile(t_base, 95)
    width = 36
    print(f"requests: {len(REQUESTS)} x {rounds} rounds, top {TOP}")
    print(f"{'':{width}}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{e_label:{width}}{e50:10.1f}{e95:10.1f}")
    for label, values in also:
        print(f"{label:{width}}{percentile(values, 50):10.1f}{percentile(values, 95):10.1f}")
    print(f"{b_label:{width}}{b50:10.1f}{b95:10.1f}")
    print(f"{'ratio engine/baseline':{width}}{e50 / max(b50, 1e-9):10.2f}{e95 / max(b95, 1e-9):10.2f}")
    ok = e95 <= TARGET_P95_MS and e95 <= TARGET_RATIO * b95 and rss_serving < TARGET_RSS_MB
    print(
        f"targets (p95 <= {TARGET_P95_MS:.0f} ms, <= {TARGET_RATIO:.0f}x baseline p95, serving RSS < 2 GB): "
        f"{'met' if ok else 'NOT met'} (p95 {e95:.1f} ms, {e95 / max(b95, 1e-9):.2f}x, RSS {rss_serving:,.0f} MB)"
    )


def baseline_text(req: MatchRequest) -> str:
    """What the baseline searches for: the request's text, or its codes when it has no text."""
    return req.text or " ".join(req.hs + req.nace)


# ---------------------------------------------------------------------------------------------- pure mode
def run_pure(n: int, rounds: int, snapshot: bool) -> int:
    print(f"== pure engine, no database: {n:,} synthetic organisations (seed {SEED}) ==")
    rss0, _ = memory()
    t0 = time.perf_counter()
    engine = MatchIndex.build(synthetic_rows(n))
    gc.collect()
    build_engine = time.perf_counter() - t0
    rss_engine, peak_engine = memory()
    lines = len(engine.line_capacity)
    print(
        f"engine index: {lines:,} competency lines, {len(engine.term_ids):,} terms, "
        f"arrays {engine.memory_bytes() / 2**20:,.0f} MB, built in {build_engine:,.1f} s"
    )
    print(
        f"serving process after the build: RSS {rss_engine:,.0f} MB (start {rss0:,.0f} MB), "
        f"peak while building {peak_engine:,.0f} MB"
    )
    if snapshot:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "index.npz"
            t0 = time.perf_counter()
            engine.save(path)
            saved = time.perf_counter() - t0
            t0 = time.perf_counter()
            loaded = MatchIndex.load(path)
            load_time = time.perf_counter() - t0
            size = path.stat().st_size / 2**20
            same = all(loaded.match(req) == engine.match(req) for req in REQUESTS)
            del loaded
            gc.collect()
        print(
            f"snapshot: {size:,.0f} MB, written in {saved:,.1f} s, loaded in {load_time:,.1f} s "
            f"(build {build_engine:,.1f} s); same answers: {'yes' if same else 'NO'}"
        )
    t0 = time.perf_counter()
    baseline = BM25Index.build(synthetic_rows(n))
    gc.collect()
    print(f"baseline BM25 index built in {time.perf_counter() - t0:,.1f} s")
    for req in REQUESTS[:3]:  # warm caches (morphology, glossary)
        engine.match(req)
        baseline.search(baseline_text(req))
    t_engine: list[float] = []
    t_base: list[float] = []
    for _ in range(rounds):
        for req in REQUESTS:
            text = baseline_text(req)
            t = time.perf_counter()
            baseline.search(text, TOP)
            t_base.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            engine.match(req)
            t_engine.append((time.perf_counter() - t) * 1000)
    _, peak = memory()
    report(rounds, ("engine match", t_engine), ("baseline BM25 query", t_base), rss_engine)
    print(f"peak RSS of the whole run (both indexes): {peak:,.0f} MB")
    return 0


# ------------------------------------------------------------------------------------------ database modes
CODE_COLUMNS = ("scheme", "code", "competency_id", "organisation_id")


def redact(url: str) -> str:
    """The URL without its password, for printing."""
    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def pg_problem(url: str) -> str:
    """Why PostgreSQL cannot be used at this URL ("" when it answers)."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5):
            return ""
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"; the message says which
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def pg_admin(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        for sql in statements:
            con.execute(sql)


def request_params(req: MatchRequest) -> dict[str, Any]:
    """The request as the JSON body of ``POST /api/match/`` (what run_match parses)."""
    from dataclasses import fields

    params: dict[str, Any] = {}
    for f in fields(req):
        value = getattr(req, f.name)
        if value is None or value == "" or value == ():
            continue
        params[f.name] = list(value) if isinstance(value, tuple) else value
    return params


def fts5_query(text: str) -> str:
    """A search box's FTS5 expression: every word quoted (quotes doubled), joined with OR."""
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in dict.fromkeys(text.split()))


def websearch_query(text: str) -> str:
    """The same for PostgreSQL's websearch_to_tsquery (which has no escape for a quote: dropped)."""
    quoted = ('"' + w.replace('"', " ").strip() + '"' for w in dict.fromkeys(text.split()))
    return " or ".join(q for q in quoted if q != '""')


def distinct_orgs(cursor: Any, sql: str, query: str) -> list[int]:
    """Run a ranked query over competency lines, reading more lines until TOP distinct organisations."""
    if not query:
        return []
    limit = 5 * TOP
    while True:
        cursor.execute(sql, [query, limit])
        rows = cursor.fetchall()
        orgs = list(dict.fromkeys(r[0] for r in rows))[:TOP]
        if len(orgs) >= TOP or len(rows) < limit:
            return orgs
        limit *= 4


SQLITE_SEARCH = "SELECT organisation_id FROM bench_fts WHERE bench_fts MATCH %s ORDER BY bm25(bench_fts) LIMIT %s"
PG_SEARCH = (
    "SELECT organisation_id FROM bench_fts, websearch_to_tsquery('russian', %s) AS q "
    "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT %s"
)


def baseline_search(cursor: Any, vendor: str, text: str) -> list[int]:
    """The bare full-text query: the top organisations (database ids) for a request's text."""
    if vendor == "sqlite":
        return distinct_orgs(cursor, SQLITE_SEARCH, fts5_query(text))
    return distinct_orgs(cursor, PG_SEARCH, websearch_query(text))


def load_registry(n: int) -> tuple[int, int, int]:
    """Write the synthetic organisations into the registry tables (bulk SQL: a benchmark fixture).
    Returns (organisations, competency lines, code rows)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from coopnet.logic.codes import normalise_hs, normalise_nace
    from coopnet.logic.registry.identifiers import make_public_id
    from coopnet.reference.models import Region
    from coopnet.registry.choices import OrganisationKind
    from coopnet.registry.importing import COMP_COLUMNS, ORG_COLUMNS
    from coopnet.registry.models import Competency, CompetencyCode, Organisation

    postgres = connection.vendor == "postgresql"
    tables = (
        (Organisation._meta.db_table, ORG_COLUMNS),
        (Competency._meta.db_table, COMP_COLUMNS),
        (CompetencyCode._meta.db_table, CODE_COLUMNS),
    )
    regions: dict[str, list[str]] = {}
    for code, cc in Region.objects.order_by("code").values_list("code", "country_id"):
        regions.setdefault(cc, []).append(code)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    kind = str(OrganisationKind.ENTERPRISE.value)  # the plain string: psycopg would write an Enum by name
    batches: tuple[list[tuple[Any, ...]], ...] = ([], [], [])
    totals = [0, 0, 0]

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for (table, columns), rows in zip(tables, batches, strict=True):
                if postgres:
                    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        for i, rows in enumerate(batches):
            totals[i] += len(rows)
            rows.clear()

    if not postgres:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -524288")  # 512 MB of page cache for the indexes while loading
    orgs, comps, codes = batches
    comp_id = 0
    for org_id, row in enumerate(synthetic_rows(n), start=1):
        in_country = regions.get(row.country)
        region = in_country[int(row.region.rsplit("-", 1)[1]) % len(in_country)] if in_country else None
        orgs.append((
            org_id, now, now, SOURCE, "", True, make_public_id(row.country, org_id), row.id, "bench", row.name,
            "", "", kind, "", row.lat, row.lon, "", None, "", "", "", row.country, None, region,
        ))
        for line in row.lines:
            comp_id += 1
            hs = list(dict.fromkeys(normalise_hs(c) for c in line.hs))
            nace = list(dict.fromkeys(normalise_nace(c) for c in line.nace))
            has_capacity = line.capacity is not None
            comps.append((
                comp_id, now, now, SOURCE, "", True, line.text_ru, line.text_en, ";".join(hs), ";".join(nace),
                line.capacity, line.capacity_unit if has_capacity else "", "", ";".join(line.certifications),
                False, org_id,
            ))
            codes.extend(("hs", c, comp_id, org_id) for c in hs)
            codes.extend(("nace", c, comp_id, org_id) for c in nace)
        if len(orgs) >= CHUNK:
            flush()
    if orgs:
        flush()
    if postgres:  # ids were given explicitly: move the sequences past them
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Organisation, Competency, CompetencyCode]):
                cursor.execute(sql)
    return totals[0], totals[1], totals[2]


def analyse() -> None:
    """Statistics for the planner (and, on PostgreSQL, the visibility map), as a settled database has."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("VACUUM (ANALYZE) registry_organisation, registry_competency, registry_competencycode")


def build_baseline_index() -> str:
    """The full-text index of the baseline over the competency lines; returns what it is."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            with transaction.atomic():
                cursor.execute(
                    "CREATE VIRTUAL TABLE bench_fts USING fts5(description, description_en, "
                    "organisation_id UNINDEXED, tokenize = 'unicode61')"
                )
                cursor.execute(
                    "INSERT INTO bench_fts (rowid, description, description_en, organisation_id) "
                    "SELECT id, description, description_en, organisation_id FROM registry_competency"
                )
                cursor.execute("INSERT INTO bench_fts (bench_fts) VALUES ('optimize')")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return "FTS5 table (unicode61) over description, description_en"
        cursor.execute("SET maintenance_work_mem = '512MB'")
        with transaction.atomic():
            cursor.execute(
                "CREATE TABLE bench_fts AS SELECT id AS competency_id, organisation_id, "
                "to_tsvector('russian', description || ' ' || description_en) AS tsv FROM registry_competency"
            )
            cursor.execute("CREATE INDEX bench_fts_tsv ON bench_fts USING gin (tsv)")
        cursor.execute("VACUUM (ANALYZE) bench_fts")
        return "tsvector('russian') of description || description_en per line, GIN index"


def run_database(database: str, n: int, rounds: int, keep: bool, pg_url: str) -> int:
    """Create a database, migrate, load, index the baseline, then time a fresh serving process on it."""
    tmp = Path(tempfile.mkdtemp(prefix=f"coopnet-bench-match-{database}-"))
    os.environ["COOPNET_VAR"] = str(tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "coopnet.settings"
    os.environ["DEBUG"] = "0"  # as in production: no query log in the serving process
    os.environ.setdefault("SECRET_KEY", "coopnet-bench-matching-speed")
    if database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        where = f"{tmp / 'coopnet.sqlite3'}"
    else:
        problem = pg_problem(pg_url)
        if problem:
            print(f"PostgreSQL not reachable at {redact(pg_url)}: {problem}")
            shutil.rmtree(tmp, ignore_errors=True)
            return 1
        url = with_database(pg_url, BENCH_DB)
        pg_admin(pg_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)", f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = url
        where = redact(url)
    print(f"== {database}: {n:,} synthetic organisations (seed {SEED}) in {where} ==")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - t0:,.1f} s")
        t0 = time.perf_counter()
        orgs, lines, codes = load_registry(n)
        load = time.perf_counter() - t0
        print(
            f"load: {orgs:,} organisations, {lines:,} competency lines, {codes:,} code rows "
            f"in {load:,.1f} s ({orgs / load:,.0f} organisations/s; "
            f"{'COPY' if database == 'postgres' else 'executemany'}, {CHUNK:,} organisations per transaction)"
        )
        t0 = time.perf_counter()
        analyse()
        print(f"{'ANALYZE' if database == 'sqlite' else 'VACUUM ANALYZE'}: {time.perf_counter() - t0:,.1f} s")
        t0 = time.perf_counter()
        what = build_baseline_index()
        print(f"baseline index ({what}) built in {time.perf_counter() - t0:,.1f} s")
        connections.close_all()
        print("serving process (fresh, like a web worker):")
        return subprocess.call(
            [sys.executable, str(Path(__file__).resolve()), "--serve", "--rounds", str(rounds)], cwd=ROOT
        )
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if database == "postgres" and not keep:
            pg_admin(pg_url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if keep:
            print(f"(kept: {where}; COOPNET_VAR {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def serve(rounds: int) -> int:
    """The serving process: build the engine from the database as the server does, then time requests."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from coopnet.exchange import engine
    from coopnet.logic.matching import parse_request, run_match
    from coopnet.registry.models import Organisation

    settings.MATCH_INDEX_FOLLOW = False
    rss0, _ = memory()
    t0 = time.perf_counter()
    index, origin = engine.warm(rebuild_now=True)
    gc.collect()
    build = time.perf_counter() - t0
    rss_engine, peak_engine = memory()
    print(
        f"engine index {origin} from the database (registry_rows -> tantivy, shared files): {index.n:,} "
        f"organisations in {build:,.1f} s"
    )
    print(
        f"serving process after the build: RSS {rss_engine:,.0f} MB (Django loaded: {rss0:,.0f} MB), "
        f"peak while building {peak_engine:,.0f} MB"
    )
    vendor = connection.vendor
    cursor = connection.cursor()
    params = [request_params(r) for r in REQUESTS]
    texts = [baseline_text(r) for r in REQUESTS]

    def api(p: dict[str, Any]) -> dict[str, Any]:
        """What POST /api/match/ and `coopnet match` do."""
        return run_match(engine.get_index(), p, strict=True)

    def page(p: dict[str, Any]) -> list[Any]:
        """What the search page does: match, then read the organisations it shows."""
        matches = engine.get_index().match(parse_request(p))
        orgs = {o.pk: o for o in Organisation.objects.filter(pk__in={m.key for m in matches}).select_related("country")}
        return [(m, orgs.get(m.key)) for m in matches]

    full = engine_full = 0
    for p, text in zip(params, texts, strict=True):  # warm-up: one pass over every request
        full += len(baseline_search(cursor, vendor, text)) == TOP
        engine_full += len(api(p)["results"]) == TOP
        page(p)
    t_engine: list[float] = []
    t_page: list[float] = []
    t_base: list[float] = []
    for _ in range(rounds):
        for p, text in zip(params, texts, strict=True):
            t = time.perf_counter()
            baseline_search(cursor, vendor, text)
            t_base.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            api(p)
            t_engine.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            page(p)
            t_page.append((time.perf_counter() - t) * 1000)
    rss_end, peak = memory()
    print(f"answers with {TOP} organisations: engine {engine_full} of {len(REQUESTS)} requests, "
          f"baseline {full} of {len(REQUESTS)}")
    report(
        rounds,
        ("engine: run_match (API / command)", t_engine),
        (f"baseline: {'FTS5 bm25' if vendor == 'sqlite' else 'tsvector ts_rank'} query", t_base),
        max(rss_engine, rss_end),
        also=(("search page (match + organisations)", t_page),),
    )
    print(f"serving process RSS at the end: {rss_end:,.0f} MB, peak {peak:,.0f} MB")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="50,000 organisations")
    ap.add_argument("--orgs", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--database", choices=MODES, help="run one mode only (default: all three in turn)")
    ap.add_argument("--snapshot", action="store_true", help="pure mode: also time saving and loading the index")
    ap.add_argument("--keep", action="store_true", help="keep the benchmark database (and its COOPNET_VAR)")
    ap.add_argument("--pg-url", default=os.environ.get("PG_URL", DEFAULT_PG_URL),
                    help=f"a PostgreSQL server whose role can create databases (default {DEFAULT_PG_URL})")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    n = args.orgs or (50_000 if args.quick else 1_000_000)
    if args.serve:
        return serve(args.rounds)
    if args.database == "pure":
        return run_pure(n, args.rounds, args.snapshot)
    if args.database:
        return run_database(args.database, n, args.rounds, args.keep, args.pg_url)
    status = 0
    for mode in MODES:
        if mode == "postgres":
            problem = pg_problem(args.pg_url)
            if problem:
                print(f"== postgres ==\nskipped: PostgreSQL not reachable at {redact(args.pg_url)} ({problem})")
                continue
        cmd = [sys.executable, str(Path(__file__).resolve()), "--database", mode, "--orgs", str(n),
               "--rounds", str(args.rounds)]
        cmd += ["--snapshot"] if args.snapshot else []
        cmd += ["--keep"] if args.keep else []
        status = subprocess.call(cmd, cwd=ROOT, env={**os.environ, "PG_URL": args.pg_url}) or status
    return status


if __name__ == "__main__":
    raise SystemExit(main())
