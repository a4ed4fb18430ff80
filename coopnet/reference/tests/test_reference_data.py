"""Consistency checks of the hand-compiled reference data in coopnet/reference/data/*.csv.

Plain file checks: no database, no Django import.
"""
import csv
import re
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
MEMBERS = {"AM", "BY", "KZ", "KG", "RU"}
STATUSES = {"member", "observer", "partner", "other"}
# Rough bounding boxes (lat_min, lat_max, lon_min, lon_max) of the member states.
BBOX = {
    "AM": (38.8, 41.4, 43.4, 46.7),
    "BY": (51.2, 56.2, 23.1, 32.8),
    "KZ": (40.5, 55.5, 46.4, 87.4),
    "KG": (39.1, 43.3, 69.2, 80.3),
    "RU": (41.1, 82.0, 19.6, 180.0),
}
REGION_COUNTS = {"BY": 7, "KG": 9, "AM": 11, "KZ": 20}
DEMO_HS6 = (
    "870421 870422 870423 870190 870192 870193 870194 870195 843351 843359 842911 842951 "
    "840820 847150 860711 860719 860721 860730 860799 842810 870210 870290 870600 870850 "
    "721410 721420 721391 731210 843390 871620 843340 842952 870410"
).split()
HS_FULL_CHAPTERS = (
    "25 26 27 28 29 30 38 39 40 44 48 68 69 70 72 73 76 82 84 85 86 87 88 89 90 93 94".split()
)
# Number of 4-digit headings of HS 2022 in the chapters shipped completely.
HS_HEADINGS_PER_CHAPTER = {
    "25": 29, "26": 21, "27": 16, "28": 50, "29": 42, "30": 6, "38": 27, "39": 26, "40": 17,
    "44": 21, "48": 22, "68": 15, "69": 13, "70": 19, "72": 29, "73": 26, "76": 16, "82": 15,
    "84": 86, "85": 48, "86": 9, "87": 16, "88": 6, "89": 8, "90": 32, "93": 7, "94": 6,
}
# Anything outside Latin (incl. Latin-1 letters), Cyrillic, digits and ordinary punctuation.
ODD_CHARS = re.compile(r"[^A-Za-z\u00c0-\u00ffА-Яа-яЁё0-9 .,;:()'’\"«»%°/+\-–—&]")


def load(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def countries():
    return load("countries.csv")


@pytest.fixture(scope="module")
def regions():
    return load("regions.csv")


@pytest.fixture(scope="module")
def hs():
    return load("hs.csv")


@pytest.fixture(scope="module")
def nace():
    return load("nace.csv")


def assert_unique(rows):
    dup = [c for c, n in Counter(r["code"] for r in rows).items() if n > 1]
    assert not dup, f"duplicate codes: {dup}"


def assert_names(rows):
    for r in rows:
        assert r["name_en"].strip() and r["name_ru"].strip(), r
        assert re.search("[А-Яа-яЁё]", r["name_ru"]), r
        for col in ("name_en", "name_ru"):
            assert not ODD_CHARS.search(r[col]), (r["code"], col, ODD_CHARS.findall(r[col]))


def test_headers():
    expected = {
        "countries.csv": "code,iso3,name_en,name_ru,status,lat,lon",
        "regions.csv": "code,country,name_en,name_ru,kind,lat,lon",
        "hs.csv": "code,parent,level,name_en,name_ru",
        "nace.csv": "code,parent,level,name_en,name_ru",
    }
    for name, header in expected.items():
        with open(DATA / name, encoding="utf-8") as f:
            assert f.readline().strip() == header


def test_countries(countries):
    assert_unique(countries)
    assert_names(countries)
    assert len(countries) >= 40
    assert len({c["iso3"] for c in countries}) == len(countries)
    status = {c["code"]: c["status"] for c in countries}
    for c in countries:
        assert re.fullmatch("[A-Z]{2}", c["code"]) and re.fullmatch("[A-Z]{3}", c["iso3"])
        assert c["status"] in STATUSES
        lat, lon = float(c["lat"]), float(c["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180
        if c["code"] in BBOX:
            la0, la1, lo0, lo1 = BBOX[c["code"]]
            assert la0 <= lat <= la1 and lo0 <= lon <= lo1, c
    assert {k for k, v in status.items() if v == "member"} == MEMBERS
    for code in ("MD", "UZ", "CU"):
        assert status[code] == "observer"
    for code in ("VN", "RS", "IR", "SG", "CN"):
        assert status[code] == "partner"


def test_regions(regions, countries):
    assert_unique(regions)
    assert_names(regions)
    status = {c["code"]: c["status"] for c in countries}
    for r in regions:
        assert status.get(r["country"]) == "member", r
        assert r["code"].startswith(r["country"] + "-"), r
        assert r["kind"], r
        lat, lon = float(r["lat"]), float(r["lon"])
        la0, la1, lo0, lo1 = BBOX[r["country"]]
        assert la0 <= lat <= la1 and lo0 <= lon <= lo1, r
    counts = Counter(r["country"] for r in regions)
    for country, n in REGION_COUNTS.items():
        assert counts[country] == n, (country, counts[country])
    assert counts["RU"] >= 83
    codes = {r["code"] for r in regions}
    assert {"BY-HM", "KG-GB", "KG-GO", "AM-ER", "KZ-10", "KZ-33", "KZ-62",
            "KZ-71", "KZ-75", "KZ-79", "RU-MOW", "RU-SPE", "RU-TA"} <= codes


def test_hs(hs):
    assert_unique(hs)
    assert_names(hs)
    by_code = {r["code"]: r for r in hs}
    chapters = sorted(r["code"] for r in hs if r["level"] == "2")
    assert chapters == [f"{i:02d}" for i in range(1, 98)]
    assert "reserved" in by_code["77"]["name_en"].lower()
    for r in hs:
        level = int(r["level"])
        assert level in (2, 4, 6) and len(r["code"]) == level and r["code"].isdigit(), r
        if level == 2:
            assert r["parent"] == ""
        else:
            assert r["parent"] == r["code"][: level - 2], r
            assert r["parent"] in by_code, r
    headings = Counter(r["parent"] for r in hs if r["level"] == "4")
    for chapter in HS_FULL_CHAPTERS:
        assert headings[chapter] == HS_HEADINGS_PER_CHAPTER[chapter], chapter
    for code in DEMO_HS6:
        assert by_code[code]["level"] == "6", code


def test_nace(nace):
    assert_unique(nace)
    assert_names(nace)
    by_code = {r["code"]: r for r in nace}
    sections = [r["code"] for r in nace if r["level"] == "1"]
    assert sections == list("ABCDEFGHIJKLMNOPQRSTU")
    divisions = [r for r in nace if r["level"] == "2"]
    assert len(divisions) == 88
    for r in nace:
        level = int(r["level"])
        if level == 1:
            assert r["parent"] == ""
            continue
        parent = by_code[r["parent"]]
        assert int(parent["level"]) == level - 1, r
        if level == 2:
            assert re.fullmatch(r"\d\d", r["code"]), r
        else:
            assert re.fullmatch(r"\d\d\.\d", r["code"]) and r["code"][:2] == r["parent"], r
    groups = Counter(r["parent"] for r in nace if r["level"] == "3")
    for division in ("24", "25", "26", "27", "28", "29", "30", "33"):
        assert groups[division] >= 2, division
