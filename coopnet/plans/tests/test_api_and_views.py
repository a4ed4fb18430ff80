"""The API (documents, measures, reports, check) and the pages (register, document, measure, compare,
dashboard, exports)."""
from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.urls import reverse

from coopnet.plans.models import StatusReport

pytestmark = pytest.mark.django_db

PLAN = {
    "title": "Plan", "period": {"start": "2024-01-01", "end": "2026-12-31"}, "as_of": "2025-06-30",
    "sides": ["RU", "BY"], "reporting_period_months": 6,
    "measures": [{"id": "4.1", "text": "Practical implementation of agreements on the recognition of technological "
                  "operations", "deadline": None, "status": "in_progress"}],
    "previous": {"title": "Old", "measures": [{"id": "7", "text": "mutual recognition of technological operations"}]},
}


def test_check_endpoint_mirrors_the_command(client: Any) -> None:
    r = client.post("/api/plans/check/", data=json.dumps(PLAN), content_type="application/json")
    assert r.status_code == 200
    body = r.json()
    assert body["summary"]["flags_by_code"]["no_deadline"] == 1
    assert any(f["code"] == "carried_over" and f["previous_measure"] == "7" for f in body["flags"])


@pytest.mark.parametrize(("patch", "field", "message"), [
    ({"measures": [{"id": "1", "text": "x", "deadline": "31.12.2025"}]}, "measures[0].deadline",
     "not a date (YYYY-MM-DD)"),
    ({"as_of": None}, "as_of", "required"),
    ({"sides": "RU"}, "sides", "not a list"),
])
def test_check_endpoint_400_names_the_field(client: Any, patch: dict[str, Any], field: str, message: str) -> None:
    r = client.post("/api/plans/check/", data=json.dumps({**PLAN, **patch}), content_type="application/json")
    assert r.status_code == 400
    assert r.json()[field] == message


def test_check_endpoint_rejects_non_objects_and_bad_json(client: Any) -> None:
    r = client.post("/api/plans/check/", data="[1, 2]", content_type="application/json")
    assert r.status_code == 400 and "non_field_errors" in r.json()
    assert client.post("/api/plans/check/", data="{", content_type="application/json").status_code == 400


def test_document_and_measure_api_with_filters(client: Any, plans: dict[str, Any]) -> None:
    r = client.get("/api/plans/documents/", {"kind": "action_plan", "party": "BY"})
    assert [d["title"] for d in r.json()["results"]] == ["Action plan 2024–2026"]
    r = client.get("/api/plans/measures/", {"document": plans["new"].pk, "has_deadline": "true"})
    assert [m["number"] for m in r.json()["results"]] == ["4.2"]
    flags = client.get(f"/api/plans/documents/{plans['new'].pk}/flags/", {"as_of": "2025-06-30"}).json()
    assert flags["summary"]["measures"] == 2
    assert client.get(f"/api/plans/documents/{plans['new'].pk}/flags/", {"as_of": "soon"}).status_code == 400
    comparison = client.get(f"/api/plans/documents/{plans['new'].pk}/comparison/").json()
    assert comparison["summary"]["reworded"] == 1
    assert client.get(f"/api/plans/documents/{plans['old'].pk}/comparison/").status_code == 404


def test_openapi_lists_filters(client: Any) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    params = {p["name"] for p in schema["paths"]["/api/plans/measures/"]["get"]["parameters"]}
    assert {"document", "status", "side", "has_deadline"} <= params
    assert "/api/plans/check/" in schema["paths"]


def test_report_api_permissions(client: Any, plans: dict[str, Any], ministry_by: Any, ministry_kz: Any) -> None:
    payload = {"measure": plans["m2"].pk, "date": "2025-01-10", "status": "in_progress", "evidence": "meeting"}
    assert client.post("/api/plans/reports/", payload).status_code in (401, 403)
    client.force_login(ministry_kz)
    assert client.post("/api/plans/reports/", payload).status_code == 403
    client.force_login(ministry_by)
    r = client.post("/api/plans/reports/", payload)
    assert r.status_code == 201 and r.json()["author"] == ministry_by.username
    plans["m2"].refresh_from_db()
    assert plans["m2"].status == "in_progress"
    assert client.post("/api/plans/reports/", {**payload, "date": "2999-01-01"}).status_code == 400


def test_register_page_filters(client: Any, plans: dict[str, Any]) -> None:
    r = client.get(reverse("plans:register"), {"party": "UZ"})
    assert r.status_code == 200
    text = r.content.decode()
    assert "Belarus – Uzbekistan roadmap" in text and "Action plan 2024–2026" not in text


def test_document_page_shows_flags_and_progress(client: Any, plans: dict[str, Any]) -> None:
    r = client.get(reverse("plans:document", args=[plans["new"].pk]), {"as_of": "2025-06-30"})
    text = r.content.decode()
    assert r.status_code == 200
    assert 'data-flag="no_deadline"' in text and 'data-flag="carried_over"' in text
    assert 'id="progress-chart"' in text and "chart-data" in text


def test_measure_page_report_form_for_permitted_users(client: Any, plans: dict[str, Any], ministry_by: Any,
                                                      ministry_kz: Any) -> None:
    url = reverse("plans:measure", args=[plans["m2"].pk])
    assert 'data-testid="report-form"' not in client.get(url).content.decode()
    client.force_login(ministry_kz)
    assert 'data-testid="report-form"' not in client.get(url).content.decode()
    assert client.post(url, {"date": "2025-01-01", "status": "done"}).status_code == 403
    client.force_login(ministry_by)
    assert 'data-testid="report-form"' in client.get(url).content.decode()
    r = client.post(url, {"date": "2025-01-01", "status": "done", "evidence": "Road maps approved"})
    assert r.status_code == 302
    report = StatusReport.objects.get(measure=plans["m2"])
    assert report.author == ministry_by and report.history.first().history_user == ministry_by
    bad = client.post(url, {"date": "2999-01-01", "status": "done"})
    assert bad.status_code == 200 and "future" in bad.content.decode()


def test_compare_and_dashboard_pages(client: Any, plans: dict[str, Any]) -> None:
    r = client.get(reverse("plans:compare"), {"current": plans["new"].pk})
    text = r.content.decode()
    assert 'data-testid="reworded"' in text and "Mutual recognition of technological operations" in text
    d = client.get(reverse("plans:dashboard"), {"code": "carried_over", "as_of": "2025-06-30"})
    assert d.status_code == 200 and "Action plan 2024–2026, 4.1" in d.content.decode()
    assert client.get(reverse("plans:dashboard"), {"code": "nonsense"}).status_code == 404


def test_exports(client: Any, plans: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    r = client.get(reverse("plans:export", args=[plans["new"].pk, "xlsx"]), {"as_of": "2025-06-30"})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb["Measures"].iter_rows(min_row=5, values_only=True))
    assert [row[0] for row in rows] == ["4.1", "4.2"]
    assert "No deadline" in rows[0][8]
    pdf = client.get(reverse("plans:export", args=[plans["new"].pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert b"DejaVuSans" in pdf.content
    assert client.get(reverse("plans:export", args=[plans["new"].pk, "doc"])).status_code == 404
