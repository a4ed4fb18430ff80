"""Demo accounts, one per role, so a newcomer can try every side of the platform."""
from __future__ import annotations

from django.contrib.auth import get_user_model

from coopnet.registry.models import Organisation

from .choices import Role
from .models import Profile

DEMO_PASSWORD = "coopnet-demo"

# username, role, country, organisation ref (demo registry), full name
ACCOUNTS = (
    ("admin", Role.ADMIN, None, None, "Administrator"),
    ("ncp-by", Role.CONTACT_POINT, "BY", None, "National contact point of Belarus"),
    ("ncp-ru", Role.CONTACT_POINT, "RU", None, "National contact point of Russia"),
    ("ncp-kz", Role.CONTACT_POINT, "KZ", None, "National contact point of Kazakhstan"),
    ("maz", Role.ENTERPRISE, "BY", "BY-MAZ", "MAZ user"),
    ("beshtau", Role.ENTERPRISE, "RU", "RU-BESHTAU", "Beshtau Electronics user"),
    ("agromash", Role.ENTERPRISE, "KZ", "KZ-AGROMASHHOLDING", "AgromashHolding KZ user"),
    ("sber", Role.BANK, "RU", "RU-SBERBANK", "Sberbank user"),
    ("gpb", Role.BANK, "RU", "RU-GAZPROMBANK", "Gazprombank user"),
    ("eec", Role.COMMISSION, None, None, "Eurasian Economic Commission officer"),
    ("minprom-by", Role.MINISTRY, "BY", None, "Ministry of Industry of Belarus"),
    ("analyst", Role.ANALYST, None, None, "Analyst"),
)


def load() -> list[str]:
    User = get_user_model()
    lines = []
    for username, role, country, ref, full_name in ACCOUNTS:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save()
        org = Organisation.objects.filter(ref=ref).first() if ref else None
        Profile.objects.update_or_create(user=user, defaults={"role": role, "country_id": country,
                                                              "organisation": org})
        lines.append(f"  {username:<11} {Role(role).label}{f' — {org.name}' if org else ''}")
    return [f"Demo accounts (password: {DEMO_PASSWORD}):", *lines]
