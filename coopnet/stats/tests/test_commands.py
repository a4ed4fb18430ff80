"""`coopnet stats ...` and `coopnet opportunities`: JSON out, clear errors, non-zero exit, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coopnet.stats import services
from coopnet.stats.models import Dataset

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_long_then_indicator(tmp_path: Path, reference_data: None) -> None:
    path = tmp_path / "jv.csv"
    path.write_text(
        "indicator,reporter,partner,period,value,unit\njoint_ventures,BY,RU,2014,1704,count\n"
        "joint_ventures,BY,RU,2022,1056,count\n"
    )
    assert "2 observations written" in run("stats", "import", str(path), "--format", "long")
    out = json.loads(
        run("stats", "indicator", "growth", "--series", "joint_ventures", "--reporter", "BY", "--format", "json")
    )
    (row,) = out["rows"]
    assert row["value_from"] == 1704 and row["value_to"] == 1056
    assert row["growth"] == pytest.approx(1056 / 1704 - 1)
    assert out["formula"].startswith("growth =")
    assert Dataset.objects.get().status == "written"


def test_bad_comtrade_file_writes_nothing_and_says_where(tmp_path: Path, reference_data: None) -> None:
    path = tmp_path / "comtrade.csv"
    path.write_text(
        "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,qty,qtyUnitAbbr\n"
        "2023,BLR,RUS,X,870110,100,1,u\n2023,BLR,RUS,X,870110,lots,1,u\n"
        "2023,KAZ,CHN,M,870110,5,10,kg\n"
    )
    with pytest.raises(CommandError) as err:
        run("stats", "import", str(path), "--format", "comtrade")
    message = str(err.value)
    assert "nothing written" in message and "line 3 ('lots')" in message and "unit mismatch" in message
    assert services.get_store().batches() == []
    assert Dataset.objects.get().status == "rejected"


def test_good_comtrade_and_yearbook(tmp_path: Path, reference_data: None) -> None:
    from openpyxl import Workbook

    path = tmp_path / "comtrade.csv"
    path.write_text(
        "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n2023,BLR,CHN,M,870110,100\n"
        "2023,BLR,RUS,M,870110,50\n"
    )
    run("stats", "import", str(path), "--format", "comtrade")
    out = json.loads(run("stats", "indicator", "third_country_share", "--reporter", "BY", "--format", "json"))
    assert out["rows"][0]["value"] == pytest.approx(100 / 150)
    book = Workbook()
    book.active.append(["Country", 2021, 2022])
    book.active.append(["BY", "1,5", 2])
    xlsx = tmp_path / "book.xlsx"
    book.save(xlsx)
    text = run("stats", "import", str(xlsx), "--format", "yearbook", "--indicator", "growth_rate", "--unit", "percent")
    assert "2 observations" in text
    assert [r["value"] for r in services.series("growth_rate")] == [1.5, 2.0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stats", "indicator", "nonsense"), "unknown indicator"),
        (("stats", "indicator", "rca", "--reporter", "Belarus"), "not a country code"),
        (("stats", "indicator", "rca", "--from", "soon"), "not a year"),
        (("stats", "import", "/nonexistent.csv", "--format", "long"), "no such file"),
        (("opportunities", "--product", "87x"), "not an HS code"),
        (("opportunities", "--reporter", "CN"), "not a member state"),
        (("opportunities", "--limit", "0"), "between 1 and 1000"),
        (("stats", "delete", "nothing"), "no batch"),
    ],
)
def test_bad_arguments(args: tuple[str, ...], message: str, reference_data: None) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_opportunities_json(demo_stats: None) -> None:
    out = json.loads(run("opportunities", "--limit", "3", "--format", "json"))
    assert len(out["rows"]) == 3 and out["rows"][0]["rank"] == 1
    first = out["rows"][0]
    assert first["links"]["partner_search"].endswith(f"?hs={first['product']}")
    assert first["links"]["consortium"].endswith(f"?hs={first['product']}")
    by = json.loads(run("opportunities", "--reporter", "BY", "--product", first["product"][:2], "--format", "json"))
    assert all(r["product"].startswith(first["product"][:2]) for r in by["rows"])
    assert "rank\tproduct" in run("opportunities", "--limit", "2")


def test_command_line_exit_code_without_traceback() -> None:
    manage = Path(__file__).resolve().parents[3] / "manage.py"
    proc = subprocess.run(
        [sys.executable, str(manage), "stats", "indicator", "nonsense", "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "unknown indicator" in proc.stderr and "Traceback" not in proc.stderr


def test_generate_batches_catalog_series_conflicts_delete(reference_data: None) -> None:
    assert "synthetic trade rows written as batch syn" in run("stats", "generate", "--rows", "5000", "--batch", "syn")
    assert run("stats", "batches").startswith("syn\t")
    catalog = json.loads(run("stats", "catalog", "--format", "json"))
    assert catalog[0]["indicator"] == "trade" and catalog[0]["synthetic"] is True
    rows = json.loads(
        run("stats", "series", "trade", "--reporter", "AM", "--partner", "RU", "--limit", "3", "--format", "json")
    )
    assert len(rows) == 3 and all(r["is_synthetic"] for r in rows)
    assert run("stats", "conflicts") == "(no rows)\n"
    assert "removed" in run("stats", "delete", "syn")
    with pytest.raises(CommandError, match="between 1 and"):
        run("stats", "generate", "--rows", "0")


def test_export_then_import_sdmx_from_the_command_line(tmp_path: Path, reference_data: None) -> None:
    path = tmp_path / "jv.csv"
    path.write_text(
        'indicator,reporter,partner,period,value,unit,note\njoint_ventures,BY,RU,2014,1704,count,"с 2014, 1)"\n'
        "joint_ventures,BY,RU,2022,1056,count,\n"
    )
    run("stats", "import", str(path), "--format", "long")
    before = services.series("joint_ventures")
    for fmt in ("sdmx-csv", "sdmx-ml"):
        out = tmp_path / f"jv.{fmt}"
        assert "2 observations written" in run(
            "stats", "export", str(out), "--format", fmt, "--indicator", "joint_ventures"
        )
        run("stats", "delete", "long-jv")
        assert "2 observations written" in run("stats", "import", str(out), "--format", fmt, "--batch", "long-jv")
        assert services.series("joint_ventures") == before
    assert "DSD_OBSERVATIONS" in run("stats", "export", "-", "--format", "sdmx-structure")
    with pytest.raises(CommandError, match="no such directory"):
        run("stats", "export", str(tmp_path / "nowhere" / "x.csv"), "--format", "sdmx-csv")
