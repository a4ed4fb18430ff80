"""SDMX-CSV and SDMX-ML through sdmx1: a round trip gives the same observations; bad files give nothing."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopnet.logic.stats import importers, sdmx
from coopnet.logic.stats.comtrade import parse_comtrade
from coopnet.logic.stats.schema import COLUMNS, Observation, to_table
from coopnet.logic.stats.store import StatsStore

DATA = Path(__file__).with_name("data") / "comtrade"


def named(data: bytes, name: str) -> io.BytesIO:
    out = io.BytesIO(data)
    out.name = name
    return out


def observations() -> list[Observation]:
    return [
        Observation(
            "trade", "BY", "2024", 1500.5, "money", partner="RU", scheme="hs", product="870110", flow="export",
            currency="USD", source="f.csv", locator="line 2", retrieved=date(2025, 1, 2), note='a, "q" <b>=1+1</b>',
            edition="H6", customs="C01", year=2024,
        ),
        Observation(
            "industrial_production", "EAEU", "2024Q1", 1072.6e9, "money", scheme="nace", product="C",
            flow="production", currency="USD", year=2024, period_kind="quarter", is_synthetic=True, source="s",
        ),
        Observation(
            "joint_ventures", "BY", "2022-03", 1056, "count", partner="RU", year=2022, period_kind="month",
            source="003_74704f3fcb175691.txt", locator="L415", note="Беларусь — совместные предприятия",
        ),
        Observation("trade", "RU", "2018", 27621475.0, "money", partner="WLD", scheme="hs", product="TOTAL",
                    flow="export", currency="USD", partner2="XX-899", transport="9900", year=2018, source="c.csv"),
    ]  # fmt: skip


def stored(table: object) -> list[dict[str, object]]:
    rows = table.to_pylist()  # type: ignore[attr-defined]
    return sorted(rows, key=lambda r: tuple(str(r[c]) for c in COLUMNS))


@pytest.mark.parametrize("fmt", sdmx.FORMATS)
def test_round_trip_through_an_empty_store_gives_the_same_observations(tmp_path: Path, fmt: str) -> None:
    source = StatsStore(tmp_path / "a")
    source.write("seed", to_table(observations()))
    comtrade = parse_comtrade(DATA / "cement_252310_classic.csv")
    source.write("cement", comtrade.table)
    before = source.run_arrow("export")
    body = sdmx.export(fmt, before)
    result = importers.parse(fmt, named(body, f"out.{fmt}"))
    assert result.ok, result.errors
    target = StatsStore(tmp_path / "b")
    target.write("sdmx", result.table)
    assert stored(target.run_arrow("export")) == stored(before)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["BY", "RU", "KZ", "RU-PSK", "EAEU"]),
            st.integers(1990, 2030),
            st.floats(allow_nan=False, allow_infinity=False, width=64),
            st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda t: (t[0], t[1]),
    ),
    st.sampled_from(sdmx.FORMATS),
)
def test_any_observations_survive_the_round_trip(rows: list, fmt: str) -> None:
    obs = [
        Observation("growth_rate", r, str(y), v, "percent", year=y, note=note.strip(), source="x")
        for r, y, v, note in rows
    ]
    table = to_table(obs)
    result = importers.parse(fmt, named(sdmx.export(fmt, table), "x"))
    assert result.ok, result.errors
    assert stored(result.table) == stored(table)


def test_structure_message_names_every_dimension_and_attribute() -> None:
    text = sdmx.structure_message().decode()
    for component in (*sdmx.DIMENSIONS, *sdmx.ATTRIBUTES):
        assert f'id="{component.id}"' in text
    assert "DSD_OBSERVATIONS" in text and "DF_OBSERVATIONS" in text


def test_sdmx_csv_errors_name_the_line_and_nothing_is_returned() -> None:
    table = to_table(observations()[:1])
    good = sdmx.export("sdmx-csv", table).decode()
    header, line = good.splitlines()
    bad = "\n".join([header, line.replace("BY,RU", "Belarus,RU"), line.replace("1500.5", "n.a.")]) + "\n"
    result = sdmx.parse_sdmx_csv(named(bad.encode(), "bad.csv"))
    assert not result.ok and result.table is None
    assert [str(e) for e in result.errors] == [
        "line 2 [reporter]: 'Belarus' is not a country (BY), a region (RU-PSK) or XT, EAEU, WLD",
        "line 3 [value]: 'n.a.' is not a number",
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"DATAFLOW,INDICATOR\nx,y\n", "not SDMX-CSV 2.0"),
        (b"STRUCTURE,STRUCTURE_ID,REF_AREA,OBS_VALUE\n", "missing column(s): INDICATOR, TIME_PERIOD, UNIT_MEASURE"),
        (b"STRUCTURE,STRUCTURE_ID,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,EVIL\n", "EVIL"),
        (
            b"STRUCTURE,STRUCTURE_ID,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n"
            b"dataflow,COOPNET:DF_OBSERVATIONS(1.0),x,BY\n",
            "wrong number of cells on line(s) 2",
        ),
        (b"\x89PNG\r\n\x1a\n", "binary file"),
    ],
)
def test_malformed_sdmx_csv_is_refused_whole(body: bytes, expected: str) -> None:
    result = sdmx.parse_sdmx_csv(named(body, "x.csv"))
    assert not result.ok and expected in " ".join(str(e) for e in result.errors)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<mes:GenericData xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">&xxe;</mes:GenericData>"""
BOMB = (
    b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><a>&lol2;</a>"""
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (XXE, "DTD or entities"),
        (BOMB, "DTD or entities"),
        (b"<mes:GenericData", "not readable SDMX-ML"),
        (b"hello", "not XML"),
        (b'<?xml version="1.0"?><root/>', "not readable SDMX-ML"),
    ],
)
def test_hostile_and_malformed_sdmx_ml_is_refused(body: bytes, expected: str) -> None:
    result = sdmx.parse_sdmx_ml(named(body, "x.xml"))
    assert not result.ok and result.table is None
    assert expected in " ".join(str(e) for e in result.errors)


def test_sdmx_ml_with_a_bad_observation_names_it() -> None:
    body = sdmx.export("sdmx-ml", to_table(observations()[:2])).replace(b'OBS_VALUE="1500.5"', b'OBS_VALUE="lots"')
    result = sdmx.parse_sdmx_ml(named(body, "x.xml"))
    assert not result.ok and str(result.errors[0]) == "observation 1 [value]: 'lots' is not a number"


def test_oversized_sdmx_files_are_refused_with_their_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sdmx, "MAX_BYTES", 100)
    body = sdmx.export("sdmx-ml", to_table(observations()))
    for fmt in sdmx.FORMATS:
        result = importers.parse(fmt, named(body, "x"))
        assert not result.ok and "read up to 100 bytes" in str(result.errors[0])


def test_unit_multiplier_scales_values_into_base_units() -> None:
    body = sdmx.export("sdmx-csv", to_table(observations()[:1])).decode()
    header, line = body.splitlines()
    cells = line.split(",")
    cells[header.split(",").index("UNIT_MULT")] = "6"
    cells[header.split(",").index("OBS_VALUE")] = "1.5"
    result = sdmx.parse_sdmx_csv(named((header + "\n" + ",".join(cells) + "\n").encode(), "m.csv"))
    assert result.ok and result.table.to_pylist()[0]["value"] == 1.5e6
