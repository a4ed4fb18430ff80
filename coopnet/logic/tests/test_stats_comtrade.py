"""UN Comtrade as it really comes: real files of both layouts (tests/data/comtrade, see its README) and
generated ones; breakdown rows kept as breakdowns and never read as totals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopnet.logic.stats.comtrade import areas, parse_comtrade
from coopnet.logic.stats.indicators import compute
from coopnet.logic.stats.store import StatsStore

DATA = Path(__file__).with_name("data") / "comtrade"

#: Today's layout as the bulk files ship it: numeric codes, ISO columns empty.
TODAY = (
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,"
    "flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,partner2Desc,classificationCode,"
    "classificationSearchCode,isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,"
    "mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,altQtyUnitAbbr,altQty,"
    "isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,"
    "legacyEstimationFlag,isReported,isAggregate"
)


def today_line(
    year: int,
    reporter: str,
    flow: str,
    partner: str,
    cmd: str,
    value: float,
    *,
    partner2: str = "0",
    customs: str = "C00",
    mot: str = "0",
    edition: str = "H6",
    qty: str = "",
    unit: str = "N/A",
    qty_estimated: str = "false",
    reported: str = "true",
    aggregate: str = "false",
    iso: str = "",
    partner_iso: str = "",
) -> str:
    cells = [
        "C", "A", f"{year}0101", str(year), "52", str(year), reporter, iso, "", flow, "", partner, partner_iso, "",
        partner2, "", "", edition, "HS", "true", cmd, "", "6", "true", customs, "", "0", mot, "", "-1", unit, qty,
        qty_estimated, "-1", "N/A", "", "false", "", "false", "", "false", "", "", str(value), "0", reported,
        aggregate,
    ]  # fmt: skip
    return ",".join(cells)


def today_file(*lines: str, name: str = "TradeData_2024.csv") -> io.BytesIO:
    data = io.BytesIO((TODAY + "\n" + "\n".join(lines) + "\n").encode())
    data.name = name
    return data


def store_of(tmp_path: Path, result: object) -> StatsStore:
    store = StatsStore(tmp_path / "store")
    store.write_result("comtrade", result)
    return store


# ------------------------------------------------------------------------------------- real files


def test_real_file_in_todays_layout_with_a_trailing_delimiter() -> None:
    result = parse_comtrade(DATA / "thailand_8542_2014_today.csv")
    assert result.ok, result.errors
    rows = result.table.to_pylist()
    assert len(rows) == 12 and {r["reporter"] for r in rows} == {"TH"}
    world = [r for r in rows if r["partner"] == "WLD"]
    assert world[0]["value"] == 9680795326.0 and world[0]["flow"] == "import" and world[0]["product"] == "8542"
    assert {r["edition"] for r in rows} == {"H4"}
    andorra = next(r for r in rows if r["partner"] == "AD")
    assert andorra["note"] == "UN Comtrade: net weight estimated"  # legacy flag 4 and isNetWgtEstimated
    assert next(r for r in rows if r["partner"] == "AU")["note"] == ""
    assert all(r["partner2"] == r["customs"] == r["transport"] == "" for r in rows)


def test_real_classic_file_keeps_breakdowns_apart_and_growth_equals_the_totals(tmp_path: Path) -> None:
    result = parse_comtrade(DATA / "cement_252310_classic.csv")
    assert result.ok, result.errors
    assert any("DX" in w.message for w in result.warnings)
    rows = [r for r in result.table.to_pylist() if r["indicator"] == "trade"]
    russia_2018_x = [r for r in rows if (r["reporter"], r["period"], r["flow"]) == ("RU", "2018", "export")]
    # One total and three breakdowns (mode of transport 9900, second partner "Areas, nes", both).
    assert sorted((r["partner2"], r["transport"]) for r in russia_2018_x) == [
        ("", ""),
        ("", "9900"),
        ("XX-899", ""),
        ("XX-899", "9900"),
    ]
    germany = [r for r in rows if r["reporter"] == "DE"]
    assert sorted(r["customs"] for r in germany) == ["", "C01"]
    belarus = [r for r in rows if r["reporter"] == "BY"]
    assert sorted(r["partner2"] for r in belarus) == ["", "RU"]
    assert {r["edition"] for r in rows if r["reporter"] == "RU"} == {"H4", "H5"}

    store = store_of(tmp_path, result)
    out = compute(store, "growth", series="trade", reporter="RU", flow="export", partner="WLD", product="252310")
    (row,) = out["rows"]
    by_hand = 27621475 / 9051140 - 1  # the total lines 13 and 10 of the file
    assert row["growth"] == pytest.approx(by_hand)
    # Every breakdown stays visible in the series, beside its total, and is no conflict of it.
    series = store.series("trade", reporter="RU", flow="export", **{"from": 2018, "to": 2018})
    assert len(series) == 4 and all(r["conflicts"] == 0 for r in series)
    assert store.conflicts("trade") == []
    catalog = {(c["indicator"], c["flow"]): c for c in store.catalog()}
    assert catalog[("trade", "export")]["breakdowns"] > 0
    assert catalog[("trade", "export")]["editions"] == ["H4", "H5"]


def test_real_classic_file_with_units_that_change_between_years() -> None:
    result = parse_comtrade(DATA / "indonesia_2402_classic.csv")
    assert result.ok, result.errors
    rows = result.table.to_pylist()
    quantities = {(r["period"], r["unit"]) for r in rows if r["indicator"] == "trade_quantity"}
    assert ("1996", "u") in quantities and ("2000", "kg") in quantities
    assert {r["partner"] for r in rows} >= {"RU", "SA", "US"}
    assert {r["flow"] for r in rows} == {"import", "export"}


def test_real_classic_file_without_iso_columns_and_chapters_without_their_zero() -> None:
    result = parse_comtrade(DATA / "usa_china_chapters_classic.csv")
    assert result.ok, result.errors
    rows = result.table.to_pylist()
    assert {(r["reporter"], r["partner"]) for r in rows} == {("US", "CN")}  # codes 842 and 156
    assert [r["product"] for r in rows][:3] == ["01", "01", "02"]
    messages = " | ".join(str(w) for w in result.warnings)
    assert "leading zero" in messages and "line 2 ('1')" in messages
    assert "skipped (3)" in messages  # the re-exports
    assert rows[0]["note"] == "UN Comtrade: net weight estimated"  # Flag 4


def test_real_file_that_is_a_refused_query_is_named_as_such() -> None:
    result = parse_comtrade(DATA / "comtrade_query_refused.csv")
    assert not result.ok and result.table is None
    assert "missing column(s)" in result.errors[0].message and "classic layout" in result.errors[0].message


# ------------------------------------------------------------------------------- generated files


def test_bulk_file_with_empty_iso_columns_is_read_by_its_numeric_codes() -> None:
    result = parse_comtrade(
        today_file(
            today_line(2023, "112", "X", "643", "870110", 1500),
            today_line(2023, "112", "M", "0", "870110", 900),
            today_line(2023, "398", "M", "842", "870110", 50),
            today_line(2023, "51", "M", "899", "870110", 7),
        )
    )
    assert result.ok, result.errors
    assert [(r["reporter"], r["partner"]) for r in result.table.to_pylist()] == [
        ("BY", "RU"),
        ("BY", "WLD"),
        ("KZ", "US"),
        ("AM", "XX-899"),
    ]


def test_growth_from_a_file_with_breakdown_rows_equals_the_growth_of_its_totals(tmp_path: Path) -> None:
    """The issue's case: totals 1,000,000 -> 719,000 (-28.1 %); a customs-procedure breakdown of 40 in the
    last year read as the total gave 40 / 1,000,000 - 1 = -99.996 %. (ISO columns filled in, as the issue's
    reporter did to get the file in at all.)"""
    iso = {"iso": "BLR", "partner_iso": "W00"}
    result = parse_comtrade(
        today_file(
            today_line(2021, "112", "X", "0", "870110", 1_000_000, **iso),
            today_line(2024, "112", "X", "0", "870110", 40, customs="C01", **iso),
            today_line(2024, "112", "X", "0", "870110", 719_000, **iso),
            today_line(2024, "112", "X", "0", "870110", 718_960, customs="C02", **iso),
            today_line(2024, "112", "X", "0", "870110", 500_000, mot="2100", **iso),
            today_line(2024, "112", "X", "0", "870110", 300_000, partner2="643", **iso),
        )
    )
    assert result.ok, result.errors
    store = store_of(tmp_path, result)
    (row,) = compute(store, "growth", series="trade", reporter="BY", partner="WLD", flow="export")["rows"]
    assert round(row["growth"] * 100, 1) == -28.1
    assert row["value_from"] == 1_000_000 and row["value_to"] == 719_000
    # Nor are breakdowns summed into the totals the trade indicators read.
    (rca,) = compute(store, "rca", reporter="BY", product="870110", **{"from": 2024})["rows"]
    assert rca["x_cp"] == 719_000


def test_reporters_that_are_groups_are_skipped_with_a_warning_and_unknown_codes_are_errors() -> None:
    result = parse_comtrade(
        today_file(today_line(2023, "97", "M", "0", "870110", 10), today_line(2023, "112", "M", "0", "870110", 5))
    )
    assert result.ok and result.rows == 1
    assert "97 (European Union)" in str(result.warnings[0]) and "line" in str(result.warnings[0])
    bad = parse_comtrade(today_file(today_line(2023, "112", "M", "123456", "870110", 5)))
    assert not bad.ok and "line 2 ('123456')" in str(bad.errors[0]) and bad.errors[0].column == "partnerCode"


def test_editions_other_than_hs_are_refused_with_the_line() -> None:
    result = parse_comtrade(today_file(today_line(2023, "112", "M", "0", "7810", 5, edition="S3")))
    assert not result.ok and "not an HS edition" in result.errors[0].message and "line 2" in result.errors[0].message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (TODAY + "\n" + today_line(2023, "112", "M", "0", "870110", 5) + ",surplus\n", "line 2: 48 cells"),
        (
            TODAY + "\n" + today_line(2023, "112", "M", "0", "870110", 5) + ",\n"
            + today_line(2023, "112", "M", "0", "870110", 6) + ",x\n",
            "a cell after the last column: lines [3]",
        ),
        (TODAY + "\nC,A,2023\n", "wrong number of cells: line 2: 3 cells"),
        ("", "empty file"),
        (TODAY + "\n", "no data rows"),
        (TODAY + "," + "refYear\n" + today_line(2023, "112", "M", "0", "870110", 5) + ",2023\n", "given twice"),
        (TODAY + "\n" + today_line(2023, "112", "M", "0", "=HYPERLINK(1)", 5) + "\n", "not an HS code"),
        (TODAY + "\n" + today_line(2023, "112", "M", "0", "870110", 5, mot="<script>") + "\n", "not a code"),
    ],
)
def test_malformed_and_hostile_files_are_refused_whole(body: str, expected: str) -> None:
    data = io.BytesIO(body.encode())
    result = parse_comtrade(data)
    assert not result.ok and result.table is None
    assert expected in " ".join(str(e) for e in result.errors)


def test_a_large_file_reads_column_wise() -> None:
    lines = [
        today_line(2000 + i % 25, "112", "XM"[i % 2], str(4 + i % 3 * 4), f"{870110 + i % 90}", i)
        for i in range(60_000)
    ]
    result = parse_comtrade(today_file(*lines))
    assert result.ok, result.errors
    assert result.rows == 60_000


def test_reference_table_maps_comtrade_codes_to_countries() -> None:
    table = areas()
    assert (table["842"].iso2, table["251"].iso2, table["699"].iso2, table["643"].iso2) == ("US", "FR", "IN", "RU")
    assert table["97"].reporter_group and table["0"].iso3 == "W00"
    assert len(table) > 300


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["C01", "C02", "C03"]), st.sampled_from(["0", "1000", "2100"]), st.integers(1, 10**9)
        ),
        max_size=6,
    )
)
def test_breakdowns_never_change_what_indicators_read(tmp_path_factory: pytest.TempPathFactory, extra: list) -> None:
    lines = [today_line(2023, "112", "X", "0", "870110", 1000), today_line(2023, "643", "X", "0", "870110", 3000)]
    lines += [today_line(2023, "112", "X", "0", "870110", v, customs=c, mot=m) for c, m, v in extra]
    result = parse_comtrade(today_file(*lines))
    assert result.ok
    store = store_of(tmp_path_factory.mktemp("s"), result)
    values = sorted(r["x_cp"] for r in compute(store, "rca", product="870110")["rows"])
    assert values == [1000, 3000]
