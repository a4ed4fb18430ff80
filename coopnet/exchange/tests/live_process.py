"""A process of its own for the multi-process freshness test: it reads one JSON command per line on stdin
and answers one JSON line on stdout. Run as ``python -m coopnet.exchange.tests.live_process`` with
DATABASE_URL (or COOPNET_VAR) and MATCH_INDEX_DIR set.

Commands: {"do": "setup"} (reference data, a few organisations, the shared index), {"do": "search",
"text": ...}, {"do": "change", "path": "page"|"api"|"import"|"merge"|"delete"}, {"do": "follow"}."""
from __future__ import annotations

import json
import os
import sys
from typing import Any


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopnet.settings")
    import django

    django.setup()
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        try:
            answer = handle(command)
        except Exception as exc:  # noqa: BLE001 - the test reads the error
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def handle(command: dict[str, Any]) -> dict[str, Any]:
    from coopnet.exchange import engine
    from coopnet.logic.matching import run_match

    what = command["do"]
    if what == "search":
        index = engine.get_index()
        result = run_match(index, {"text": command["text"], "limit": 10})
        return {"ids": [r["id"] for r in result["results"]], "shadow": len(index.shadow)}
    if what == "follow":
        engine.follow(poll=0.0, once=True)
        return {"ok": True}
    if what == "setup":
        return setup()
    return change(command["path"])


def setup() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from coopnet.exchange import engine
    from coopnet.registry.models import Competency, Organisation

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_superuser("live-admin", "a@example.org", "pw-live-admin-1")
    for n, (name, country, text) in enumerate((
        ("ОАО «Минский моторный завод»", "BY", "Дизельные двигатели для тракторов"),
        ("АО «Кокшетау Парк»", "KZ", "Фронтальные погрузчики"),
        ("ОсОО «Бишкек Литьё»", "KG", "Чугунное литьё по моделям заказчика"),
        ("ООО «Ереван Кабель»", "AM", "Кабели силовые медные"),
    )):
        org = Organisation(name=name, country_id=country, ref=f"L{n}", ref_source="live")
        org.save()
        Competency(organisation=org, description=text).save()
    engine.rebuild()
    return {"ok": True}


def change(path: str) -> dict[str, Any]:
    """One change through `path`; returns the word a search must now find and the public ID it must find."""
    from django.test import Client
    from rest_framework.test import APIClient

    from coopnet.registry.dedupe import merge
    from coopnet.registry.importing import import_bytes
    from coopnet.registry.models import Organisation

    admin = _admin()
    if path == "page":  # the organisation page's form for a new product line
        org = Organisation.objects.get(ref="L0")
        client = Client()
        client.force_login(admin)
        r = client.post(f"/registry/o/{org.public_id}/competency/add/",
                        {"description": "Гидравлические насосы шестерённые", "source": "page"})
        assert r.status_code == 302, r.status_code
        return {"text": "гидравлические насосы", "id": org.public_id}
    if path == "api":
        api = APIClient()
        api.force_authenticate(admin)
        org = Organisation.objects.get(ref="L1")
        r = api.post("/api/competencies/", {"organisation": org.public_id, "description": "Вилочные автопогрузчики"},
                     format="json")
        assert r.status_code == 201, r.content
        return {"text": "вилочные автопогрузчики", "id": org.public_id}
    if path == "import":
        data = ("ref,name,name_en,country,region,city,lat,lon,tax_id,nace,hs,products,employees,website\n"
                "I1,ТОО «Алматы Редуктор»,,KZ,,Алматы,,,,28.15,8483,Редукторы цилиндрические,,\n").encode()
        result = import_bytes(data, "live.csv", source="live-import", duplicates=False)
        assert result.ok and result.created == 1, list(result.lines())
        return {"text": "редукторы цилиндрические", "id": Organisation.objects.get(ref="I1").public_id}
    if path == "merge":  # the absorbed organisation's line moves to the survivor; the absorbed one is gone
        keep, absorb = Organisation.objects.get(ref="L2"), Organisation.objects.get(ref="L3")
        merge(keep, absorb, user=admin)
        return {"text": "кабели силовые", "id": keep.public_id, "gone": absorb.public_id}
    if path == "delete":
        api = APIClient()
        api.force_authenticate(admin)
        org = Organisation.objects.get(ref="I1")
        r = api.delete(f"/api/organisations/{org.public_id}/")
        assert r.status_code == 204, r.content
        return {"text": "редукторы цилиндрические", "gone": org.public_id}
    raise ValueError(f"unknown path {path!r}")


def _admin() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="live-admin")


if __name__ == "__main__":
    raise SystemExit(main())
