"""The statistics upload page: analysts, the Commission and administrators upload long, Comtrade and yearbook
files; a bad file writes nothing to the store and the page lists its errors as the command line does."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from openpyxl import Workbook

from coopnet.accounts.models import Profile
from coopnet.stats import services
from coopnet.stats.choices import DatasetStatus
from coopnet.stats.models import Dataset

pytestmark = pytest.mark.django_db

URL = "/stats/import/"
LONG_GOOD = (
    b"indicator,reporter,period,value,unit\njoint_ventures,BY,2024,1056,count\njoint_ventures,BY,2023,1100,count\n"
)
LONG_BAD = b"indicator,reporter,period,value,unit\njoint_ventures,BY,2024,lots,count\njoint_ventures,BY,soon,3,count\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
COMTRADE = (
    "typeCode,freqCode,refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,qty,qtyUnitAbbr\n"
    "C,A,2023,BLR,RUS,X,870110,1500000,120,u\n"
    "C,A,2023,KAZ,CHN,M,840710,99.5,10,kg\n"
)


def login(client: Client, role: str) -> Any:
    account = get_user_model().objects.create_user(username=f"u-{role}", password="pw")
    Profile.objects.create(user=account, role=role)
    client.force_login(account)
    return account


def upload(client: Client, name: str, data: bytes, fmt: str, **extra: str) -> Any:
    return client.post(URL, {"file": SimpleUploadedFile(name, data), "format": fmt, **extra})


def yearbook() -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "T1"
    ws.append(["Indicator:", "industrial_production"])
    ws.append(["Unit:", "money"])
    ws.append(["Currency:", "USD"])
    ws.append(["Country", 2022, 2023])
    ws.append(["BY", 10.5, 11.0])
    ws.append(["KZ", 20, "…"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("role", ["analyst", "commission", "admin"])
def test_the_page_is_for_analysts_the_commission_and_administrators(client: Client, role: str) -> None:
    login(client, role)
    page = client.get(URL)
    assert page.status_code == 200
    assert b'data-testid="stats-import-form"' in page.content
    assert b'name="format"' in page.content and b"yearbook" in page.content


@pytest.mark.parametrize("role", ["enterprise", "bank", "ministry", "contact_point"])
def test_other_roles_are_refused(client: Client, role: str) -> None:
    login(client, role)
    assert client.get(URL).status_code == 403
    assert upload(client, "a.csv", LONG_GOOD, "long").status_code == 403
    assert services.get_store().batches() == []


def test_anonymous_users_are_sent_to_log_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_good_long_file_is_written_and_reported(client: Client, reference_data: None) -> None:
    account = login(client, "analyst")
    response = upload(client, "jv.csv", LONG_GOOD, "long", batch="jv-by", retrieved="2025-03-01")
    assert response.status_code == 200
    text = response.content.decode()
    assert "jv.csv: 2 observations written as batch jv-by" in text
    batch = services.get_store().batch("jv-by")
    assert batch is not None and batch.rows == 2
    rows = services.series("joint_ventures", reporter="BY")
    assert {r["value"] for r in rows} == {1056.0, 1100.0}
    dataset = Dataset.objects.get(batch="jv-by")
    assert dataset.status == DatasetStatus.WRITTEN and dataset.imported_by == account


def test_a_bad_file_writes_nothing_and_lists_the_errors_like_the_command_line(
    client: Client, reference_data: None, tmp_path: Any
) -> None:
    login(client, "commission")
    response = upload(client, "bad.csv", LONG_BAD, "long")
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert "bad.csv: 2 error(s); nothing written" in text
    assert "line 2 [value]" in text and "line 3 [period]" in text
    assert services.get_store().batches() == []
    assert Dataset.objects.get().status == DatasetStatus.REJECTED
    # The same lines as `coopnet stats import`.
    path = tmp_path / "bad.csv"
    path.write_bytes(LONG_BAD)
    with pytest.raises(CommandError) as raised:
        call_command("stats", "import", str(path), "--format", "long")
    for line in str(raised.value).splitlines():
        assert line.strip() in text


@pytest.mark.parametrize("fmt", ["long", "comtrade", "yearbook"])
def test_a_binary_file_is_refused_in_every_format(client: Client, reference_data: None, fmt: str) -> None:
    login(client, "admin")
    response = upload(client, "photo.png", PNG, fmt)
    assert response.status_code == 400
    assert "photo.png: 1 error(s); nothing written" in response.content.decode()
    assert services.get_store().batches() == []


def test_comtrade_and_yearbook_files(client: Client, reference_data: None) -> None:
    login(client, "analyst")
    cp1251 = COMTRADE.replace("typeCode", "typeCode").encode("cp1251")
    response = upload(client, "comtrade-2023.csv", cp1251, "comtrade")
    assert response.status_code == 200, response.content
    assert "observations written as batch comtrade-comtrade-2023" in response.content.decode()
    response = upload(client, "book.xlsx", yearbook(), "yearbook", source="Statistical yearbook 2024")
    assert response.status_code == 200, response.content
    assert "book.xlsx: 3 observations written" in response.content.decode()
    rows = services.series("industrial_production", reporter="BY")
    assert [(r["period"], r["value"], r["locator"]) for r in rows] == [("2022", 10.5, "T1!B5"), ("2023", 11.0, "T1!C5")]
    assert {b.id for b in services.get_store().batches()} == {"comtrade-comtrade-2023", "yearbook-book"}


def test_a_windows_1251_file_is_read_with_a_warning(client: Client, reference_data: None) -> None:
    login(client, "analyst")
    data = "indicator,reporter,period,value,unit,note\njoint_ventures,BY,2024,1056,count,Совместные\n"
    response = upload(client, "jv.csv", data.encode("cp1251"), "long")
    assert response.status_code == 200
    assert "Windows-1251" in response.content.decode()


def test_form_errors_are_400_and_write_nothing(client: Client, reference_data: None) -> None:
    login(client, "analyst")
    assert upload(client, "a.csv", LONG_GOOD, "generator").status_code == 400
    assert upload(client, "a.csv", LONG_GOOD, "long", batch="../etc").status_code == 400
    assert client.post(URL, {"format": "long"}).status_code == 400
    assert services.get_store().batches() == [] and not Dataset.objects.exists()


def test_the_dashboard_links_the_page_for_those_who_may_import(client: Client, demo_stats: None) -> None:
    assert b"dashboard-import-link" not in client.get("/stats/").content
    login(client, "analyst")
    page = client.get("/stats/").content.decode()
    assert 'data-testid="dashboard-import-link"' in page and 'href="/stats/import/"' in page


def test_api_refuses_a_png_with_400(client: Client, reference_data: None) -> None:
    login(client, "admin")
    for fmt in ("long", "comtrade", "yearbook"):
        response = client.post("/api/stats/import/", {"file": SimpleUploadedFile("p.png", PNG), "format": fmt})
        assert response.status_code == 400, response.content
        assert response.json()["error_count"] == 1
    assert services.get_store().batches() == []


def test_sdmx_files_round_trip_through_the_page_and_the_api(client: Client, reference_data: None) -> None:
    login(client, "analyst")
    assert upload(client, "book.xlsx", yearbook(), "yearbook").status_code == 200
    exported = client.get("/api/stats/export/", {"format": "sdmx-csv", "indicator": "industrial_production"})
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.sdmx.data+csv")
    body = exported.content
    assert body.startswith(b"STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR")
    before = services.series("industrial_production")
    services.get_store().delete("yearbook-book")
    response = upload(client, "from-sdmx.csv", body, "sdmx-csv")
    assert response.status_code == 200, response.content
    after = services.series("industrial_production")
    assert [(r["reporter"], r["period"], r["value"], r["locator"]) for r in after] == [
        (r["reporter"], r["period"], r["value"], r["locator"]) for r in before
    ]
    ml = client.get("/api/stats/export/", {"format": "sdmx-ml"})
    assert ml.status_code == 200 and b"StructureSpecificData" in ml.content
    structure = client.get("/api/stats/export/", {"format": "sdmx-structure"})
    assert b"DSD_OBSERVATIONS" in structure.content
    assert client.get("/api/stats/export/", {"format": "json"}).status_code == 400
    assert client.get("/api/stats/export/", {"format": "sdmx-csv", "indicator": "DROP TABLE"}).status_code == 400


def test_a_hostile_sdmx_ml_upload_is_refused(client: Client, reference_data: None) -> None:
    login(client, "analyst")
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'
    response = upload(client, "evil.xml", bomb, "sdmx-ml")
    assert response.status_code == 400 and "DTD or entities" in response.content.decode()
    assert services.get_store().batches() == []


def test_a_real_classic_comtrade_file_uploads(client: Client, reference_data: None) -> None:
    login(client, "analyst")
    data = (Path(__file__).parents[2] / "logic/tests/data/comtrade/cement_252310_classic.csv").read_bytes()
    response = upload(client, "comtrade.csv", data, "comtrade")
    assert response.status_code == 200, response.content
    text = response.content.decode()
    assert "40 observations written" in text and "DX" in text
