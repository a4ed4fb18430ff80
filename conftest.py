"""Shared pytest fixtures: every test run starts from the reference data that `migrate` loads."""
from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests: no per-example deadline (a shared 2-core machine makes timings noisy); in CI, a fixed
# sequence of examples so that a red run can be reproduced exactly.
hypothesis_settings.register_profile("coopnet", deadline=None)
hypothesis_settings.register_profile("coopnet-ci", deadline=None, derandomize=True, database=None)
hypothesis_settings.load_profile("coopnet-ci" if os.environ.get("CI") else "coopnet")


@pytest.fixture
def reference_data(db):  # type: ignore[no-untyped-def]
    """Countries, regions, HS and NACE (a transactional test flushes what the migration loaded)."""
    from coopnet.reference.loading import load
    from coopnet.reference.models import Country, HSCode, NACECode, Region

    if not Country.objects.exists():
        load(Country, Region, HSCode, NACECode)


@pytest.fixture
def demo_registry(reference_data):  # type: ignore[no-untyped-def]
    """The real demo organisations and the demo accounts."""
    from coopnet.accounts.demo import load as load_accounts
    from coopnet.registry.demo import load

    load()
    load_accounts()


@pytest.fixture(autouse=True)
def _english_by_default(settings):  # type: ignore[no-untyped-def]
    """Tests read English messages unless they ask for Russian (the product's default language is Russian)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _match_index(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Each test process keeps its partner-search index apart; no writer thread follows the test database."""
    settings.MATCH_INDEX_DIR = tmp_path_factory.getbasetemp() / "matchindex"
    settings.MATCH_INDEX_FOLLOW = False
    yield


@pytest.fixture
def demo_accounts(reference_data):  # type: ignore[no-untyped-def]
    """The demo accounts (coopnet/accounts/demo.py, one per role) and the organisations they act for, each
    with a product line: what permission tests need of the demo, without loading the whole registry.
    Log in with `client.force_login(User.objects.get(username=...))`."""
    from django.contrib.auth import get_user_model

    from coopnet.accounts.demo import ACCOUNTS
    from coopnet.accounts.models import Profile
    from coopnet.registry.models import Competency, Organisation

    for ref, name, country, kind in (("BY-MAZ", "ОАО «Минский автомобильный завод»", "BY", "enterprise"),
                                     ("KZ-AGROMASHHOLDING", "АО «Агромашхолдинг KZ»", "KZ", "enterprise"),
                                     ("RU-BESHTAU", "ООО «Бештау Электроникс»", "RU", "enterprise"),
                                     ("RU-SBERBANK", "ПАО Сбербанк", "RU", "bank"),
                                     ("RU-GAZPROMBANK", "«Газпромбанк» (Акционерное общество)", "RU", "bank")):
        org = Organisation.objects.create(ref=ref, name=name, country_id=country, kind=kind, city="Минск",
                                          region_id="BY-MI" if country == "BY" else None,
                                          source="seed.txt:1", source_note="seed")
        Competency.objects.create(organisation=org, description="Грузовые автомобили и дизельные двигатели",
                                  hs_codes="8704; 8408", nace_codes="29.10", source="seed.txt:2")
    for username, role, country, ref, full_name in ACCOUNTS:
        user = get_user_model().objects.create(username=username, first_name=full_name,
                                               is_staff=role == "admin", is_superuser=role == "admin")
        Profile.objects.create(user=user, role=role, country_id=country,
                               organisation=Organisation.objects.filter(ref=ref).first() if ref else None)
