"""Importers: good files become observations with provenance; bad files write nothing and say where."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from coopnet.logic.stats import importers
from coopnet.logic.stats.schema import ObservationError, check_unit, parse_number, parse_period
from coopnet.logic.stats.store import StatsStore, StoreError

LONG_OK = (
    "indicator,reporter,partner,scheme,product,flow,period,value,scale,unit,currency,source,locator,note\n"
    "industrial_production,EAEU,,nace,C,production,2017,740.6,billion,money,USD,seed000.txt,L146,\n"
    'industrial_production,EAEU,,nace,C,production,2024,"1 072,6",billion,money,USD,seed000.txt,L146,\n'
    "joint_ventures,BY,RU,,,other,2022,1056,,count,,,,\n"
)


def test_long_format_reads_values_scales_and_provenance() -> None:
    result = importers.parse_long(io.StringIO(LONG_OK), retrieved=date(2025, 1, 1), source_name="seeds.csv")
    assert result.ok, result.errors
    rows = result.table.to_pylist()
    assert [r["value"] for r in rows] == [740.6e9, 1072.6e9, 1056.0]
    assert rows[0]["source"] == "seed000.txt" and rows[0]["locator"] == "L146"
    # No source given: the file and the line are the provenance.
    assert rows[2]["source"] == "seeds.csv" and rows[2]["locator"] == "line 4"
    assert rows[2]["retrieved"] == date(2025, 1, 1)
    assert rows[2]["product"] == "TOTAL"


def test_long_format_reports_every_bad_line_and_writes_nothing(tmp_path: Path) -> None:
    bad = (
        "indicator,reporter,period,value,unit,currency\n"
        "trade,BY,2023,10,money,USD\n"
        "trade,BY,2023,ten,money,USD\n"  # text in a value
        "trade,BY,2023,10,money,\n"  # money without a currency
        "trade,BY,2023,10,t,USD\n"  # tonnes with a currency
        "trade,Belarus,2023,10,money,USD\n"  # not a code
        "trade,BY,23,10,money,USD\n"  # not a period
    )
    result = importers.parse_long(io.StringIO(bad))
    assert not result.ok and result.table is None
    assert [(e.where, e.column) for e in result.errors] == [
        ("line 3", "value"),
        ("line 4", "currency"),
        ("line 5", "currency"),
        ("line 6", "reporter"),
        ("line 7", "period"),
    ]
    store = StatsStore(tmp_path)
    with pytest.raises(StoreError, match="5 error"):
        store.write_result("bad", result)
    assert store.batches() == [] and store.files() == []


def test_long_format_missing_columns() -> None:
    result = importers.parse_long(io.StringIO("indicator,reporter,value\ntrade,BY,1\n"))
    assert not result.ok
    assert "missing column(s): period, unit" in str(result.errors[0])


COMTRADE_HEADER = "typeCode,freqCode,refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,qty,qtyUnitAbbr\n"


def comtrade(*lines: str) -> io.BytesIO:
    data = io.BytesIO((COMTRADE_HEADER + "".join(line + "\n" for line in lines)).encode())
    data.name = "comtrade-2023.csv"
    return data


def test_comtrade_good_file() -> None:
    result = importers.parse_comtrade(
        comtrade(
            "C,A,2023,BLR,RUS,X,870110,1500000,120,u",
            "C,A,2023,BLR,W00,M,870110,250000,30,u",
            "C,A,2023,KAZ,CHN,M,840710,99.5,10,kg",
            "C,A,2023,KAZ,CHN,RX,840710,5,1,kg",
        )
    )
    assert result.ok, result.errors
    rows = result.table.to_pylist()
    trade = [r for r in rows if r["indicator"] == "trade"]
    assert [(r["reporter"], r["partner"], r["flow"], r["value"]) for r in trade] == [
        ("BY", "RU", "export", 1500000.0),
        ("BY", "WLD", "import", 250000.0),
        ("KZ", "CN", "import", 99.5),
    ]
    assert trade[0]["currency"] == "USD" and trade[0]["locator"] == "line 2"
    assert trade[0]["source"] == "comtrade-2023.csv"
    qty = [r for r in rows if r["indicator"] == "trade_quantity"]
    assert [(r["value"], r["unit"]) for r in qty] == [(120.0, "u"), (30.0, "u"), (10.0, "kg")]
    assert any("RX" in str(w) or "M and X" in str(w) for w in result.warnings)


def test_comtrade_missing_column_writes_nothing(tmp_path: Path) -> None:
    data = io.BytesIO(b"refYear,reporterISO,partnerISO,flowCode,cmdCode,qty\n2023,BLR,RUS,X,870110,1\n")
    result = importers.parse_comtrade(data)
    assert not result.ok
    assert result.errors[0].column == "primaryValue" and "missing column" in result.errors[0].message
    store = StatsStore(tmp_path)
    with pytest.raises(StoreError):
        store.write_result("bad", result)
    assert store.files() == []


def test_comtrade_text_in_value_names_the_line() -> None:
    result = importers.parse_comtrade(
        comtrade("C,A,2023,BLR,RUS,X,870110,1500000,1,u", "C,A,2023,BLR,RUS,X,870120,n.a.,1,u")
    )
    assert not result.ok and result.table is None
    assert result.errors[0].column == "primaryValue"
    assert "line 3 ('n.a.')" in result.errors[0].message


def test_comtrade_unit_mismatch_names_commodity_and_lines() -> None:
    result = importers.parse_comtrade(
        comtrade(
            "C,A,2023,BLR,RUS,X,870110,10,1,u",
            "C,A,2023,KAZ,RUS,X,870110,10,1500,kg",
            "C,A,2023,KAZ,RUS,X,840710,10,3,kg",
        )
    )
    assert not result.ok
    (error,) = result.errors
    assert error.column == "qtyUnitAbbr"
    assert "unit mismatch for commodity 870110" in error.message
    assert "kg at line 3" in error.message and "u at line 2" in error.message


def test_comtrade_unknown_country_and_unit() -> None:
    result = importers.parse_comtrade(comtrade("C,A,2023,XYZ,RUS,X,870110,10,1,parsecs"))
    columns = {e.column for e in result.errors}
    assert columns == {"reporterISO", "qtyUnitAbbr"}


def make_yearbook(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "Table 1"
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_yearbook_years_in_columns(tmp_path: Path) -> None:
    path = make_yearbook(
        tmp_path / "yearbook.xlsx",
        [
            ["Industrial production by activity"],
            ["Indicator:", "industrial_production"],
            ["Unit:", "money"],
            ["Currency:", "USD"],
            ["Scale:", "million"],
            ["Reporter", "Code", "Activity", 2017, 2018, "2024"],
            ["EAEU", "C", "Manufacturing", 740600, "…", "1 072 600"],
            ["EAEU", "B", "Mining", None, "-", 404500],
            ["Section of the table without numbers"],
        ],
    )
    result = importers.parse_yearbook(path, defaults={"scheme": "nace", "flow": "production"})
    assert result.ok, result.errors
    rows = result.table.to_pylist()
    assert [(r["product"], r["period"], r["value"]) for r in rows] == [
        ("C", "2017", 740.6e9),
        ("C", "2024", 1072.6e9),
        ("B", "2024", 404.5e9),
    ]
    assert rows[0]["locator"] == "Table 1!D7" and rows[0]["source"] == "yearbook.xlsx"


def test_yearbook_bad_cell_is_reported_by_reference(tmp_path: Path) -> None:
    path = make_yearbook(
        tmp_path / "bad.xlsx",
        [["Unit: percent"], ["Country", 2021, 2022], ["BY", 1.5, "about two"], ["KZ", "3,5", 4]],
    )
    result = importers.parse_yearbook(path, defaults={"indicator": "growth_rate"})
    assert not result.ok
    assert [str(e) for e in result.errors] == ["Table 1!C3 [2022]: 'about two' is not a number"]


def test_yearbook_without_years_or_not_xlsx(tmp_path: Path) -> None:
    path = make_yearbook(tmp_path / "none.xlsx", [["Country", "Value"], ["BY", 1]])
    assert "no header row with years" in str(importers.parse_yearbook(path).errors[0])
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    assert "not a readable XLSX" in str(importers.parse_yearbook(junk).errors[0])


def test_parse_dispatch_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        importers.parse("json", io.BytesIO(b""))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024", ("2024", 2024, "year")),
        ("2024Q3", ("2024Q3", 2024, "quarter")),
        ("2024-q1", ("2024Q1", 2024, "quarter")),
        ("2024-03", ("2024-03", 2024, "month")),
        ("2024M11", ("2024-11", 2024, "month")),
        ("2024.0", ("2024", 2024, "year")),
    ],
)
def test_periods(raw: str, expected: tuple[str, int, str]) -> None:
    assert parse_period(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("1 072,6", 1072.6), ("1,072.6", 1072.6), ("…", None), (5, 5.0)])
def test_numbers(raw: object, expected: float | None) -> None:
    assert parse_number(raw) == expected


def test_units_and_currencies() -> None:
    assert check_unit("Money", "usd") == ("money", "USD")
    with pytest.raises(ObservationError, match="not one of"):
        check_unit("money", "XXX")
    with pytest.raises(ObservationError, match="takes no currency"):
        check_unit("percent", "USD")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["BY", "RU", "KZ", "RU-PSK", "EAEU"]),
            st.integers(min_value=1990, max_value=2030),
            st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
            st.sampled_from([("money", "USD"), ("count", ""), ("percent", ""), ("t", "")]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_long_format_round_trip(rows: list[tuple[str, int, float, tuple[str, str]]]) -> None:
    lines = ["indicator,reporter,period,value,unit,currency"]
    lines += [f"x,{r},{y},{v!r},{u},{c}" for r, y, v, (u, c) in rows]
    result = importers.parse_long(io.StringIO("\n".join(lines) + "\n"))
    assert result.ok, result.errors
    back = result.table.to_pylist()
    assert [(b["reporter"], b["year"], b["value"], b["unit"], b["currency"]) for b in back] == [
        (r, y, v, u, c) for r, y, v, (u, c) in rows
    ]


# ------------------------------------------------------------------------------ encodings and binary files

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _named(data: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream


@pytest.mark.parametrize("fmt", importers.FORMATS)
@pytest.mark.parametrize(
    "data",
    [PNG, b"PK\x03\x04garbage", b"col\x00umn,\x00\x01\x02\n", bytes(range(256)) * 4],
    ids=["png", "zip", "nul", "all-bytes"],
)
def test_binary_files_are_refused_by_every_importer(fmt: str, data: bytes) -> None:
    result = importers.parse(fmt, _named(data, "picture.png"))
    assert not result.ok and result.table is None
    assert result.error_count >= 1
    assert result.errors[0].where in {"file", "Sheet1"}


def test_comtrade_in_utf8_with_bom_and_in_cp1251() -> None:
    line = "C,A,2023,BLR,RUS,X,870110,1500000,120,u\n"
    bom = importers.parse_comtrade(_named(b"\xef\xbb\xbf" + (COMTRADE_HEADER + line).encode(), "a.csv"))
    assert bom.ok, bom.errors
    assert not bom.warnings
    # A Windows-1251 file (a Russian note column) is read with a warning.
    text = COMTRADE_HEADER.rstrip("\n") + ",note\n" + line.rstrip("\n") + ",Экспорт\n"
    cyr = importers.parse_comtrade(_named(text.encode("cp1251"), "b.csv"))
    assert cyr.ok, cyr.errors
    assert any("Windows-1251" in str(w) for w in cyr.warnings)


def test_long_in_cp1251_is_read_with_a_warning() -> None:
    text = "indicator,reporter,period,value,unit,note\njoint_ventures,BY,2022,1056,count,Совместные\n"
    result = importers.parse_long(_named(text.encode("cp1251"), "jv.csv"))
    assert result.ok, result.errors
    assert result.table.to_pylist()[0]["note"] == "Совместные"
    assert any("cp1251" in str(w) for w in result.warnings)


def test_comtrade_year_and_month_out_of_range_are_line_errors() -> None:
    result = importers.parse_comtrade(comtrade("C,A,99999,BLR,RUS,X,870110,1,1,u", "C,A,1e300,BLR,RUS,X,870110,1,1,u"))
    assert not result.ok
    assert any(e.column == "refYear" and "line 2" in e.message for e in result.errors)
