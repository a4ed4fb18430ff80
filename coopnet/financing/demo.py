"""Demo financing data: the regulation data, the budget envelopes, and the real applications and
projects of ``financing-rules.md`` at their real stages, plus one synthetic application with a full
loan schedule (labelled synthetic) so the subsidy arithmetic can be seen end to end.

Facts that were not published (exact days, loan terms of the real projects) are not invented: the
month is kept with day 1 and the gap is said in ``source_note``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from coopnet.reference.models import Country
from coopnet.registry.models import Organisation

from . import loading
from .choices import FlowKind, Stage
from .models import (
    Application,
    ApplicationParticipant,
    ApprovedLender,
    BaseRate,
    BudgetEnvelope,
    Industry,
    LoanFlow,
    RuleSetVersion,
    StageTransition,
)

SOURCE = "financing-rules.md"

#: the envelope reported for a year; the duties revenue is back-computed at the 10% share
ENVELOPES = (
    (2024, Decimal("1800000000"), "about 1.8 bn RUB a year at launch (2024)"),
    (2025, Decimal("3000000000"), "2026's 9 bn RUB was reported as three times the previous year's"),
    (2026, Decimal("9000000000"), "about 9 bn RUB for 2026"),
)

# (title, industry, bank ref, participants [(ref or name, country, role)], application month, stage,
#  [(decision, to_stage, month)], description, note)
REAL: tuple[dict[str, Any], ...] = (
    {
        "key": "titan-polymer",
        "title": "Titan Polymer import-substituting chemical complex",
        "industry": "chemical",
        "bank": "RU-GAZPROMBANK",
        "participants": [("RU-TITAN-POLYMER", "RU", "lead")],
        "applied": date(2024, 7, 1),
        "moves": [("start_expertise", Stage.PRIMARY_EXPERTISE, date(2024, 7, 1))],
        "description": "Electrical, boiler and fire-fighting equipment supplied from partner states.",
        "note": "First application (July 2024), submitted by Gazprombank and taken into primary expertise; "
        "the partner suppliers and the later stages were not found.",
    },
    {
        "key": "kurgan-road-machines",
        "title": "Combined road machines and garbage trucks, Kurgan",
        "industry": "machine-building",
        "bank": "RU-SBERBANK",
        "participants": [("RU-KURGAN-RMZ", "RU", "lead")],
        "applied": date(2025, 11, 1),
        "moves": [],
        "description": "At least 530 units a year by 2029, with Belarusian and Kazakh component suppliers "
        "(not named in public reporting).",
        "note": "Applicant Sberbank, November 2025.",
    },
    {
        "key": "beshtau-pc",
        "title": "PC system units (Beshtau Electronics, Nero Electronics, Kyrgyzelectronica)",
        "industry": "radio-electronics",
        "bank": None,
        "participants": [("RU-BESHTAU", "RU", "lead"), ("BY-NERO-ELECTRONICS", "BY", "supplier"),
                         ("KG-KYRGYZELECTRONICA", "KG", "supplier")],
        "applied": date(2025, 1, 1),
        "moves": [("start_expertise", Stage.PRIMARY_EXPERTISE, date(2025, 1, 1)),
                  ("pass_expertise", Stage.CONSULTATIVE_COMMITTEE, date(2025, 12, 1)),
                  ("recommend", Stage.COUNCIL_DECISION, date(2025, 12, 1)),
                  ("approve", Stage.APPROVED, date(2025, 12, 1))],
        "description": "Production of PC system units.",
        "note": "Approved by the EEC Council in December 2025; the bank, loan terms and earlier dates are "
        "not public (2025 and day 1 of the month are placeholders for unpublished dates).",
    },
    {
        "key": "voyage-rail",
        "title": "Components for rail transport incl. high-speed trains (NPO Voyage, Metallstroy, Rukhservomotor)",
        "industry": "machine-building",
        "bank": None,
        "participants": [("RU-NPO-VOYAGE", "RU", "lead"), ("AM-METALLSTROY", "AM", "supplier"),
                         ("BY-RUKHSERVOMOTOR", "BY", "supplier")],
        "applied": date(2025, 1, 1),
        "moves": [("start_expertise", Stage.PRIMARY_EXPERTISE, date(2025, 1, 1)),
                  ("pass_expertise", Stage.CONSULTATIVE_COMMITTEE, date(2025, 12, 1)),
                  ("recommend", Stage.COUNCIL_DECISION, date(2025, 12, 1)),
                  ("approve", Stage.APPROVED, date(2025, 12, 1))],
        "description": "Components produced in Russia.",
        "note": "Approved by the EEC Council in December 2025; bank and loan terms not public.",
    },
    *(
        {
            "key": key,
            "title": title,
            "industry": industry,
            "bank": None,
            "participants": [],
            "applied": date(2025, 6, 1),
            "moves": [("start_expertise", Stage.PRIMARY_EXPERTISE, date(2025, 6, 1)),
                      ("pass_expertise", Stage.CONSULTATIVE_COMMITTEE, date(2026, 2, 1)),
                      ("recommend", Stage.COUNCIL_DECISION, date(2026, 2, 1))],
            "description": "",
            "note": "Cleared by the Consultative Committee in February 2026; participants, bank and "
            "application date not public.",
        }
        for key, title, industry in (
            ("sandwich-panels", "Modernisation of sandwich-panel production", "construction-materials"),
            ("paint-plant", "Paint and varnish plant", "chemical"),
            ("refrigeration", "Industrial refrigeration equipment", "machine-building"),
        )
    ),
)


def _org(ref: str) -> Organisation | None:
    return Organisation.objects.filter(ref=ref).first()


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12, 0))


def load_regulation() -> dict[str, int]:
    return loading.load(Industry, RuleSetVersion, ApprovedLender, BaseRate, Country)


@transaction.atomic
def load(stdout: TextIO | None = None) -> None:
    counts = load_regulation()
    for year, envelope, note in ENVELOPES:
        BudgetEnvelope.objects.update_or_create(
            year=year,
            defaults={"duties_revenue_rub": envelope * 10, "share_pct": Decimal("10"), "source": SOURCE,
                      "source_note": f"{note}; duties revenue back-computed at 10%."},
        )
    sber = _org("RU-SBERBANK")
    if sber is not None:
        ApprovedLender.objects.filter(name="Sberbank").update(organisation=sber)
    gpb = _org("RU-GAZPROMBANK")
    if gpb is not None:
        ApprovedLender.objects.filter(name="Gazprombank").update(organisation=gpb)
    eec = get_user_model().objects.filter(username="eec").first()
    real = 0
    for spec in REAL:
        _real_application(spec, eec)
        real += 1
    _synthetic_application(sber)
    if stdout is not None:
        stdout.write(
            f"Financing: {counts['rule_sets']} rule sets, {counts['base_rates']} base rates, "
            f"{counts['lenders']} lenders, {len(ENVELOPES)} budget envelopes, {real} real applications, "
            "1 synthetic application.\n"
        )


def _real_application(spec: dict[str, Any], eec: Any) -> Application:
    stage = spec["moves"][-1][1] if spec["moves"] else Stage.SUBMITTED
    last = spec["moves"][-1][2] if spec["moves"] else spec["applied"]
    bank = _org(spec["bank"]) if spec["bank"] else None
    app, created = Application.objects.update_or_create(
        source=f"{SOURCE}#{spec['key']}",
        defaults={
            "title": spec["title"], "description": spec["description"], "industry_id": spec["industry"],
            "bank": bank, "lender_name": bank.name if bank else "not public", "lender_country_id": "RU",
            "currency": "RUB", "loan_rate": Decimal("0"), "application_date": spec["applied"],
            "start": spec["applied"], "completion": date(spec["applied"].year + 5, spec["applied"].month, 1),
            "stage": stage, "stage_changed": _at(last), "is_synthetic": False,
            "source_note": f"{spec['note']} Loan terms not public; start and completion are placeholders.",
        },
    )
    if created:
        for ref, country, role in spec["participants"]:
            org = _org(ref)
            ApplicationParticipant.objects.create(
                application=app, organisation=org, name=org.name if org else ref, country_id=country, role=role
            )
        StageTransition.objects.create(application=app, decision="submit", from_stage="",
                                       to_stage=Stage.SUBMITTED, actor_name=bank.name if bank else "",
                                       at=_at(spec["applied"]))
        previous = Stage.SUBMITTED
        for decision, target, day in spec["moves"]:
            StageTransition.objects.create(application=app, decision=decision, from_stage=previous,
                                           to_stage=target, actor=eec, actor_name="Eurasian Economic Commission",
                                           at=_at(day), reason=spec["note"] if decision == "approve" else "")
            previous = target
    return app


def _synthetic_application(bank: Organisation | None) -> Application | None:
    """A complete application (loan schedule included) for trying the workflow; synthetic."""
    if bank is None:
        return None
    app, created = Application.objects.update_or_create(
        source="coopnet-demo#synthetic-road-machines",
        defaults={
            "title": "Demo: road-machine chassis line (synthetic loan schedule)",
            "description": "Synthetic example built on the Kurgan project's partners to show the subsidy "
            "schedule; the figures are illustrative, not reported.",
            "industry_id": "machine-building", "bank": bank, "lender_name": "Sberbank",
            "lender_country_id": "RU", "currency": "RUB", "loan_rate": Decimal("22.5"),
            "cost_rub": Decimal("4000000000"), "application_date": date(2025, 11, 10),
            "start": date(2025, 12, 1), "completion": date(2029, 12, 31), "stage": Stage.SUBMITTED,
            "stage_changed": _at(date(2025, 11, 10)), "planned_output_rub": Decimal("6000000000"),
            "planned_jobs": 400, "planned_mutual_supplies_rub": Decimal("1500000000"),
            "planned_taxes_rub": Decimal("300000000"), "is_synthetic": True,
            "source_note": "Synthetic demo data.",
        },
    )
    if created:
        for ref, country, role in (("RU-KURGAN-RMZ", "RU", "lead"), ("BY-MAZ", "BY", "supplier"),
                                   ("KZ-AGROMASHHOLDING", "KZ", "supplier")):
            org = _org(ref)
            ApplicationParticipant.objects.create(application=app, organisation=org,
                                                  name=org.name if org else ref, country_id=country, role=role)
        for kind, day, amount in ((FlowKind.DRAWDOWN, date(2025, 12, 1), "1500000000"),
                                  (FlowKind.DRAWDOWN, date(2026, 6, 1), "1000000000"),
                                  (FlowKind.REPAYMENT, date(2028, 12, 1), "1250000000")):
            LoanFlow.objects.create(application=app, kind=kind, date=day, amount=Decimal(amount))
        StageTransition.objects.create(application=app, decision="submit", from_stage="",
                                       to_stage=Stage.SUBMITTED, actor_name=bank.name,
                                       at=_at(date(2025, 11, 10)))
    return app
