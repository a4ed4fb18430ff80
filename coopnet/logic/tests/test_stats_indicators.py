"""Indicators against small tables computed by hand (the arithmetic is in the comments)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopnet.logic.stats import indicators
from coopnet.logic.stats.indicators import IndicatorError, compute
from coopnet.logic.stats.schema import Observation, to_table
from coopnet.logic.stats.store import StatsStore, capacity_table

CAR, ENGINE = "870110", "840710"

# Exports (reporter -> partner, product, value), year 2023:
#   BY: to RU car 30, to CN car 10, to RU engine 10          X(BY,car)=40 X(BY,engine)=10 X(BY)=50
#   RU: to BY car 20, to CN car 20, to BY engine 40, to CN engine 120
#                                                            X(RU,car)=40 X(RU,engine)=160 X(RU)=200
#   group W = {BY, RU}: X(W,car)=80, X(W,engine)=170, X(W)=250
EXPORTS = [
    ("BY", "RU", CAR, 30),
    ("BY", "CN", CAR, 10),
    ("BY", "RU", ENGINE, 10),
    ("RU", "BY", CAR, 20),
    ("RU", "CN", CAR, 20),
    ("RU", "BY", ENGINE, 40),
    ("RU", "CN", ENGINE, 120),
]
# Imports: BY from RU car 20, from CN car 60, from RU engine 40, from CN engine 30   M(BY)=150
#          RU from BY car 30, from CN car 10, from BY engine 10, from CN engine 50   M(RU)=100
IMPORTS = [
    ("BY", "RU", CAR, 20),
    ("BY", "CN", CAR, 60),
    ("BY", "RU", ENGINE, 40),
    ("BY", "CN", ENGINE, 30),
    ("RU", "BY", CAR, 30),
    ("RU", "CN", CAR, 10),
    ("RU", "BY", ENGINE, 10),
    ("RU", "CN", ENGINE, 50),
]


def trade(reporter: str, partner: str, product: str, value: float, flow: str, year: int = 2023) -> Observation:
    return Observation(
        indicator="trade",
        reporter=reporter,
        partner=partner,
        scheme="hs",
        product=product,
        flow=flow,
        period=str(year),
        year=year,
        value=value,
        unit="money",
        currency="USD",
        source="hand table",
    )


@pytest.fixture
def store(tmp_path: Path) -> StatsStore:
    s = StatsStore(tmp_path / "stats")
    rows = [trade(r, p, k, v, "export") for r, p, k, v in EXPORTS]
    rows += [trade(r, p, k, v, "import") for r, p, k, v in IMPORTS]
    s.write("hand", to_table(rows))
    return s


def by_key(rows: list[dict], *keys: str) -> dict[tuple, dict]:
    return {tuple(r[k] for k in keys): r for r in rows}


def test_rca_balassa(store: StatsStore) -> None:
    rows = by_key(compute(store, "rca")["rows"], "reporter", "product")
    assert rows[("BY", CAR)]["value"] == pytest.approx((40 / 50) / (80 / 250))  # 2.5
    assert rows[("BY", CAR)]["value"] == pytest.approx(2.5)
    assert rows[("BY", ENGINE)]["value"] == pytest.approx(0.2 / 0.68)
    assert rows[("RU", CAR)]["value"] == pytest.approx(0.625)
    assert rows[("RU", ENGINE)]["value"] == pytest.approx(0.8 / 0.68)
    # Filters apply after the group totals: BY alone still compares with the group BY+RU; a 4-digit
    # product filter sums to 4 digits unless --depth says otherwise.
    only = compute(store, "rca", reporter="BY", product="8701")["rows"]
    assert [(r["reporter"], r["product"], round(r["value"], 6)) for r in only] == [("BY", "8701", 2.5)]


def test_rca_at_heading_depth(store: StatsStore) -> None:
    rows = by_key(compute(store, "balassa", depth=4)["rows"], "reporter", "product")
    assert rows[("BY", "8701")]["value"] == pytest.approx(2.5)


def test_third_country_share(store: StatsStore) -> None:
    rows = by_key(compute(store, "third_country_share")["rows"], "reporter", "product")
    assert rows[("BY", CAR)]["value"] == pytest.approx(60 / 80)
    assert rows[("BY", ENGINE)]["value"] == pytest.approx(30 / 70)
    assert rows[("RU", ENGINE)]["value"] == pytest.approx(50 / 60)


def test_third_country_share_from_aggregate_rows(tmp_path: Path) -> None:
    # KZ reports only WLD 100 and EAEU 25 for cars: XT = WLD - EAEU = 75, S = 0.75.
    s = StatsStore(tmp_path)
    s.write("kz", to_table([trade("KZ", "WLD", CAR, 100, "import"), trade("KZ", "EAEU", CAR, 25, "import")]))
    (row,) = compute(s, "third_country", reporter="KZ")["rows"]
    assert (row["m_xt"], row["m_wld"], row["value"]) == (75, 100, 0.75)


def test_grubel_lloyd_bilateral_and_world(store: StatsStore) -> None:
    rows = by_key(compute(store, "grubel_lloyd", reporter="BY", partner="RU")["rows"], "product")
    assert rows[(CAR,)]["value"] == pytest.approx(1 - abs(30 - 20) / 50)  # 0.8
    assert rows[(ENGINE,)]["value"] == pytest.approx(1 - abs(10 - 40) / 50)  # 0.4
    assert rows[("TOTAL",)]["value"] == pytest.approx((50 - 10 + 50 - 30) / 100)  # 0.6
    world = by_key(compute(store, "gl", reporter="BY")["rows"], "product")  # partner defaults to WLD
    assert world[(CAR,)]["value"] == pytest.approx(1 - 40 / 120)
    assert world[(ENGINE,)]["value"] == pytest.approx(1 - 60 / 80)


def test_trade_complementarity(store: StatsStore) -> None:
    rows = by_key(compute(store, "complementarity")["rows"], "reporter", "partner")
    # Importer BY (m: car 80/150, engine 70/150) vs exporter RU (x: car 0.2, engine 0.8):
    # sum |m - x| = 1/3 + 1/3 -> TC = 100 * (1 - 1/3)
    assert rows[("BY", "RU")]["value"] == pytest.approx(100 * (1 - (2 / 3) / 2))
    # Importer RU (m: 0.4, 0.6) vs exporter BY (x: 0.8, 0.2): sum = 0.8 -> 60
    assert rows[("RU", "BY")]["value"] == pytest.approx(60.0)
    assert compute(store, "tci", reporter="RU", partner="BY")["rows"][0]["value"] == pytest.approx(60.0)


def test_trade_intensity(store: StatsStore) -> None:
    rows = by_key(compute(store, "trade_intensity", reporter="BY")["rows"], "partner")
    # BY -> RU: (40/50) / (x(W,RU)=40 / 250) = 5
    assert rows[("RU",)]["value"] == pytest.approx(5.0)
    # BY -> CN: (10/50) / ((10 + 140)/250) = 1/3
    assert rows[("CN",)]["value"] == pytest.approx(1 / 3)
    # BY -> EAEU: (40/50) / ((40 + 60)/250) = 2
    assert rows[("EAEU",)]["value"] == pytest.approx(2.0)


def test_mutual_share(store: StatsStore) -> None:
    rows = by_key(compute(store, "mutual_share")["rows"], "reporter")
    assert rows[("BY",)]["value"] == pytest.approx((40 + 60) / (50 + 150))
    assert rows[("RU",)]["value"] == pytest.approx((60 + 40) / (200 + 100))


def test_opportunities_rank_by_value_at_stake(store: StatsStore) -> None:
    cap = capacity_table(
        [
            {"org_id": 1, "public_id": "KZ-1", "name": "Tractor works", "country": "KZ", "code": "8701"},
            {"org_id": 2, "public_id": "BY-2", "name": "Motor works", "country": "BY", "code": "84071000"},
            {"org_id": 3, "public_id": "RU-3", "name": "Other tractors", "country": "RU", "code": "870190"},
            {"org_id": 4, "public_id": "UZ-4", "name": "Outside the Union", "country": "UZ", "code": "8701"},
        ]
    )
    six = store.opportunities(cap, depth=6)
    # Third-country imports: engine BY 30 + RU 50 = 80; car BY 60 + RU 10 = 70.
    assert [(o["product"], o["value_at_stake"], o["suppliers"]) for o in six] == [
        (ENGINE, 80, 1),
        (CAR, 70, 1),
    ]
    assert six[0]["importers"] == [{"reporter": "RU", "value": 50}, {"reporter": "BY", "value": 30}]
    assert six[0]["dependence"] == pytest.approx(80 / 130)
    four = store.opportunities(cap, depth=4)
    assert [(o["product"], o["suppliers"]) for o in four] == [("8407", 1), ("8701", 2)]
    assert four[1]["supplier_countries"] == ["KZ", "RU"]
    only_by = store.opportunities(cap, depth=6, reporter="BY")
    assert [(o["product"], o["value_at_stake"]) for o in only_by] == [(CAR, 60), (ENGINE, 30)]
    assert [s["org_id"] for s in store.suppliers(cap, "870110")] == [1]


def test_opportunities_gaps(store: StatsStore) -> None:
    empty = capacity_table([])
    assert store.opportunities(empty) == []
    gaps = store.opportunities(empty, gaps=True)
    assert {g["product"] for g in gaps} == {CAR, ENGINE} and all(g["suppliers"] == 0 for g in gaps)


def test_growth_cagr_and_share(tmp_path: Path) -> None:
    s = StatsStore(tmp_path)
    rows = [
        Observation(
            "industrial_production",
            "EAEU",
            "2017",
            1.14e12,
            "money",
            scheme="nace",
            product="TOTAL",
            flow="production",
            currency="USD",
            year=2017,
        ),
        Observation(
            "industrial_production",
            "EAEU",
            "2024",
            1.61e12,
            "money",
            scheme="nace",
            product="TOTAL",
            flow="production",
            currency="USD",
            year=2024,
        ),
        Observation(
            "industrial_production",
            "EAEU",
            "2017",
            740.6e9,
            "money",
            scheme="nace",
            product="C",
            flow="production",
            currency="USD",
            year=2017,
        ),
        Observation(
            "industrial_production",
            "EAEU",
            "2024",
            1072.6e9,
            "money",
            scheme="nace",
            product="C",
            flow="production",
            currency="USD",
            year=2024,
        ),
    ]
    s.write("seed", to_table(rows))
    out = by_key(compute(s, "growth", series="industrial_production")["rows"], "product")
    assert out[("TOTAL",)]["growth"] == pytest.approx(1.61 / 1.14 - 1)  # 0.412 -> +41 %
    assert round(out[("TOTAL",)]["growth"] * 100) == 41
    assert round(out[("C",)]["growth"] * 100) == 45  # 740.6 -> 1072.6
    assert out[("TOTAL",)]["cagr"] == pytest.approx((1.61 / 1.14) ** (1 / 7) - 1)
    shares = by_key(compute(s, "share", series="industrial_production")["rows"], "product", "year")
    assert shares[("C", 2017)]["share"] == pytest.approx(740.6 / 1140)
    assert indicators.growth(740.6, 1072.6) == pytest.approx(0.44828517)
    assert indicators.cagr(100, 121, 2) == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        ("nonsense", {}, "unknown indicator"),
        ("rca", {"reporter": "Belarus"}, "not a country code"),
        ("rca", {"from": "2024", "to": "2017"}, "after"),
        ("rca", {"product": "87A"}, "not an HS code"),
        ("rca", {"depth": 5}, "2, 4, 6, 8 or 10"),
        ("growth", {}, "needs --series"),
        ("rca", {"series": "x"}, "does not take"),
        ("rca", {"from": "soon"}, "not a year"),
    ],
)
def test_bad_arguments(store: StatsStore, name: str, kwargs: dict, message: str) -> None:
    with pytest.raises(IndicatorError, match=message):
        compute(store, name, **kwargs)


def test_every_indicator_has_a_formula_and_a_query() -> None:
    from coopnet.logic.stats.store import sql_text

    for ind in indicators.INDICATORS.values():
        assert ind.formula and ind.meaning and sql_text(ind.sql)


def test_partner_rules_in_rca_and_opportunities(tmp_path: Path) -> None:
    """Detail with a member region as partner, WLD + EAEU only, XT + EAEU only: the documented partner rules."""
    s = StatsStore(tmp_path / "rules")
    rows = [
        trade("BY", "KZ-ALA", CAR, 5, "export"),  # a member's region: Union trade
        trade("BY", "CN", CAR, 10, "export"),
        trade("KZ", "WLD", CAR, 100, "export"),
        trade("KZ", "EAEU", CAR, 25, "export"),
        trade("AM", "XT", ENGINE, 40, "export"),
        trade("AM", "EAEU", ENGINE, 10, "export"),
        trade("BY", "CN", CAR, 60, "import"),
        trade("BY", "KZ-ALA", CAR, 20, "import"),
        trade("KZ", "WLD", CAR, 100, "import"),
        trade("KZ", "EAEU", CAR, 25, "import"),
        trade("AM", "XT", CAR, 7, "import"),
        trade("AM", "EAEU", CAR, 3, "import"),
    ]
    s.write("rules", to_table(rows))
    # X: BY car 15 (detail), KZ car 100 (WLD), AM engine 50 (XT + EAEU); X(W, car) 115, X(W, engine) 50, X(W) 165.
    rca = by_key(s.run("rca", {"level": 6, "depth": 6}), "reporter", "product")
    assert rca[("BY", CAR)]["value"] == pytest.approx(165 / 115)
    assert rca[("KZ", CAR)]["value"] == pytest.approx(165 / 115)
    assert rca[("AM", ENGINE)]["value"] == pytest.approx(165 / 50)
    cap = capacity_table([{"org_id": 1, "public_id": "BY-1", "name": "Car works", "country": "BY", "code": CAR}])
    # XT: BY 60 (CN; KZ-ALA is in the Union), KZ 100 - 25 = 75, AM 7; world: 80 + 100 + 10.
    (car,) = s.opportunities(cap, depth=6)
    assert (car["product"], car["value_at_stake"], car["imports_total"], car["suppliers"]) == (CAR, 142, 190, 1)
    assert [i["reporter"] for i in car["importers"]] == ["KZ", "BY", "AM"]


def production(reporter: str, product: str, value: float, year: int = 2023) -> Observation:
    return Observation(
        "production", reporter, str(year), value, "money", scheme="hs", product=product, flow="production",
        currency="USD", year=year, source="hand table",
    )  # fmt: skip


def test_import_dependence_is_imports_over_apparent_consumption(store: StatsStore) -> None:
    # BY cars: production 200, imports 80 (20 + 60), exports 40 (30 + 10):
    #   apparent consumption 200 + 80 - 40 = 240, D = 80 / 240. Engines have no production: no value.
    store.write("production", to_table([production("BY", CAR, 200)]))
    (row,) = compute(store, "import_dependence", reporter="BY")["rows"]
    assert (row["product"], row["production"], row["imports"], row["exports"]) == (CAR, 200, 80, 40)
    assert row["apparent_consumption"] == 240 and row["value"] == pytest.approx(80 / 240)
    # The share of imports from third countries is another indicator, beside it: 60 / 80.
    share = by_key(compute(store, "third_country_share", reporter="BY")["rows"], "product")
    assert share[(CAR,)]["value"] == pytest.approx(60 / 80)


def test_import_dependence_without_production_or_with_exports_above_supply(tmp_path: Path) -> None:
    s = StatsStore(tmp_path)
    s.write("t", to_table([trade("KZ", "WLD", CAR, 100, "import"), trade("KZ", "WLD", CAR, 500, "export")]))
    assert compute(s, "import_dependence")["rows"] == []
    s.write("q", to_table([production("KZ", CAR, 300)]))
    (row,) = compute(s, "import_dependence")["rows"]
    assert row["apparent_consumption"] == -100 and row["value"] is None  # re-exports exceed supply: undefined


def test_rca_and_trade_intensity_against_the_world_when_the_store_has_it(store: StatsStore) -> None:
    # World exports as stored (reporter WLD) by partner: car to RU 500, to CN 500; engine to RU 1000, to CN
    # 2000 -> X(WLD, car) = 1000, X(WLD) = 4000, x(WLD, RU) = 1500.
    world = [("RU", CAR, 500), ("CN", CAR, 500), ("RU", ENGINE, 1000), ("CN", ENGINE, 2000)]
    store.write("world", to_table([trade("WLD", p, k, v, "export") for p, k, v in world]))
    rows = by_key(compute(store, "rca", reporter="BY")["rows"], "product")
    # BY car: (40/50) / (1000/4000) = 3.2 against the world (2.5 against BY + RU).
    assert rows[(CAR,)]["value"] == pytest.approx(3.2) and rows[(CAR,)]["reference_group"] == "world"
    reporters = by_key(compute(store, "rca", reporter="BY", group="reporters")["rows"], "product")
    assert reporters[(CAR,)]["value"] == pytest.approx(2.5) and reporters[(CAR,)]["reference_group"] == "reporters"
    # BY -> RU: (40/50) / (1500/4000) against the world (5 against BY + RU).
    tii = by_key(compute(store, "trade_intensity", reporter="BY")["rows"], "partner")
    assert tii[("RU",)]["reference_group"] == "world" and (tii[("RU",)]["x_wj"], tii[("RU",)]["x_w"]) == (1500, 4000)
    assert tii[("RU",)]["value"] == pytest.approx((40 / 50) / (1500 / 4000))
    old = by_key(compute(store, "trade_intensity", reporter="BY", group="reporters")["rows"], "partner")
    assert old[("RU",)]["value"] == pytest.approx(5.0)
    with pytest.raises(IndicatorError, match="--group 'galaxy'"):
        compute(store, "rca", group="galaxy")


def test_rca_against_the_world_has_no_value_where_the_world_has_none(tmp_path: Path) -> None:
    s = StatsStore(tmp_path)
    s.write("t", to_table([trade("BY", "WLD", CAR, 10, "export"), trade("BY", "WLD", ENGINE, 10, "export"),
                           trade("WLD", "WLD", CAR, 100, "export")]))  # fmt: skip
    rows = by_key(compute(s, "rca", group="world")["rows"], "product")
    assert rows[(ENGINE,)]["value"] is None and rows[(CAR,)]["value"] == pytest.approx((10 / 20) / (100 / 100))
