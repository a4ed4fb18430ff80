"""Editing documents, directions and measures on the web: who may, formsets, history, recomputed flags,
and the joint projects of the financing register linked to a measure."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from coopnet.financing.models import Application, Industry
from coopnet.plans.adapter import check_document
from coopnet.plans.models import Direction, Document, DocumentLink, Measure

from .conftest import make_user

pytestmark = pytest.mark.django_db


def project(title: str, stage: str) -> Application:
    industry, _ = Industry.objects.get_or_create(code="machinery", defaults={"name_en": "Machinery"})
    return Application.objects.create(
        title=title, industry=industry, lender_name="Bank", lender_country_id="RU", loan_rate=Decimal("12"),
        application_date=date(2024, 3, 1), start=date(2024, 4, 1), completion=date(2026, 12, 31), stage=stage)


def measure_post(measure: Measure | None, **changes: Any) -> dict[str, Any]:
    """The measure form as a browser would post it, with no responsible body and no control point rows."""
    data: dict[str, Any] = {
        "number": measure.number if measure else "", "direction": measure.direction_id or "" if measure else "",
        "parent": "", "text": measure.text if measure else "", "text_en": "",
        "deadline": measure.deadline.isoformat() if measure and measure.deadline else "",
        "expected_result": "", "indicator": measure.indicator if measure else "",
        "risk_assessment": measure.risk_assessment if measure else "", "linked_projects": "",
        "order": measure.order if measure else 0,
    }
    for prefix, rows in (("responsible", measure.responsible.all() if measure else []),
                         ("control_points", measure.control_points.all() if measure else [])):
        rows = list(rows)
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows),
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-measure"] = measure.pk if measure else ""
            if prefix == "responsible":
                data.update({f"{prefix}-{i}-side": row.side, f"{prefix}-{i}-body": row.body})
            else:
                data.update({f"{prefix}-{i}-date": row.date.isoformat(), f"{prefix}-{i}-description": row.description})
    data.update(changes)
    return data


def add_row(data: dict[str, Any], prefix: str, **fields: Any) -> dict[str, Any]:
    i = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = i + 1
    data.update({f"{prefix}-{i}-{k}": v for k, v in fields.items()})
    return data


def test_who_may_edit_a_document(client: Any, plans: dict[str, Any], ministry_by: Any, ministry_kz: Any) -> None:
    edit = reverse("plans:document-edit", args=[plans["new"].pk])
    assert client.get(edit).status_code == 302  # to the login page
    client.force_login(make_user("firm", "enterprise", "BY"))
    assert client.get(edit).status_code == 404
    assert client.get(reverse("plans:document-new")).status_code == 403
    client.force_login(ministry_kz)
    assert client.get(edit).status_code == 404
    assert 'data-testid="document-edit"' not in client.get(plans["new"].get_absolute_url()).content.decode()
    client.force_login(ministry_by)
    assert client.get(edit).status_code == 200
    assert 'data-testid="document-edit"' in client.get(plans["new"].get_absolute_url()).content.decode()
    client.force_login(make_user("eec-test", "commission"))
    assert client.get(reverse("plans:document-edit", args=[plans["other"].pk])).status_code == 200
    assert set(Document.objects.restrict(ministry_by, "change")) == {plans["old"], plans["new"], plans["other"]}
    assert set(Document.objects.restrict(ministry_kz, "change")) == set()


def document_post(doc: Document, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": doc.kind, "title": doc.title, "title_en": doc.title_en, "short_title": doc.short_title,
        "number": doc.number, "issuing_body": doc.issuing_body,
        "parties": [c.code for c in doc.parties.all()] if doc.pk else [],
        "other_parties": doc.other_parties, "signed": "", "in_force": "",
        "period_start": doc.period_start.isoformat() if doc.period_start else "",
        "period_end": doc.period_end.isoformat() if doc.period_end else "",
        "reporting_period_months": doc.reporting_period_months or "", "url": "", "summary": "",
        "declared_measures": "", "declared_done_share": "", "declared_as_of": "",
    }
    links = list(doc.links_out.all()) if doc.pk else []
    data.update({"links-TOTAL_FORMS": len(links), "links-INITIAL_FORMS": len(links), "links-MIN_NUM_FORMS": 0,
                 "links-MAX_NUM_FORMS": 1000})
    for i, link in enumerate(links):
        data.update({f"links-{i}-id": link.pk, f"links-{i}-from_document": doc.pk, f"links-{i}-kind": link.kind,
                     f"links-{i}-to_document": link.to_document_id})
    data.update(changes)
    return data


def test_ministry_edits_period_parties_and_links_with_history(client: Any, plans: dict[str, Any],
                                                                ministry_by: Any) -> None:
    doc = plans["new"]
    client.force_login(ministry_by)
    url = reverse("plans:document-edit", args=[doc.pk])
    data = add_row(document_post(doc, period_end="2027-06-30", reporting_period_months=3,
                                 parties=["RU", "BY", "KZ"]),
                   "links", kind="implements", to_document=plans["other"].pk)
    n_before = len(check_document(doc).flags)
    r = client.post(url, data)
    assert r.status_code == 302 and r["Location"] == doc.get_absolute_url()
    doc.refresh_from_db()
    n_after = len(check_document(doc).flags)
    assert doc.period_end == date(2027, 6, 30) and doc.reporting_period_months == 3
    assert set(doc.parties.values_list("code", flat=True)) == {"RU", "BY", "KZ"}
    assert set(doc.links_out.values_list("kind", "to_document")) == {("replaces", plans["old"].pk),
                                                                     ("implements", plans["other"].pk)}
    latest = doc.history.first()
    assert latest.history_user == ministry_by and latest.period_end == date(2027, 6, 30)
    assert {p.country_id for p in latest.parties.all()} == {"RU", "BY", "KZ"}
    link = DocumentLink.objects.get(kind="implements")
    assert link.history.first().history_user == ministry_by
    page = client.get(doc.get_absolute_url()).content.decode()
    assert f"Quality flags recomputed: {n_before} before the edit, {n_after} now." in page
    assert "Implements" in page


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"period_start": "2027-01-01"}, "period_end", "The period ends before it starts."),
    ({"parties": ["RU"]}, "parties", "Your country (BY) must stay a party"),
    ({"reporting_period_months": "0"}, "reporting_period_months", "greater than or equal to 1"),
    ({"title": ""}, "title", "This field is required."),
])
def test_document_form_errors(client: Any, plans: dict[str, Any], ministry_by: Any, changes: dict[str, Any],
                              field: str, message: str) -> None:
    client.force_login(ministry_by)
    r = client.post(reverse("plans:document-edit", args=[plans["new"].pk]), document_post(plans["new"], **changes),
                    headers={"accept-language": "en"})
    assert r.status_code == 200
    form = r.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    plans["new"].refresh_from_db()
    assert plans["new"].parties.count() == 2


def test_link_to_itself_is_refused(client: Any, plans: dict[str, Any], ministry_by: Any) -> None:
    client.force_login(ministry_by)
    data = add_row(document_post(plans["new"]), "links", kind="amends", to_document=plans["new"].pk)
    r = client.post(reverse("plans:document-edit", args=[plans["new"].pk]), data)
    assert r.status_code == 200 and 'data-testid="field-error"' in r.content.decode()
    assert plans["new"].links_out.count() == 1


def test_ministry_creates_a_document_of_its_country(client: Any, reference_data: None, ministry_by: Any) -> None:
    client.force_login(ministry_by)
    new = Document(kind="roadmap", title="Roadmap on machine tools")
    r = client.post(reverse("plans:document-new"), document_post(new, parties=["KZ"]))
    assert r.status_code == 200 and "must stay a party" in r.content.decode()
    r = client.post(reverse("plans:document-new"), document_post(new, parties=["BY", "KZ"],
                                                                  period_start="2025-01-01",
                                                                  period_end="2027-12-31"))
    doc = Document.objects.get(title="Roadmap on machine tools")
    assert r.status_code == 302 and r["Location"] == doc.get_absolute_url()
    assert doc.history.count() >= 1 and doc.history.last().history_user == ministry_by


def test_directions_formset(client: Any, plans: dict[str, Any], ministry_by: Any) -> None:
    doc = plans["new"]
    existing = doc.directions.get()
    client.force_login(ministry_by)
    url = reverse("plans:directions-edit", args=[doc.pk])
    assert client.get(url).status_code == 200
    data = {"directions-TOTAL_FORMS": 2, "directions-INITIAL_FORMS": 1, "directions-MIN_NUM_FORMS": 0,
            "directions-MAX_NUM_FORMS": 1000,
            "directions-0-id": existing.pk, "directions-0-document": doc.pk, "directions-0-number": "4",
            "directions-0-title": "Industrial and technology policy", "directions-0-title_en": "",
            "directions-0-order": 1,
            "directions-1-number": "5", "directions-1-title": "Energy", "directions-1-title_en": "",
            "directions-1-order": 2}
    assert client.post(url, data).status_code == 302
    assert list(doc.directions.values_list("number", "title")) == [("4", "Industrial and technology policy"),
                                                                    ("5", "Energy")]
    assert existing.history.first().history_user == ministry_by
    data.update({"directions-0-DELETE": "on"})
    data["directions-1-title"] = ""
    r = client.post(url, data)
    assert r.status_code == 200 and doc.directions.count() == 2  # the empty title blocks the whole save


def test_ministry_adds_deadline_and_control_point_and_flags_clear(client: Any, plans: dict[str, Any],
                                                                  ministry_by: Any) -> None:
    m1 = plans["m1"]
    client.force_login(ministry_by)
    url = reverse("plans:measure-edit", args=[m1.pk])
    page = client.get(url).content.decode()
    assert 'name="responsible-0-side"' in page and 'value="BY"' in page
    before = client.get(plans["new"].get_absolute_url(), {"as_of": "2025-06-30"}).content.decode()
    assert 'data-measure="4.1"' in before
    data = measure_post(m1, deadline="2026-06-30", indicator="Agreements applied", risk_assessment="none known",
                        expected_result="Operations recognised")
    add_row(data, "responsible", side="BY", body="Minprom of Belarus")
    add_row(data, "control_points", date="2025-12-31", description="Interim report")
    r = client.post(url, data)
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    m1.refresh_from_db()
    assert m1.deadline == date(2026, 6, 30) and m1.expected_result == "Operations recognised"
    assert list(m1.control_points.values_list("date", flat=True)) == [date(2025, 12, 31)]
    assert set(m1.responsible.values_list("side", flat=True)) == {"RU", "BY"}
    assert m1.history.first().history_user == ministry_by
    assert m1.control_points.get().history.first().history_user == ministry_by
    page = client.get(m1.get_absolute_url()).content.decode()
    assert "Flags cleared:" in page and "No deadline" in page.split("Flags cleared:")[1].split("</")[0]
    doc_page = client.get(plans["new"].get_absolute_url(), {"as_of": "2025-06-30"}).content.decode()
    row = doc_page.split('data-measure="4.1"')[1].split("</li>")[0]
    for code in ("no_deadline", "no_control_points", "one_sided_responsibility", "no_indicator"):
        assert f'data-flag="{code}"' not in row


def test_measure_form_errors_and_permissions(client: Any, plans: dict[str, Any], ministry_by: Any,
                                             ministry_kz: Any) -> None:
    m1 = plans["m1"]
    url = reverse("plans:measure-edit", args=[m1.pk])
    client.force_login(ministry_kz)
    assert client.get(url).status_code == 404
    assert client.get(reverse("plans:measure-new", args=[plans["new"].pk])).status_code == 404
    client.force_login(ministry_by)
    r = client.post(url, measure_post(m1, number="4.2"))
    assert r.status_code == 200 and "already has a measure 4.2" in r.content.decode()
    data = add_row(measure_post(m1), "responsible", side="KZ", body="Ministry of Industry of Kazakhstan")
    assert client.post(url, data).status_code == 200  # KZ is not a party
    data = add_row(measure_post(m1), "control_points", date="2025-13-45", description="")
    assert client.post(url, data).status_code == 200
    assert client.post(url, measure_post(m1, parent=m1.pk)).status_code == 200  # not its own part
    assert client.post(url, measure_post(m1, direction=Direction.objects.create(
        document=plans["old"], title="Elsewhere").pk)).status_code == 200
    m1.refresh_from_db()
    assert m1.deadline is None and m1.control_points.count() == 0 and m1.number == "4.1"


def test_new_measure_with_projects_shown_with_links(client: Any, plans: dict[str, Any], ministry_by: Any) -> None:
    approved = project("Machine-tool plant in Minsk", "approved")
    pending = project("Confidential pending project", "submitted")
    client.force_login(ministry_by)
    url = reverse("plans:measure-new", args=[plans["new"].pk])
    form_page = client.get(url)
    choices = {p.pk for p in form_page.context["form"].fields["projects"].queryset}
    assert choices == {approved.pk}  # a ministry sees only approved projects
    data = measure_post(None, number="4.3", text="Joint machine-tool production", projects=[pending.pk])
    r = client.post(url, data)
    assert r.status_code == 200 and "projects" in r.context["form"].errors
    data["projects"] = [approved.pk]
    add_row(data, "responsible", side="RU", body="Minpromtorg of Russia")
    r = client.post(url, data)
    measure = Measure.objects.get(document=plans["new"], number="4.3")
    assert r.status_code == 302 and list(measure.projects.all()) == [approved]
    assert {p.application_id for p in measure.history.first().projects.all()} == {approved.pk}
    measure.projects.add(pending)  # linked by someone who sees it, e.g. the Commission
    page = client.get(measure.get_absolute_url()).content.decode()
    assert f'href="{approved.get_absolute_url()}"' in page and approved.title in page
    assert pending.title not in page and "1 more project not public" in page
    client.force_login(make_user("eec-test", "commission"))
    page = client.get(measure.get_absolute_url()).content.decode()
    assert f'href="{pending.get_absolute_url()}"' in page
    assert client.get(approved.get_absolute_url()).status_code == 200
