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
