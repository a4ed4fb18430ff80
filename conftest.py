"""Shared pytest fixtures: every test run starts from the reference data that `migrate` loads."""
from __future__ import annotations

import pytest


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
