"""Small builders for registry tests (real models, real database)."""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from coopnet.accounts.models import Profile
from coopnet.registry.models import Competency, Organisation


def organisation(name: str = "ОАО «Тестовый завод»", country: str = "BY", **kwargs: Any) -> Organisation:
    org = Organisation(name=name, country_id=country, **kwargs)
    org.full_clean(exclude=["public_id"])
    org.save()
    return org


def competency(org: Organisation, description: str = "Тракторы", hs: str = "8701", nace: str = "28.30",
               **kwargs: Any) -> Competency:
    line = Competency(organisation=org, description=description, hs_codes=hs, nace_codes=nace, **kwargs)
    line.full_clean()
    line.save()
    return line


def user(username: str, role: str, country: str | None = None, org: Organisation | None = None) -> Any:
    account = get_user_model().objects.create_user(username=username, password="pw-" + username)
    Profile.objects.create(user=account, role=role, country_id=country, organisation=org)
    return account
