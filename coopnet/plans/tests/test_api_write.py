"""The writable plans API: documents and measures, with the permissions of the web forms, 400 answers that
name the field, and history."""
from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from coopnet.plans.models import Document, Measure

from .conftest import make_user
from .test_editing import project

pytestmark = pytest.mark.django_db


def send(client: Any, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json",
                                   headers={"accept-language": "en"})


def test_document_create_and_update_permissions(client: Any, plans: dict[str, Any], ministry_by: Any,
                                                ministry_kz: Any) -> None:
    body = {"kind": "roadmap", "title": "Roadmap on electronics", "parties": ["BY", "KZ"],
            "period_start": "2025-01-01", "period_end": "2027-12-31", "reporting_period_months": 6}
    assert send(client, "post", "/api/plans/documents/", body).status_code in (401, 403)
    client.force_login(make_user("firm", "enterprise", "BY"))
    assert send(client, "post", "/api/plans/documents/", body).status_code == 403
    client.force_login(ministry_kz)
    url = f"/api/plans/documents/{plans['new'].pk}/"
    assert send(client, "patch", url, {"reporting_period_months": 3}).status_code == 404
    client.force_login(ministry_by)
    r = send(client, "post", "/api/plans/documents/", body)
    assert r.status_code == 201, r.json()
    doc = Document.objects.get(pk=r.json()["id"])
    assert set(doc.parties.values_list("code", flat=True)) == {"BY", "KZ"}
    assert doc.history.first().history_user == ministry_by
    r = send(client, "patch", url, {"reporting_period_months": 3, "period_end": "2027-06-30"})
    assert r.status_code == 200 and r.json()["reporting_period_months"] == 3
    plans["new"].refresh_from_db()
    assert plans["new"].period_end == date(2027, 6, 30)
    assert plans["new"].history.first().history_user == ministry_by
    assert client.delete(url).status_code == 405
    client.force_login(make_user("eec-test", "commission"))
    assert send(client, "patch", f"/api/plans/documents/{plans['other'].pk}/", {"title": "BY–UZ"}).status_code == 200


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"period_start": "2027-01-01"}, "period_end", "The period ends before it starts."),
    ({"parties": ["RU"]}, "parties", "Your country (BY) must stay a party"),
    ({"parties": ["XX"]}, "parties", "does not exist"),
    ({"reporting_period_months": 0}, "reporting_period_months", "greater than or equal to 1"),
    ({"kind": "memo"}, "kind", "not a valid choice"),
    ({"signed": "31/12/2024"}, "signed", "Date has wrong format"),
])
def test_document_400_names_the_field(client: Any, plans: dict[str, Any], ministry_by: Any, body: dict[str, Any],
                                      field: str, message: str) -> None:
    client.force_login(ministry_by)
    r = send(client, "patch", f"/api/plans/documents/{plans['new'].pk}/", body)
    assert r.status_code == 400
    assert any(message in m for m in r.json()[field]), r.json()


def test_measure_create_update_with_nested_rows_and_projects(client: Any, plans: dict[str, Any],
                                                             ministry_by: Any, ministry_kz: Any) -> None:
    approved = project("Machine-tool plant in Minsk", "approved")
    body = {"document": plans["new"].pk, "number": "4.3", "text": "Joint machine-tool production",
            "deadline": "2026-12-31", "indicator": "Output", "risk_assessment": "Sanctions",
            "responsible": [{"side": "RU", "body": "Minpromtorg of Russia"}, {"side": "BY", "body": "Minprom"}],
            "control_points": [{"date": "2025-12-31", "description": "Interim"}], "projects": [approved.pk]}
    client.force_login(ministry_kz)
    assert send(client, "post", "/api/plans/measures/", body).status_code == 403
    client.force_login(ministry_by)
    r = send(client, "post", "/api/plans/measures/", body)
    assert r.status_code == 201, r.json()
    out = r.json()
    assert out["status"] == "planned" and out["projects"] == [approved.pk]
    assert {x["side"] for x in out["responsible"]} == {"RU", "BY"} and out["control_points"][0]["date"] == "2025-12-31"
    m1 = plans["m1"]
    url = f"/api/plans/measures/{m1.pk}/"
    r = send(client, "patch", url, {"deadline": "2026-06-30", "control_points": [{"date": "2025-06-30"}]})
    assert r.status_code == 200, r.json()
    m1.refresh_from_db()
    assert m1.deadline == date(2026, 6, 30) and m1.control_points.count() == 1
    assert m1.responsible.count() == 1  # not sent: kept
    assert m1.history.first().history_user == ministry_by
    flags = client.get(f"/api/plans/documents/{plans['new'].pk}/flags/", {"as_of": "2025-01-31"}).json()
    assert not any(f["measure"] == "4.1" and f["code"] in ("no_deadline", "no_control_points")
                   for f in flags["flags"])
    assert send(client, "patch", url, {"status": "done"}).json()["status"] == "planned"  # follows the reports
    client.force_login(ministry_kz)
    assert send(client, "patch", url, {"deadline": "2026-01-01"}).status_code == 404


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"number": "4.2"}, "number", "already has a measure 4.2"),
    ({"number": " "}, "number", "may not be blank"),
    ({"deadline": "2026-31-12"}, "deadline", "Date has wrong format"),
    ({"responsible": [{"side": "KZ", "body": "MinInd"}]}, "responsible", "Not a party"),
    ({"responsible": [{"side": "RU"}]}, "responsible", "required"),
    ({"control_points": [{"description": "no date"}]}, "control_points", "required"),
    ({"projects": [999999]}, "projects", "does not exist"),
    ({"parent": "self"}, "parent", "cannot be part of itself"),
    ({"direction": "other"}, "direction", "another document"),
    ({"document": "old"}, "document", "cannot move"),
])
def test_measure_400_names_the_field(client: Any, plans: dict[str, Any], ministry_by: Any, body: dict[str, Any],
                                     field: str, message: str) -> None:
    m1: Measure = plans["m1"]
    if body.get("parent") == "self":
        body = {"parent": m1.pk}
    if body.get("direction") == "other":
        body = {"direction": plans["old"].directions.create(title="Elsewhere").pk}
    if body.get("document") == "old":
        body = {"document": plans["old"].pk}
    client.force_login(ministry_by)
    r = send(client, "patch", f"/api/plans/measures/{m1.pk}/", body)
    assert r.status_code == 400
    assert message in json.dumps(r.json()[field]), r.json()
    m1.refresh_from_db()
    assert m1.number == "4.1" and m1.responsible.count() == 1


def test_pending_project_cannot_be_linked_by_a_ministry(client: Any, plans: dict[str, Any],
                                                        ministry_by: Any) -> None:
    pending = project("Pending", "submitted")
    client.force_login(ministry_by)
    r = send(client, "patch", f"/api/plans/measures/{plans['m1'].pk}/", {"projects": [pending.pk]})
    assert r.status_code == 400 and "projects" in r.json()
    client.force_login(make_user("eec-test", "commission"))
    r = send(client, "patch", f"/api/plans/measures/{plans['m1'].pk}/", {"projects": [pending.pk]})
    assert r.status_code == 200 and r.json()["projects"] == [pending.pk]


@pytest.mark.parametrize("year", ["0.5", "0", "99999", "soon"])
def test_year_filter_refuses_what_is_not_a_year(client: Any, plans: dict[str, Any], year: str) -> None:
    r = client.get("/api/plans/documents/", {"active_in": year})
    assert r.status_code == 400 and "active_in" in r.json()
    assert client.get("/api/plans/documents/", {"active_in": "2025"}).json()["count"] == 2
