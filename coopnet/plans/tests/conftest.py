"""Fixtures of the plans tests: a small plan pair built in the database, and demo-like accounts."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from coopnet.accounts.models import Profile
from coopnet.plans.models import ControlPoint, Direction, Document, DocumentLink, Measure, ResponsibleBody


def make_user(username: str, role: str, country: str | None = None) -> Any:
    account = get_user_model().objects.create_user(username=username, password="pw-" + username)
    Profile.objects.create(user=account, role=role, country_id=country)
    return account


@pytest.fixture
def plans(reference_data: None) -> dict[str, Any]:
    old = Document.objects.create(kind="programme", title="Union Programme 2021–2023", period_start=date(2021, 1, 1),
                                  period_end=date(2023, 12, 31), source="003_74704f3fcb175691.txt:370")
    old.parties.set(["RU", "BY"])
    Measure.objects.create(document=old, number="1", text="Mutual recognition of technological operations "
                           "carried out in the Union State territory")
    Measure.objects.create(document=old, number="2", text="Creation of a common gas market")
    new = Document.objects.create(kind="action_plan", title="Action plan 2024–2026", period_start=date(2024, 1, 1),
                                  period_end=date(2026, 12, 31), reporting_period_months=6,
                                  source="003_74704f3fcb175691.txt:389")
    new.parties.set(["RU", "BY"])
    DocumentLink.objects.create(from_document=new, kind="replaces", to_document=old)
    direction = Direction.objects.create(document=new, number="4", title="Industrial policy")
    m1 = Measure.objects.create(document=new, direction=direction, number="4.1", order=1,
                                text="Practical implementation of agreements on the recognition of technological "
                                     "operations carried out in the Union State territory")
    m2 = Measure.objects.create(document=new, direction=direction, number="4.2", order=2,
                                text="Road maps in microelectronics and machine-tool construction",
                                deadline=date(2025, 12, 31), indicator="Road maps approved",
                                risk_assessment="Equipment sanctions")
    for side, body in (("RU", "Minpromtorg of Russia"), ("BY", "Minprom of Belarus")):
        ResponsibleBody.objects.create(measure=m2, side=side, body=body)
    ResponsibleBody.objects.create(measure=m1, side="RU", body="Minpromtorg of Russia")
    ControlPoint.objects.create(measure=m2, date=date(2024, 12, 31))
    ControlPoint.objects.create(measure=m2, date=date(2025, 6, 30))
    other = Document.objects.create(kind="roadmap", title="Belarus – Uzbekistan roadmap", signed=date(2018, 11, 1))
    other.parties.set(["BY", "UZ"])
    return {"old": old, "new": new, "m1": m1, "m2": m2, "other": other}


@pytest.fixture
def ministry_by(reference_data: None) -> Any:
    return make_user("minprom-by-test", "ministry", "BY")


@pytest.fixture
def ministry_kz(reference_data: None) -> Any:
    return make_user("minprom-kz-test", "ministry", "KZ")
