"""The interface is complete in Russian and English."""
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "ru" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_pages_speak_russian_and_english(client) -> None:  # type: ignore[no-untyped-def]
    ru = client.get("/registry/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Реестр организаций" in ru
    en = client.get("/registry/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Registry of organisations" in en


def test_choices_are_translated() -> None:
    from coopnet.registry.choices import OrganisationKind

    with translation.override("ru"):
        assert str(OrganisationKind.ENTERPRISE.label) != "Enterprise"


def test_russian_catalogue_is_complete_and_valid() -> None:
    """Every message has a Russian translation and the catalogue compiles (msgfmt --check)."""
    import polib

    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    assert not untranslated, untranslated[:10]
    assert not catalogue.fuzzy_entries()
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo"))) if not e.msgid_plural}
    source = {e.msgid: e.msgstr for e in catalogue.translated_entries() if not e.msgid_plural}
    assert compiled == source, "django.mo is out of date: run msgfmt (see the Makefile's messages target)"


def test_msgfmt_check() -> None:
    msgfmt = Path("/usr/bin/msgfmt")
    result = subprocess.run([str(msgfmt), "--check", "-o", "/dev/null", str(PO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
