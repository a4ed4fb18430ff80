"""The exchange on the real demo registry: lifecycle, permissions, interests, outcomes, search, API, commands."""
from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from coopnet.exchange import demo, engine
from coopnet.exchange.choices import InterestStatus, Outcome, Status
from coopnet.exchange.models import Interest, Opportunity, SavedSearch, TransitionError
from coopnet.logic.matching import run_match
from coopnet.registry.models import Competency, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo_registry: Any) -> dict[str, Any]:
    User = get_user_model()
    return {u: User.objects.get(username=u) for u in ("maz", "beshtau", "agromash", "ncp-by", "ncp-ru", "ncp-kz")}


def org(ref: str) -> Organisation:
    return Organisation.objects.get(ref=ref)


def make(owner: str = "BY-MAZ", **kw: Any) -> Opportunity:
    defaults = {"title": "Нужны дизельные двигатели", "description": "Дизельные двигатели для автобусов",
                "hs_codes": "8408"}
    opp = Opportunity(organisation=org(owner), **{**defaults, **kw})
    opp.full_clean(exclude=["country"])
    opp.save()
    return opp


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_lifecycle_review_publish_expire_renew_close(world: dict[str, Any]) -> None:
    opp = make()
    assert opp.country_id == "BY" and opp.status == Status.DRAFT
    with pytest.raises(TransitionError):
        opp.approve(world["ncp-by"])
    opp.submit()
    with pytest.raises(TransitionError, match="should change"):
        opp.request_changes(world["ncp-by"], "  ")
    opp.request_changes(world["ncp-by"], "Укажите мощность двигателя")
    assert opp.status == Status.CHANGES and opp.review_note
    opp.submit()
    opp.approve(world["ncp-by"], days=30)
    assert opp.status == Status.PUBLISHED and opp.is_open and opp.history.count() >= 5
    import datetime

    assert opp.expire_if_due(opp.expires_on + datetime.timedelta(days=1))
    assert opp.status == Status.EXPIRED
    opp.renew()
    assert opp.status == Status.PUBLISHED
    with pytest.raises(TransitionError):
        opp.close("nonsense")
    with pytest.raises(TransitionError):  # a partner is named only once the owner accepted its interest
        opp.close(Outcome.SUPPLY, org("RU-KAMAZ"))
    Interest.objects.create(opportunity=opp, organisation=org("RU-KAMAZ"), message="Поставим").answer(True, "Да")
    opp.close(Outcome.SUPPLY, org("RU-KAMAZ"))
    assert opp.status == Status.CLOSED and opp.outcome == Outcome.SUPPLY and opp.outcome_partner == org("RU-KAMAZ")


def test_reject_needs_reason_and_codes_are_validated(world: dict[str, Any]) -> None:
    opp = make()
    opp.submit()
    with pytest.raises(TransitionError):
        opp.reject(world["ncp-by"], "")
    opp.reject(world["ncp-by"], "Не относится к промышленной кооперации")
    assert opp.status == Status.REJECTED
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make(hs_codes="87a4")
    with pytest.raises(ValidationError):
        make(kind="subcontracting")  # a subcontracting request names the part


def test_visibility_and_review_queue_follow_the_country(world: dict[str, Any]) -> None:
    draft = make(title="Черновик")
    pending = make(title="На проверке")
    pending.submit()
    assert not Opportunity.objects.restrict(world["beshtau"]).filter(pk=draft.pk).exists()
    assert Opportunity.objects.restrict(world["maz"]).filter(pk=draft.pk).exists()
    assert list(Opportunity.objects.review_queue(world["ncp-by"])) == [pending]
    assert not Opportunity.objects.review_queue(world["ncp-ru"]).exists()
    c = client_for(world["ncp-ru"])
    c.post(f"/exchange/o/{pending.pk}/review/", {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == Status.REVIEW  # not RU's contact point
    c = client_for(world["ncp-by"])
    c.post(f"/exchange/o/{pending.pk}/review/", {"decision": "approve"})
    pending.refresh_from_db()
    assert pending.status == Status.PUBLISHED


def test_interest_anonymous_brokered_answer_and_agreement_rate(world: dict[str, Any]) -> None:
    opp = make()
    opp.submit()
    opp.approve(world["ncp-by"])
    c = client_for(world["beshtau"])
    r = c.post(f"/exchange/o/{opp.pk}/interest/", {"message": "Можем поставить", "anonymous": "on", "brokered": "on"})
    assert r.status_code == 302
    interest = Interest.objects.get(opportunity=opp)
    assert interest.status == InterestStatus.BROKERING
    assert not Interest.objects.restrict(world["maz"]).exists()  # the owner sees it after the contact point
    assert Interest.objects.restrict(world["ncp-ru"]).exists()
    client_for(world["ncp-ru"]).post(f"/exchange/interest/{interest.pk}/forward/")
    interest.refresh_from_db()
    assert interest.status == InterestStatus.FORWARDED
    assert interest.shown_to_owner().startswith("An organisation from RU")
    page = client_for(world["maz"]).get(opp.get_absolute_url()).content.decode()
    assert "An organisation from RU" in page and "Бештау" not in page.split("interests")[-1]
    client_for(world["maz"]).post(f"/exchange/interest/{interest.pk}/answer/", {"accept": "1", "reply": "Давайте"})
    interest.refresh_from_db()
    assert interest.status == InterestStatus.ACCEPTED
    client_for(world["maz"]).post(f"/exchange/o/{opp.pk}/close/", {"outcome": "supply",
                                                                    "partner": str(org("RU-BESHTAU").pk)})
    interest.refresh_from_db()
    assert interest.status == InterestStatus.AGREEMENT
    from coopnet.exchange.services import outcome_figures

    figures = outcome_figures()
    assert figures["agreements"] == 1 and figures["contacts"] == 1 and figures["rate_percent"] == 100
    # nobody expresses interest twice, nor in their own opportunity
    r = c.post(f"/exchange/o/{opp.pk}/interest/", {"message": "ещё раз"})
    assert Interest.objects.filter(opportunity=opp).count() == 1


def test_engine_index_from_the_registry_finds_demo_suppliers(
    world: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.MATCH_INDEX_DIR = str(tmp_path)
    index = engine.refresh()
    ru = [m.ref for m in index.match(engine.parse_request({"text": "нужны тракторные двигатели"}))]
    en = [m.ref for m in index.match(engine.parse_request({"text": "tractor engines"}))]
    assert "BY-MMZ" in ru[:3] and "BY-MMZ" in en[:3]
    line = Competency.objects.filter(organisation__ref="BY-MOGILEVLIFTMASH").first()
    line.description = "Эскалаторы для метрополитена"
    line.save()
    again = engine.get_index()  # the change is in this process's overlay, before the writer applies it
    assert line.organisation_id in again.shadow
    found = again.match(engine.parse_request({"text": "эскалаторы для метрополитена"}))
    assert found[0].ref == "BY-MOGILEVLIFTMASH" and found[0].suitable


def test_shared_index_is_opened_by_the_next_process_and_follows_the_change_log(
    world: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.MATCH_INDEX_DIR = str(tmp_path)
    out = StringIO()
    call_command("matchindex", "--warm", stdout=out)
    assert "built from the registry" in out.getvalue()
    first = engine.current_name()
    assert first and str(tmp_path / first) in out.getvalue()
    params = {"text": "нужны тракторные двигатели", "buyer_country": "KZ", "quantity": 100}
    expected = run_match(engine.get_index(), params)
    assert "BY-MMZ" in [r["ref"] for r in expected["results"][:3]]
    engine._serving.__init__()  # type: ignore[misc]  # a new process: nothing in memory
    assert run_match(engine.get_index(), params) == expected  # the same files, no build
    assert engine._serving.origin == "shared"
    line = Competency.objects.filter(organisation__ref="BY-MOGILEVLIFTMASH").first()
    line.description = "Лифты грузовые"
    line.save()
    position = engine.open_generation(first).position  # type: ignore[union-attr]
    assert line.organisation_id in engine.get_index().shadow  # seen at once, from the overlay
    out = StringIO()
    call_command("matchindex", stdout=out)  # the writer applies the log: the shared index has it now
    assert "brought up to the change log" in out.getvalue() and engine.current_name() == first
    gen = engine.open_generation(first)
    assert gen is not None and gen.position > position
    index = engine.get_index()
    assert not index.shadow and index.match(engine.parse_request({"text": "лифты грузовые"}))[0].ref == (
        "BY-MOGILEVLIFTMASH")
    call_command("matchindex", "--rebuild", stdout=StringIO())  # a new generation, switched to
    second = engine.current_name()
    assert second != first and (tmp_path / first).exists()  # the previous one stays for the workers still on it
    assert run_match(engine.get_index(), params) == expected
    (tmp_path / second / "position.json").write_text("damaged")  # a damaged generation is not opened
    engine._serving.__init__()  # type: ignore[misc]
    assert engine.open_generation(second) is None
    assert run_match(engine.get_index(), params) == expected  # small registry: indexed in memory meanwhile
    assert engine._serving.origin == "registry"
    settings.MATCH_COLD_MAX = 10  # a large registry without an index says so instead of building in a request
    engine._serving.__init__()  # type: ignore[misc]
    with pytest.raises(engine.IndexNotReady):
        engine.get_index()
    assert Client().post("/api/match/", {"text": "двигатели"}, content_type="application/json").status_code == 503
    assert "being prepared" in Client().get("/exchange/", {"text": "двигатели"}).content.decode()
    engine._serving.__init__()  # type: ignore[misc]


def test_search_page_and_fits_and_saved_search(world: dict[str, Any]) -> None:
    c = client_for(world["maz"])
    page = c.get("/exchange/", {"text": "нужны тракторные двигатели"}).content.decode()
    assert "data-testid=\"result\"" in page and "words matched" in page
    assert 'data-testid="save-search"' in page
    c.post("/exchange/save/", {"text": "нужны тракторные двигатели"})
    assert SavedSearch.objects.filter(user=world["maz"]).count() == 1
    assert "HS code" in c.get("/exchange/", {"text": "x", "hs": "87a4"}).content.decode()
    opp = make(owner="RU-BESHTAU", title="Нужны дизельные двигатели для генераторов", hs_codes="8408")
    opp.submit()
    opp.approve(world["ncp-ru"])
    fits = engine.fits_for_organisation(org("BY-MMZ"))
    assert [o.pk for o, _ in fits] == [opp.pk]
    assert "Нужны дизельные двигатели" in Client().get(f"/exchange/fits/{org('BY-MMZ').public_id}/").content.decode()
    assert c.get("/exchange/fits/").status_code == 200


def test_board_consortium_pages_and_demo(world: dict[str, Any]) -> None:
    out = StringIO()
    demo.load(out)
    demo.load(out)
    assert Opportunity.objects.filter(source_note=demo.NOTE).count() == len(demo.OPPORTUNITIES)
    c = client_for(world["ncp-ru"])
    board = c.get("/exchange/board/").content.decode()
    assert "review-queue" in board and "компоненты тормозных систем" in board
    assert Opportunity.objects.filter(status=Status.CLOSED, outcome=Outcome.SUPPLY).exists()
    r = c.post("/exchange/consortium/", {"lines": "hs:8408\nшины\nсистемные блоки", "min_countries": "3"})
    assert r.status_code == 200 and "data-testid=\"consortium\"" in r.content.decode()
    r = c.post("/exchange/consortium/", {"lines": "", "min_countries": "3"})
    assert "Give component lines" in r.content.decode()


def test_api_match_contract_and_errors(world: dict[str, Any]) -> None:
    api = APIClient()
    r = api.post("/api/match/", {"text": "зерноуборочный комбайн", "limit": 3}, format="json")
    assert r.status_code == 200
    first = r.json()["results"][0]
    assert set(first) >= {"ref", "id", "name", "country", "score", "reasons"} and first["reasons"]
    for bad in ({"text": ""}, {"text": "x", "hs": ["87a4"]}, {"text": "x", "limit": 0}, {"oops": 1}, []):
        r = api.post("/api/match/", bad, format="json")
        assert r.status_code == 400 and r.json()["detail"]
    r = api.post("/api/consortium/", {"lines": ["hs:8408", "шины", "системные блоки"]}, format="json")
    assert r.status_code == 200 and r.json()["consortia"]
    assert api.post("/api/consortium/", {"lines": "x"}, format="json").status_code == 400
    assert api.get("/api/opportunities/").status_code == 200


def test_match_command_json_and_bad_arguments(world: dict[str, Any]) -> None:
    out = StringIO()
    call_command("match", "--text", "diesel engines for tractors", "--countries", "BY,RU", "--limit", "3",
                 "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["results"] and all(r["country"] in ("BY", "RU") for r in data["results"])
    assert any(r["ref"] == "BY-MMZ" for r in data["results"])
    with pytest.raises(CommandError, match="HS code"):
        call_command("match", "--text", "x", "--hs", "12345", "--format", "json")
    with pytest.raises(CommandError, match="limit"):
        call_command("match", "--text", "x", "--limit", "many", "--format", "json")
    out = StringIO()
    call_command("consortium", "--line", "hs:8408", "--line", "шины", "--line", "системные блоки", stdout=out)
    assert "complete" in out.getvalue() or "gaps" in out.getvalue()


def test_expire_command(world: dict[str, Any]) -> None:
    import datetime

    opp = make()
    opp.submit()
    opp.approve(world["ncp-by"])
    Opportunity.objects.filter(pk=opp.pk).update(expires_on=datetime.date(2020, 1, 1))
    out = StringIO()
    call_command("expireopportunities", stdout=out)
    opp.refresh_from_db()
    assert opp.status == Status.EXPIRED and out.getvalue().startswith("1 ")


def test_openapi_schema_describes_match(world: dict[str, Any]) -> None:
    body = Client().get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/match/" in body and "/api/consortium/" in body
