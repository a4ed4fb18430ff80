"""Duplicates across the registry: candidates, review decisions, merge with aliases and history."""
import json

import pytest
from django.core.management import call_command

from coopnet.registry.dedupe import decide, load_records, merge, resolve_public_id, scan
from coopnet.registry.models import DuplicateCandidate, Organisation, PublicIdAlias
from coopnet.registry.models.duplicates import DuplicateStatus

from .factories import competency, organisation, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    ru = organisation(name="ОАО «БелАЗ»", country="BY", region_id="BY-MI", city="Жодино", tax_id="600038906")
    competency(ru, "Тракторы", hs="8701", nace="28.30")
    en = organisation(name="BELAZ OJSC", country="BY", city="Zhodino", tax_id="600038906")
    competency(en, "Tractors", hs="8701")
    other = organisation(name="ОАО «Минский автомобильный завод»", country="BY", city="Минск", tax_id="600122610")
    return ru, en, other


def test_load_records_has_all_names_and_codes(pair):
    ru, _, _ = pair
    rec = next(r for r in load_records() if r.id == str(ru.pk))
    assert "ОАО «БелАЗ»" in rec.names and "8701" in rec.hs and rec.tax_id == "600038906"


def test_scan_finds_the_bilingual_pair_only(pair):
    ru, en, other = pair
    found = scan()
    assert [(c.organisation_a_id, c.organisation_b_id) for c in found] == [(ru.pk, en.pk)]
    cand = found[0]
    assert cand.status == DuplicateStatus.AUTOMATIC and cand.confidence >= 0.92
    assert any("same tax ID" in r for r in cand.reasons)
    assert scan() and DuplicateCandidate.objects.count() == 1  # a second pass does not duplicate the pair


def test_rejected_pair_is_not_asked_again(pair):
    cand = scan()[0]
    decide(cand, "reject", user=user("rev", "admin"))
    scan()
    cand.refresh_from_db()
    assert cand.status == DuplicateStatus.REJECTED and cand.decided_by.username == "rev"


def test_merge_keeps_both_histories_and_the_old_public_id_resolves(pair):
    ru, en, _ = pair
    reviewer = user("merger", "admin")
    old_id = en.public_id
    history_before = en.history.count()
    cand = scan()[0]
    decide(cand, "merge", user=reviewer, keep="a")
    en.refresh_from_db()
    cand.refresh_from_db()
    assert en.merged_into == ru and cand.status == DuplicateStatus.MERGED and cand.decided_by == reviewer
    assert Organisation.objects.filter(pk=en.pk).exists()  # the absorbed record stays
    assert en.history.count() == history_before + 1 and en.history.first().history_user == reviewer
    assert PublicIdAlias.objects.get(public_id=old_id).organisation == ru
    assert resolve_public_id(old_id) == ru and resolve_public_id(ru.public_id) == ru
    assert resolve_public_id("BY-ZZZZZZZ-0") is None
    assert ru.competencies.count() == 2
    assert set(ru.names.values_list("name", flat=True)) >= {"BELAZ OJSC"}
    assert not scan() or all(c.status == DuplicateStatus.MERGED for c in DuplicateCandidate.objects.all())


def test_merge_follows_chains_and_refuses_nonsense(pair):
    ru, en, other = pair
    merge(ru, en)
    with pytest.raises(ValueError):
        merge(ru, ru)
    with pytest.raises(ValueError):
        merge(other, en)  # already merged
    merge(other, ru)
    assert resolve_public_id(en.public_id) == other
    assert PublicIdAlias.objects.get(public_id=en.public_id).organisation == other


def test_duplicates_command_json_and_auto_merge(pair, capsys):
    ru, en, _ = pair
    call_command("duplicates", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 1 and data["results"][0]["status"] == "automatic"
    call_command("duplicates", "--auto-merge")
    en.refresh_from_db()
    assert en.merged_into_id == ru.pk


def test_thresholds_are_parameters():
    a = organisation(name="ОАО «Гомсельмаш»", country="BY")
    b = organisation(name="Gomselmash", country="BY")
    found = scan(auto_threshold=0.99, review_threshold=0.5)
    assert [(c.organisation_a_id, c.organisation_b_id, c.status) for c in found] == [
        (a.pk, b.pk, DuplicateStatus.PENDING)]
    DuplicateCandidate.objects.all().delete()
    assert scan(auto_threshold=0.6, review_threshold=0.5)[0].status == DuplicateStatus.AUTOMATIC
    DuplicateCandidate.objects.all().delete()
    assert scan(auto_threshold=1.0, review_threshold=1.0) == []


def test_duplicate_review_page(client, pair):
    ru, en, _ = pair
    scan()
    assert client.get("/registry/duplicates/").status_code == 302
    client.force_login(user("page-rev", "contact_point", country="RU"))
    assert b"No pairs to review" in client.get("/registry/duplicates/").content  # not their country
    client.force_login(user("page-admin2", "admin"))
    page = client.get("/registry/duplicates/")
    assert page.status_code == 200 and "BELAZ OJSC" in page.content.decode()
    cand = DuplicateCandidate.objects.get()
    response = client.post(f"/registry/duplicates/{cand.pk}/decide/", {"action": "merge", "keep": "b"})
    assert response.status_code == 302
    ru.refresh_from_db()
    assert ru.merged_into == en
    assert client.get(f"/registry/o/{ru.public_id}/").status_code in (200, 301, 302)
    client.force_login(user("page-ent2", "enterprise"))
    assert client.get("/registry/duplicates/").status_code == 403
