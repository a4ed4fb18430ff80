"""Demo opportunities on the exchange, built around the real organisations of the demo registry.

Idempotent: an opportunity is found again by its organisation and title. Where an opportunity illustrates
a fact of the seeds, the seed line is its source; the opportunities themselves are illustrative.
"""

from __future__ import annotations

import datetime
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from coopnet.registry.models import Organisation

from .choices import Direction, InterestStatus, OpportunityKind, Outcome, Status
from .models import Interest, Opportunity

NOTE = "Demo opportunity illustrating the exchange; not a real offer."

OPPORTUNITIES: list[dict[str, Any]] = [
    {
        "org": "BY-MAZ",
        "kind": OpportunityKind.BUSINESS,
        "direction": Direction.REQUEST,
        "status": Status.PUBLISHED,
        "title": "Ищем поставщика дизельных двигателей для городских автобусов",
        "description": "МАЗ ищет поставщика дизельных двигателей экологического класса Евро-5 мощностью 250–320 л.с. "
        "для городских и пригородных автобусов. Нужны сертификаты ТР ТС 018/2011.",
        "hs_codes": "8408",
        "nace_codes": "28.11",
        "quantity": 600,
        "unit": "pcs",
        "certifications": "TR CU 018/2011",
        "countries_wanted": "RU, KZ, BY",
        "source": "002_34fcb34fd01e1444.txt:891",
    },
    {
        "org": "RU-BESHTAU",
        "kind": OpportunityKind.SUBCONTRACTING,
        "direction": Direction.REQUEST,
        "status": Status.PUBLISHED,
        "title": "RFQ: сборка печатных плат для системных блоков",
        "description": "Поверхностный монтаж печатных плат (материнские платы mini-ITX) для системных блоков "
        "персональных компьютеров, партия 20 000 шт. в год.",
        "hs_codes": "847330",
        "nace_codes": "26.12",
        "quantity": 20000,
        "unit": "pcs",
        "certifications": "ISO 9001",
        "countries_wanted": "BY, KG, KZ, AM",
        "part_name": "Материнская плата mini-ITX",
        "drawing_ref": "BSH-MB-ITX-02",
        "material": "FR-4, бессвинцовая пайка",
        "tolerances": "IPC-A-610 класс 2",
        "deadline_days": 90,
    },
    {
        "org": "KZ-AGROMASHHOLDING",
        "kind": OpportunityKind.BUSINESS,
        "direction": Direction.OFFER,
        "status": Status.PUBLISHED,
        "title": "Сборка зерноуборочных комбайнов в Костанае для партнёров из ЕАЭС",
        "description": "Предлагаем мощности по крупноузловой сборке зерноуборочных и кормоуборочных комбайнов "
        "по лицензии, сервисную сеть в Казахстане.",
        "hs_codes": "843351; 843359",
        "nace_codes": "28.30",
        "source": "002_34fcb34fd01e1444.txt:1230",
    },
    {
        "org": "BY-BELKOMMUNMASH",
        "kind": OpportunityKind.TECHNOLOGY,
        "direction": Direction.OFFER,
        "status": Status.PUBLISHED,
        "title": "Technology offer: trolleybuses with autonomous running and fast-charging e-buses",
        "description": "Licence and technical assistance for trolleybuses with battery autonomous running and "
        "electric buses with fast charging, for assembly partners in member states.",
        "hs_codes": "870240",
        "nace_codes": "29.10",
        "source": "002_34fcb34fd01e1444.txt:469",
    },
    {
        "org": "RU-NPO-VOYAGE",
        "kind": OpportunityKind.RESEARCH,
        "direction": Direction.REQUEST,
        "status": Status.REVIEW,
        "title": "Совместные НИОКР: компоненты тормозных систем для подвижного состава",
        "description": "Ищем партнёров для совместной разработки компонентов тормозных систем железнодорожного "
        "подвижного состава: электроприводы, металлоконструкции.",
        "hs_codes": "860721",
        "nace_codes": "30.20",
        "countries_wanted": "BY, AM, KZ",
    },
    {
        "org": "BY-MMZ",
        "kind": OpportunityKind.BUSINESS,
        "direction": Direction.OFFER,
        "status": Status.CLOSED,
        "title": "Поставка дизельных двигателей для сельхозтехники в Узбекистан",
        "description": "Дизельные двигатели для тракторов и комбайнов, поставка и сервис.",
        "hs_codes": "840820",
        "nace_codes": "28.11",
        "source": "002_34fcb34fd01e1444.txt:1514",
        "interest": ("UZ-BURAN-SAVDO", "Готовы закупать двигатели для сборки сельхозтехники."),
        "outcome": Outcome.SUPPLY,
    },
]


def load(stdout: TextIO | None = None) -> None:
    refs = {o.ref: o for o in Organisation.objects.filter(ref__in=_refs())}
    created = 0
    now = timezone.now()
    for item in OPPORTUNITIES:
        org = refs.get(item["org"])
        if org is None:
            continue
        fields = {k: v for k, v in item.items() if k not in ("org", "status", "deadline_days", "interest", "outcome")}
        with transaction.atomic():
            opp, was_created = Opportunity.objects.get_or_create(
                organisation=org, title=item["title"], defaults={**fields, "source_note": NOTE}
            )
            if not was_created:
                continue
            created += 1
            if item.get("deadline_days"):
                opp.deadline = timezone.localdate() + datetime.timedelta(days=item["deadline_days"])
            opp.status = item["status"]
            if item["status"] in (Status.PUBLISHED, Status.CLOSED):
                opp.published_at = now
                opp.expires_on = timezone.localdate() + datetime.timedelta(days=180)
            if item.get("interest"):
                partner = refs.get(item["interest"][0])
                if partner is not None:
                    opp.status = Status.PUBLISHED
                    opp.save()
                    Interest.objects.create(
                        opportunity=opp,
                        organisation=partner,
                        message=item["interest"][1],
                        status=InterestStatus.ACCEPTED,
                    )
                    opp.close(item["outcome"], partner, "")
                    continue
                opp.status = Status.PUBLISHED
            opp.save()
    if stdout is not None:
        stdout.write(f"exchange: {created} demo opportunities added\n")


def _refs() -> list[str]:
    refs = [item["org"] for item in OPPORTUNITIES]
    refs += [item["interest"][0] for item in OPPORTUNITIES if item.get("interest")]
    return refs
