"""Partner-search latency at union scale: the matching engine vs a bare full-text (BM25) query.

Generates synthetic organisations with a fixed seed (1,000,000 by default, 50,000 with --quick),
each with 1-5 competency lines drawn from the industrial glossary (Russian, sometimes English, with
HS / NACE codes, capacities and certifications), builds the engine's index and the baseline's
index from the same rows, then runs a fixed set of buyer requests several times and prints
p50 / p95 latency of both, their ratio, build times and the process's memory.

    python bench/bench_matching_speed.py [--quick] [--orgs N] [--rounds R] [--snapshot]

--snapshot also times writing the engine's index to a snapshot file and loading it back (what
`coopnet matchindex` and a new serving process do instead of building), and checks the answers agree.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="50,000 organisations")
    ap.add_argument("--orgs", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--snapshot", action="store_true", help="also time saving and loading the index")
    args = ap.parse_args()
    n = args.orgs or (50_000 if args.quick else 1_000_000)
    print(f"synthetic organisations: {n:,} (seed {SEED})")
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
    if args.snapshot:
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
        baseline.search(req.text or " ".join(req.hs + req.nace))
    t_engine: list[float] = []
    t_base: list[float] = []
    for _ in range(args.rounds):
        for req in REQUESTS:
            text = req.text or " ".join(req.hs + req.nace)
            t = time.perf_counter()
            baseline.search(text, 10)
            t_base.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            engine.match(req)
            t_engine.append((time.perf_counter() - t) * 1000)
    e50, e95 = percentile(t_engine, 50), percentile(t_engine, 95)
    b50, b95 = percentile(t_base, 50), percentile(t_base, 95)
    _, peak = memory()
    print(f"requests: {len(REQUESTS)} x {args.rounds} rounds, top 10")
    print(f"{'':22}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{'engine match':22}{e50:10.1f}{e95:10.1f}")
    print(f"{'baseline BM25 query':22}{b50:10.1f}{b95:10.1f}")
    print(f"{'ratio engine/baseline':22}{e50 / b50:10.2f}{e95 / b95:10.2f}")
    print(f"peak RSS of the whole run (both indexes): {peak:,.0f} MB")
    ok = e95 <= 60 and e95 <= 3 * b95 and rss_engine < 2048
    print(f"targets (p95 <= 60 ms, <= 3x baseline p95, serving RSS < 2 GB): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
