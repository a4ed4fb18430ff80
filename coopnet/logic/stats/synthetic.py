"""A seeded synthetic trade generator (gravity-like), always labelled synthetic.

value(r, p, k, t) = A * mass(r)^0.9 * mass(p)^0.8 / distance(r, p)^1.1
                    * weight(k) * fit(r, k) * g^(t - t0) * noise

for reporting states r, partners p, HS6 products k and years t, both flows. ``mass`` is a rough
economic size, ``weight`` a product's world importance, ``fit`` a state's specialisation in the product
(which makes revealed comparative advantages differ), all drawn from a seeded generator: the same seed
gives the same rows. The figures are not real and every row says so (is_synthetic, source, note).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .schema import MEMBER_STATES, OBSERVATION_SCHEMA

#: code -> (latitude, longitude, rough economic mass). Weights for the generator, not statistics.
COUNTRIES: dict[str, tuple[float, float, float]] = {
    "RU": (55.8, 37.6, 2000),
    "KZ": (51.2, 71.4, 260),
    "BY": (53.9, 27.6, 70),
    "AM": (40.2, 44.5, 20),
    "KG": (42.9, 74.6, 12),
    "CN": (39.9, 116.4, 17000),
    "DE": (52.5, 13.4, 4000),
    "US": (38.9, -77.0, 25000),
    "TR": (39.9, 32.9, 900),
    "IT": (41.9, 12.5, 2000),
    "FR": (48.9, 2.4, 2800),
    "JP": (35.7, 139.7, 4200),
    "KR": (37.6, 127.0, 1700),
    "IN": (28.6, 77.2, 3400),
    "UZ": (41.3, 69.3, 80),
    "VN": (21.0, 105.8, 400),
    "RS": (44.8, 20.5, 60),
    "IR": (35.7, 51.4, 400),
    "PL": (52.2, 21.0, 700),
    "NL": (52.4, 4.9, 1000),
    "GB": (51.5, -0.1, 3100),
    "CZ": (50.1, 14.4, 300),
    "FI": (60.2, 24.9, 280),
    "UA": (50.5, 30.5, 160),
    "MD": (47.0, 28.9, 14),
    "CU": (23.1, -82.4, 100),
    "AZ": (40.4, 49.9, 70),
    "GE": (41.7, 44.8, 25),
    "TJ": (38.6, 68.8, 10),
    "TM": (37.9, 58.4, 60),
    "MN": (47.9, 106.9, 17),
    "AE": (24.5, 54.4, 500),
    "EG": (30.0, 31.2, 400),
    "BR": (-15.8, -47.9, 2000),
    "SG": (1.3, 103.8, 500),
    "ID": (-6.2, 106.8, 1300),
    "TH": (13.8, 100.5, 500),
    "MY": (3.1, 101.7, 400),
    "ES": (40.4, -3.7, 1400),
    "AT": (48.2, 16.4, 470),
    "CH": (46.9, 7.4, 800),
    "SE": (59.3, 18.1, 590),
    "HU": (47.5, 19.0, 180),
    "SK": (48.1, 17.1, 115),
    "LT": (54.7, 25.3, 70),
    "LV": (56.9, 24.1, 40),
    "EE": (59.4, 24.7, 38),
    "SA": (24.7, 46.7, 1100),
    "IL": (31.8, 35.2, 520),
    "CA": (45.4, -75.7, 2100),
    "MX": (19.4, -99.1, 1400),
}


def _distance_km(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return max(300.0, 2 * 6371.0 * math.asin(math.sqrt(h)))


def hs6_universe(count: int, *, must_include: Sequence[str] = ()) -> list[str]:
    """``count`` plausible HS6 codes covering every chapter first, then finer; ``must_include`` first."""
    chapters = [f"{c:02d}" for c in range(1, 98) if c != 77]
    codes: list[str] = list(dict.fromkeys(c for c in must_include if len(c) == 6 and c.isdigit()))
    seen = set(codes)
    for sub in ("10", "20", "90", "30", "40", "50", "60", "80"):
        for heading in range(1, 100):
            for chapter in chapters:
                code = f"{chapter}{heading:02d}{sub}"
                if code not in seen:
                    codes.append(code)
                    seen.add(code)
                if len(codes) >= count:
                    return sorted(codes)
    return sorted(codes)


@dataclass(frozen=True)
class TradeSpec:
    reporters: tuple[str, ...] = MEMBER_STATES
    partners: tuple[str, ...] = tuple(COUNTRIES)
    products: int = 1000
    years: tuple[int, ...] = tuple(range(2015, 2025))
    seed: int = 20240601
    must_include: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        pairs = sum(1 for r in self.reporters for p in self.partners if p != r)
        return pairs * self.products * len(self.years) * 2


def spec_for_rows(
    target: int, *, seed: int = 20240601, years: int = 10, must_include: tuple[str, ...] = ()
) -> TradeSpec:
    """A spec with about ``target`` rows (members x all partners x both flows x ``years`` years)."""
    base = TradeSpec(products=1, years=tuple(range(2025 - years, 2025)), seed=seed, must_include=must_include)
    products = max(1, round(target / base.rows))
    return TradeSpec(products=products, years=base.years, seed=seed, must_include=must_include)


def generate(spec: TradeSpec) -> Iterator[pa.Table]:
    """Yield Arrow tables (one per year) of observations in the store's schema."""
    rng = np.random.default_rng(spec.seed)
    products = hs6_universe(spec.products, must_include=spec.must_include)
    n_k = len(products)
    reporters = list(spec.reporters)
    partners = list(spec.partners)
    for code in reporters + partners:
        if code not in COUNTRIES:
            raise ValueError(f"no generator weights for country {code!r}")
    weight = rng.lognormal(0.0, 1.5, n_k)
    fit = {r: rng.lognormal(0.0, 1.0, n_k) for r in reporters}
    growth = {r: 1.0 + rng.uniform(0.0, 0.06) for r in reporters}
    pair_list = [(r, p) for r in reporters for p in partners if p != r]
    gravity = np.array(
        [
            COUNTRIES[r][2] ** 0.9 * COUNTRIES[p][2] ** 0.8 / _distance_km(COUNTRIES[r], COUNTRIES[p]) ** 1.1
            for r, p in pair_list
        ]
    )
    n_pairs = len(pair_list)
    rep_idx = np.repeat(np.array([reporters.index(r) for r, _ in pair_list], dtype=np.int32), n_k)
    par_idx = np.repeat(np.array([partners.index(p) for _, p in pair_list], dtype=np.int32), n_k)
    prod_idx = np.tile(np.arange(n_k, dtype=np.int32), n_pairs)
    fit_matrix = np.vstack([fit[r] for r in reporters])  # reporters x products
    base_export = (np.repeat(gravity, n_k) * weight[prod_idx] * fit_matrix[rep_idx, prod_idx]) * 2e3
    # Imports depend on the partner's specialisation: a member partner uses its own fit, others a draw.
    partner_fit = np.vstack([fit[p] if p in fit else rng.lognormal(0.0, 1.0, n_k) for p in partners])
    base_import = (np.repeat(gravity, n_k) * weight[prod_idx] * partner_fit[par_idx, prod_idx]) * 2e3
    rep_dict = pa.array(reporters, pa.string())
    par_dict = pa.array(partners, pa.string())
    prod_dict = pa.array(products, pa.string())
    flow_dict = pa.array(["export", "import"], pa.string())
    n = n_pairs * n_k
    t0 = spec.years[0]
    g = np.array([growth[r] for r in reporters])[rep_idx]
    source = f"synthetic gravity generator (seed {spec.seed})"
    for year in spec.years:
        trend = g ** (year - t0)
        values = np.concatenate(
            [
                base_export * trend * rng.lognormal(0.0, 0.3, n),
                base_import * trend * rng.lognormal(0.0, 0.3, n),
            ]
        ).round(0)
        size = 2 * n

        def dict_col(indices: np.ndarray, dictionary: pa.Array) -> pa.Array:
            return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), dictionary).cast(pa.string())

        def const(value: object, typ: pa.DataType, size: int = size) -> pa.Array:
            return pa.repeat(pa.scalar(value, typ), size)

        table = pa.table(
            {
                "indicator": const("trade", pa.string()),
                "reporter": dict_col(np.concatenate([rep_idx, rep_idx]), rep_dict),
                "partner": dict_col(np.concatenate([par_idx, par_idx]), par_dict),
                "scheme": const("hs", pa.string()),
                "product": dict_col(np.concatenate([prod_idx, prod_idx]), prod_dict),
                "flow": dict_col(np.repeat(np.array([0, 1], dtype=np.int32), n), flow_dict),
                "period": const(str(year), pa.string()),
                "year": const(year, pa.int16()),
                "period_kind": const("year", pa.string()),
                "value": pa.array(values, pa.float64()),
                "unit": const("money", pa.string()),
                "currency": const("USD", pa.string()),
                "source": const(source, pa.string()),
                "document": const("synthetic", pa.string()),
                "locator": const("", pa.string()),
                "retrieved": pa.nulls(size, pa.date32()),
                "note": const("synthetic: gravity-like generator, not real statistics", pa.string()),
                "is_synthetic": const(True, pa.bool_()),
                "edition": const("", pa.string()),
                "partner2": const("", pa.string()),
                "customs": const("", pa.string()),
                "transport": const("", pa.string()),
            },
            schema=OBSERVATION_SCHEMA,
        )
        yield table


def synthetic_capacity(
    products: Sequence[str], organisations: int, *, seed: int = 7, countries: Sequence[str] = MEMBER_STATES
) -> list[dict[str, object]]:
    """Synthetic registry competencies for benchmarks: organisations with 1-4 HS codes at mixed depths."""
    rng = np.random.default_rng(seed)
    shares = np.array([0.7 if c == "RU" else 0.1 for c in countries], dtype=float)
    shares /= shares.sum()
    org_country = rng.choice(len(countries), size=organisations, p=shares)
    per_org = rng.integers(1, 5, size=organisations)
    org_ids = np.repeat(np.arange(1, organisations + 1), per_org)
    picks = rng.integers(0, len(products), size=len(org_ids))
    depths = rng.choice(np.array([2, 4, 6, 6, 6, 10]), size=len(org_ids))
    tails = rng.integers(0, 10000, size=len(org_ids))
    rows: list[dict[str, object]] = []
    for org, pick, depth, tail in zip(org_ids.tolist(), picks.tolist(), depths.tolist(), tails.tolist(), strict=True):
        code = str(products[pick])
        code = code[:depth] if depth <= 6 else f"{code}{tail:04d}"
        rows.append(
            {
                "org_id": org,
                "public_id": f"SYN-{org:07d}",
                "name": f"Synthetic works {org}",
                "country": str(countries[int(org_country[org - 1])]),
                "region": "",
                "scheme": "hs",
                "code": code,
                "capacity_quantity": None,
                "capacity_unit": "",
                "capacity_period": "",
            }
        )
    return rows
