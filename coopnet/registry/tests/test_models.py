import pytest
from django.core.exceptions import ValidationError

from coopnet.logic.registry.identifiers import is_valid_public_id
from coopnet.registry.models import CompetencyCode, Organisation

from .factories import competency, organisation, user

pytestmark = pytest.mark.django_db


def test_public_id_is_country_prefixed_and_checked() -> None:
    org = organisation(country="KZ")
    assert org.public_id.startswith("KZ-")
    assert is_valid_public_id(org.public_id)
    assert Organisation.objects.get(public_id=org.public_id) == org


def test_region_must_belong_to_country() -> None:
    with pytest.raises(ValidationError) as exc:
        organisation(country="BY", region_id="KZ-39")
    assert "region" in exc.value.message_dict


def test_tax_id_checked_by_country_rules() -> None:
    org = organisation(name="ПАО Сбербанк", country="RU", tax_id="7707083893")
    assert org.tax_id == "7707083893"
    with pytest.raises(ValidationError) as exc:
        organisation(name="Bad", country="RU", tax_id="7707083894")
    assert "tax_id" in exc.value.message_dict


def test_size_class_from_employees() -> None:
    assert organisation(employees=12).size == "small"
    assert organisation(name="Big", employees=5000).size == "large"


def test_competency_codes_normalised_and_indexed() -> None:
    org = organisation()
    line = competency(org, hs="8701.20; 8701.20 ; 84", nace="2830")
    assert line.hs_codes == "870120;84"
    assert line.nace_codes == "28.30"
    rows = set(CompetencyCode.objects.filter(competency=line).values_list("scheme", "code"))
    assert rows == {("hs", "870120"), ("hs", "84"), ("nace", "28.30")}
    line.hs_codes = "8704"
    line.save()
    assert set(CompetencyCode.objects.filter(competency=line, scheme="hs").values_list("code", flat=True)) == {"8704"}


def test_competency_rejects_bad_codes() -> None:
    org = organisation()
    with pytest.raises(ValidationError) as exc:
        competency(org, hs="87a1", nace="ABC")
    assert set(exc.value.message_dict) == {"hs_codes", "nace_codes"}


def test_every_change_is_kept_in_history_with_user() -> None:
    editor = user("editor", "admin")
    org = organisation()
    org._history_user = editor
    org.city = "Минск"
    org.save()
    records = list(org.history.all())
    assert len(records) == 2
    assert records[0].city == "Минск" and records[0].history_user == editor
    assert records[1].history_type == "+"


def test_restrict_change_by_role() -> None:
    by = organisation(name="A", country="BY")
    ru = organisation(name="B", country="RU")
    own = user("own", "enterprise", "BY", by)
    ncp = user("ncp", "contact_point", "RU")
    analyst = user("analyst", "analyst")
    admin = user("boss", "admin")
    assert list(Organisation.objects.restrict(own, "change")) == [by]
    assert list(Organisation.objects.restrict(ncp, "change")) == [ru]
    assert not Organisation.objects.restrict(analyst, "change").exists()
    assert Organisation.objects.restrict(admin, "change").count() == 2
    assert Organisation.objects.restrict(None, "view").count() == 2
    assert not Organisation.objects.restrict(None, "change").exists()
    with pytest.raises(ValueError):
        Organisation.objects.restrict(admin, "destroy")
