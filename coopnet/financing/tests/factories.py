"""Builders for financing tests (real models, real database, the regulation data of the migration)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from coopnet.financing import services
from coopnet.financing.choices import FlowKind, Stage
from coopnet.financing.demo import load_regulation
from coopnet.financing.models import Application, ApplicationParticipant, LoanFlow
from coopnet.registry.models import Organisation
from coopnet.registry.tests.factories import user  # noqa: F401  (re-exported for the tests)


def regulation() -> None:
    """Rule sets, lenders, base rates (present after migrate; reloaded after a flush)."""
    load_regulation()


def org(name: str, country: str = "RU", kind: str = "enterprise") -> Organisation:
    return Organisation.objects.create(name=name, country_id=country, kind=kind)


def application(
    bank: Organisation | None,
    participants: list[tuple[Organisation, str]] | None = None,
    amount: str = "1000000000",
    stage: str = Stage.SUBMITTED,
    **kwargs: Any,
) -> Application:
    defaults: dict[str, Any] = {
        "title": "Rail components", "industry_id": "machine-building", "bank": bank,
        "lender_name": "Sberbank", "lender_country_id": "RU", "currency": "RUB", "loan_rate": Decimal("25"),
        "application_date": date(2025, 3, 1), "start": date(2025, 3, 1), "completion": date(2029, 12, 31),
        "stage": stage,
    }
    defaults.update(kwargs)
    app = Application.objects.create(**defaults)
    for organisation, role in participants or []:
        ApplicationParticipant.objects.create(application=app, organisation=organisation, name=organisation.name,
                                              country_id=organisation.country_id, role=role)
    LoanFlow.objects.create(application=app, kind=FlowKind.DRAWDOWN, date=date(2025, 3, 1), amount=Decimal(amount))
    return app


def consortium() -> list[tuple[Organisation, str]]:
    return [(org("NPO Voyage", "RU"), "lead"), (org("Metallstroy", "AM"), "supplier"),
            (org("Rukhservomotor", "BY"), "supplier")]


def advance(app: Application, actor: Any, *decisions: str) -> None:
    for decision in decisions:
        services.transition(app, actor, decision)
