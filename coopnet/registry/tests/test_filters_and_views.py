import pytest
from django.urls import reverse

from coopnet.registry.filtersets import OrganisationFilterSet
from coopnet.registry.models import Organisation

from .factories import competency, organisation, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs() -> dict[str, Organisation]:
    mtz = organisation(name="ОАО «Минский тракторный завод»", name_en="Minsk Tractor Works", country="BY",
                       region_id="BY-HM", city="Минск")
    competency(mtz, "Тракторы «Беларус»", hs="870192;870193", nace="28.30", certifications="TR CU 031/2012")
    maz = organisation(name="ОАО «МАЗ»", country="BY", region_id="BY-HM")
    competency(maz, "Грузовые автомобили", hs="8704", nace="29.10")
    kz = organisation(name="ТОО «АгромашХолдинг KZ»", country="KZ", region_id="KZ-39")
    competency(kz, "Комбайны", hs="843351", nace="28.30")
    return {"mtz": mtz, "maz": maz, "kz": kz}


def names(data: dict) -> set[str]:
    fs = OrganisationFilterSet(data, queryset=Organisation.objects.all())
    assert fs.is_valid(), fs.errors
    return {o.name for o in fs.qs}


def test_filters(orgs: dict[str, Organisation]) -> None:
    assert names({"hs": "87"}) == {orgs["mtz"].name, orgs["maz"].name}
    assert names({"hs": "8701"}) == {orgs["mtz"].name}
    assert names({"hs": "870192"}) == {orgs["mtz"].name}
    assert names({"nace": "28"}) == {orgs["mtz"].name, orgs["kz"].name}
    assert names({"nace": "28.30", "country": ["KZ"]}) == {orgs["kz"].name}
    assert names({"q": "tractor"}) == {orgs["mtz"].name}
    assert names({"q": "Комбайны"}) == {orgs["kz"].name}
    assert names({"certification": "031/2012"}) == {orgs["mtz"].name}
    assert names({"region": ["BY-HM"]}) == {orgs["mtz"].name, orgs["maz"].name}


def test_bad_code_filter_is_a_form_error(orgs: dict[str, Organisation]) -> None:
    fs = OrganisationFilterSet({"hs": "87x"}, queryset=Organisation.objects.all())
    assert not fs.is_valid()
    assert "hs" in fs.errors


def test_list_page_and_detail(client, orgs: dict[str, Organisation]) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("registry:organisation_list"), {"hs": "8701"})
    assert response.status_code == 200
    assert "Minsk Tractor Works" in response.content.decode()  # the English name on an English page
    assert "АгромашХолдинг" not in response.content.decode()
    detail = client.get(orgs["mtz"].get_absolute_url())
    assert detail.status_code == 200
    assert "870192" in detail.content.decode()
    assert client.get(reverse("registry:organisation_list"), {"hs": "<script>"}).status_code == 200


def test_edit_only_own_organisation(client, orgs: dict[str, Organisation]) -> None:  # type: ignore[no-untyped-def]
    owner = user("mtz-user", "enterprise", "BY", orgs["mtz"])
    client.force_login(owner)
    url = reverse("registry:organisation_edit", kwargs={"public_id": orgs["mtz"].public_id})
    assert client.get(url).status_code == 200
    other = reverse("registry:organisation_edit", kwargs={"public_id": orgs["kz"].public_id})
    assert client.get(other).status_code == 404
    assert client.post(other, {"name": "hijacked", "country": "KZ", "kind": "enterprise"}).status_code == 404
    orgs["kz"].refresh_from_db()
    assert orgs["kz"].name != "hijacked"


def test_edit_is_attributed(client, orgs: dict[str, Organisation]) -> None:  # type: ignore[no-untyped-def]
    ncp = user("ncp-by", "contact_point", "BY")
    client.force_login(ncp)
    url = reverse("registry:organisation_edit", kwargs={"public_id": orgs["maz"].public_id})
    response = client.post(url, {"name": "ОАО «Минский автомобильный завод»", "country": "BY", "region": "BY-HM",
                                 "kind": "enterprise", "city": "Минск"})
    assert response.status_code == 302
    latest = orgs["maz"].history.first()
    assert latest.history_user == ncp and latest.city == "Минск"
    history = client.get(reverse("registry:organisation_history", kwargs={"public_id": orgs["maz"].public_id}))
    assert "ncp-by" in history.content.decode()


def test_add_competency_with_bad_code_shows_error(client, orgs: dict[str, Organisation]) -> None:  # type: ignore[no-untyped-def]
    client.force_login(user("mtz-user", "enterprise", "BY", orgs["mtz"]))
    url = reverse("registry:child_add", kwargs={"public_id": orgs["mtz"].public_id, "kind": "competency"})
    response = client.post(url, {"description": "Двигатели", "hs_codes": "84O8", "nace_codes": ""})
    assert response.status_code == 200
    assert "digits" in response.content.decode()
    response = client.post(url, {"description": "Двигатели", "hs_codes": "8408.20", "nace_codes": "28.11"})
    assert response.status_code == 302
    assert orgs["mtz"].competencies.filter(hs_codes="840820").exists()


def test_competency_map_data(client, orgs: dict[str, Organisation]) -> None:  # type: ignore[no-untyped-def]
    data = client.get(reverse("registry:competency_map_data"), {"scheme": "nace", "code": "28"}).json()
    assert data["total"] == 2
    assert {r["code"]: r["count"] for r in data["regions"]} == {"BY-HM": 1, "KZ-39": 1}
    page = client.get(reverse("registry:competency_map"), {"scheme": "hs", "code": "87"})
    assert page.status_code == 200
    assert page.context["data"]["total"] == 2
    assert 'data-testid="map-total">2<' in page.content.decode()
    bad = client.get(reverse("registry:competency_map_data"), {"scheme": "hs", "code": "8x"})
    assert bad.status_code == 400 and "digits" in bad.json()["error"]
