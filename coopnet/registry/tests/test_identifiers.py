"""Identifiers in the registry: public IDs on save, tax IDs checked by the model, aliases resolve."""
import pytest
from django.core.exceptions import ValidationError

from coopnet.logic.registry.identifiers import is_valid_public_id, parse_public_id
from coopnet.registry.importing import import_bytes

from .factories import organisation

pytestmark = pytest.mark.django_db


def test_saved_and_imported_organisations_get_valid_public_ids():
    org = organisation(name="ОАО «МАЗ»", country="BY", tax_id="600122610")
    assert is_valid_public_id(org.public_id) and parse_public_id(org.public_id) == ("BY", org.pk)
    result = import_bytes("ref,name,country\nK1,ПАО «КАМАЗ»,RU\n".encode(), "k.csv", source="ids",
                          duplicates=False)
    assert result.ok
    from coopnet.registry.models import Organisation

    kamaz = Organisation.objects.get(ref="K1")
    assert parse_public_id(kamaz.public_id) == ("RU", kamaz.pk)
    after = organisation(name="Later", country="KZ")  # the ORM continues after the bulk ids
    assert after.pk > kamaz.pk and is_valid_public_id(after.public_id)


@pytest.mark.parametrize(("country", "tax_id", "ok"), [
    ("RU", "7707083893", True), ("RU", "7707083894", False), ("BY", "600038906", True),
    ("KZ", "940140000385", True), ("KZ", "940140000386", False), ("AM", "0250008", False),
])
def test_model_validation_uses_the_country_rules(country, tax_id, ok):
    if ok:
        assert organisation(name="X", country=country, tax_id=tax_id).tax_id == tax_id
    else:
        with pytest.raises(ValidationError) as exc:
            organisation(name="X", country=country, tax_id=tax_id)
        assert "tax_id" in exc.value.message_dict
