"""Web pages: the public checker, the bank's submission, the Commission's queue, budget and register."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from coopnet.financing.choices import Stage
from coopnet.financing.models import Application, BudgetEnvelope, MonitoringReport

from .factories import application, consortium, org, regulation, user
from .test_check_contract import FILE

pytestmark = pytest.mark.django_db


def test_anyone_checks_a_pasted_file_without_an_account() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/financing/", {"payload": json.dumps(FILE)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="criteria"' in html and 'data-code="rate_cap"' in html
    assert "210,000,000.00" in html and "schedule-chart" in html
    assert '<span class="text-success">Eligible</span>' in html


def test_checker_form_fields_and_errors_name_the_field() -> None:
    data = {
        "title": "Rail", "industry": "machine-building", "application_date": "2025-03-01", "start": "2025-03-01",
        "completion": "2029-12-31", "participants": "NPO Voyage; RU; lead\nMetallstroy; AM; supplier\nRukh; BY",
        "lender": "Sberbank", "lender_country": "RU", "currency": "RUB", "rate": "25",
        "drawdowns": "2025-03-01; 1 000 000 000", "repayments": "", "base_rates": "2025-01-01; 21",
    }
    ok = Client().post("/financing/", data)
    assert ok.status_code == 200 and 'data-testid="verdict"' in ok.content.decode()
    bad = Client().post("/financing/", {**data, "drawdowns": "2025-13-01; 5"})
    html = bad.content.decode()
    assert 'data-testid="error-drawdowns"' in html
    assert "loan.drawdowns[0].date: not a date (YYYY-MM-DD): &#x27;2025-13-01&#x27;" in html


def test_checker_bad_json_is_reported() -> None:
    response = Client().post("/financing/", {"payload": "{oops"})
    assert response.status_code == 200
    assert "not valid JSON" in response.content.decode()


def test_bank_submits_an_application_and_the_commission_sees_it_in_its_queue() -> None:
    regulation()
    sber = org("ПАО Сбербанк", "RU", "bank")
    members = consortium()
    bank_user = user("bank-x", "bank", "RU", sber)
    client = Client()
    client.force_login(bank_user)
    response = client.post("/financing/applications/new/", {
        "title": "Rolling stock components", "industry": "machine-building", "lender_name": "Sberbank",
        "lender_country": "RU", "currency": "RUB", "loan_rate": "25", "application_date": "2025-03-01",
        "start": "2025-03-01", "completion": "2029-12-31",
        "participants_text": "\n".join(f"{o.name}; {o.country_id}; {r}" for o, r in members),
        "drawdowns_text": "2025-03-01; 1000000000", "repayments_text": "2027-03-01; 500000000",
        "document_title": "Business plan", "document_url": "https://example.org/plan.pdf",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    app = Application.objects.get(title="Rolling stock components")
    assert app.bank == sber and app.stage == Stage.SUBMITTED and app.submitted_by == bank_user
    assert [p.organisation for p in app.participants.all()] == [o for o, _ in members]
    assert app.transitions.get().decision == "submit"
    assert app.documents.get().url == "https://example.org/plan.pdf"

    eec = Client()
    eec.force_login(user("eec-x", "commission"))
    queue = eec.get("/financing/queue/").content.decode()
    assert app.reference in queue
    detail = eec.get(app.get_absolute_url()).content.decode()
    assert 'data-testid="transition-form"' in detail and "start_expertise" in detail
    eec.post(f"/financing/applications/{app.pk}/transition/", {"decision": "start_expertise"})
    app.refresh_from_db()
    assert app.stage == Stage.PRIMARY_EXPERTISE


def test_enterprise_cannot_submit_nor_see_the_queue_nor_move_a_stage() -> None:
    regulation()
    members = consortium()
    app = application(org("Bank", "RU", "bank"), members)
    client = Client()
    client.force_login(user("ent", "enterprise", "RU", members[0][0]))
    assert client.get("/financing/applications/new/").status_code == 403
    assert client.get("/financing/queue/").status_code == 403
    page = client.get(app.get_absolute_url()).content.decode()
    assert 'data-testid="transition-form"' not in page
    client.post(f"/financing/applications/{app.pk}/transition/", {"decision": "start_expertise"})
    app.refresh_from_db()
    assert app.stage == Stage.SUBMITTED


def test_another_bank_gets_a_404_for_an_application_not_approved() -> None:
    regulation()
    app = application(org("Bank A", "RU", "bank"), consortium())
    client = Client()
    client.force_login(user("bank-b", "bank", "RU", org("Bank B", "RU", "bank")))
    assert client.get(app.get_absolute_url()).status_code == 404
    assert app.reference not in client.get("/financing/applications/").content.decode()


def test_public_register_budget_and_rates() -> None:
    regulation()
    app = application(None, consortium(), stage=Stage.APPROVED)
    BudgetEnvelope.objects.create(year=2026, duties_revenue_rub=Decimal("90000000000"))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    register = client.get("/financing/register/").content.decode()
    assert app.reference in register and "Metallstroy (AM)" in register
    assert client.get(app.get_absolute_url()).status_code == 200
    budget = client.get("/financing/budget/").content.decode()
    assert "9,000,000,000.00" in budget and "budget-chart" in budget
    rates = client.get("/financing/rates/").content.decode()
    assert "Bank of Russia" in rates and "21.00%" in rates


def test_monitoring_report_flags_below_plan_and_overdue() -> None:
    regulation()
    bank = org("Bank M", "RU", "bank")
    app = application(bank, consortium(), stage=Stage.APPROVED, planned_jobs=200)
    client = Client()
    client.force_login(user("bank-m", "bank", "RU", bank))
    response = client.post(f"/financing/applications/{app.pk}/reports/", {"year": 2025, "jobs": 50})
    assert response.status_code == 302
    assert MonitoringReport.objects.get(application=app).jobs == 50
    page = client.get(app.get_absolute_url()).content.decode()
    assert "2025: jobs 50 is 25.0% of the plan 200." in page


def test_admin_edits_the_regulation_parameters() -> None:
    regulation()
    admin = user("root-x", "admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    for name in ("rulesetversion", "approvedlender", "baserate", "application", "budgetenvelope", "industry"):
        response = client.get(f"/admin/financing/{name}/")
        assert response.status_code == 200, name
    rule_set = client.get("/admin/financing/rulesetversion/").content.decode()
    assert "EIC Decision No. 3" in rule_set
