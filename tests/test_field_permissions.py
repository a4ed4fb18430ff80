"""Who may write which field, tried for every field of every writable API serializer and web form, as every
demo role (admin, contact_point, enterprise, bank, commission, ministry, analyst, anonymous).

For each (target, role) the test sends, one field at a time, a new value for every field the serializer or
form has, and for the fields that are never the owner's (organisation, country, ref, source, source_note,
is_synthetic) even when the form does not show them. It then reads the row back. A role that the table
below does not give the field must leave it unchanged (and get a clear answer, never a 500); a role that it
does give the field must have changed it. The table is the specification, written here independently of
the application's own rules (`write_rules` on the models, `restrict()` on the querysets).

To cover a new model: add a `Target` (where its rows are edited, and a row to edit) and its line in
`MAY_WRITE`; the fields come from its serializer or form.
"""
from __future__ import annotations

import html.parser
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.test import Client

pytestmark = pytest.mark.django_db

#: demo account per role (coopnet/accounts/demo.py); None is an anonymous visitor
ROLES = {"admin": "admin", "contact_point": "ncp-by", "enterprise": "maz", "bank": "sber", "commission": "eec",
         "ministry": "minprom-by", "analyst": "analyst", "anonymous": None}
ALL = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()

# Who may change the rows used below (MAZ, of Belarus; a plan document Belarus is a party to; MAZ's draft).
REGISTRY_ROW = frozenset({"admin", "contact_point", "enterprise"})
PLAN_ROW = frozenset({"admin", "contact_point", "commission", "ministry"})
OPPORTUNITY_ROW = frozenset({"admin", "enterprise"})
ADMIN = frozenset({"admin"})

#: model label -> (roles that may write an ordinary field of the row, {field: roles} for the exceptions)
MAY_WRITE: dict[str, tuple[frozenset[str], dict[str, frozenset[str]]]] = {
    "registry.Organisation": (REGISTRY_ROW, {"country": ADMIN, "ref": ADMIN, "source": ADMIN, "source_note": ADMIN,
                                             "is_synthetic": ADMIN, "public_id": NOBODY, "merged_into": NOBODY,
                                             "ref_source": NOBODY}),
    "registry.Competency": (REGISTRY_ROW, {"organisation": NOBODY, "source": ADMIN, "source_note": ADMIN,
                                           "is_synthetic": ADMIN, "from_import": NOBODY}),
    "registry.Site": (REGISTRY_ROW, {"organisation": NOBODY, "source": ADMIN, "source_note": ADMIN,
                                     "is_synthetic": ADMIN}),
    "registry.Link": (REGISTRY_ROW, {"organisation": NOBODY, "source": ADMIN, "source_note": ADMIN,
                                     "is_synthetic": ADMIN}),
    "registry.OrganisationName": (REGISTRY_ROW, {"organisation": NOBODY, "source": ADMIN, "source_note": ADMIN,
                                                 "is_synthetic": ADMIN}),
    "plans.Document": (PLAN_ROW, {"source": NOBODY, "is_synthetic": NOBODY, "source_note": ADMIN, "ref": NOBODY}),
    "plans.Measure": (PLAN_ROW, {"document": NOBODY, "status": NOBODY, "source": NOBODY, "is_synthetic": NOBODY,
                                 "source_note": ADMIN}),
    "exchange.Opportunity": (OPPORTUNITY_ROW, {"organisation": NOBODY, "country": NOBODY, "status": NOBODY,
                                               "source": NOBODY, "source_note": NOBODY, "is_synthetic": NOBODY,
                                               "outcome": NOBODY, "outcome_partner": NOBODY, "created_by": NOBODY,
                                               "reviewed_by": NOBODY, "review_note": NOBODY}),
}
#: read-only by design in every API answer (computed, stamps, nested read-only lists)
COMPUTED = {"id", "url", "created", "updated", "hs", "nace", "names", "competencies", "sites", "links",
            "directions", "measures_count", "public_id", "merged_into"}
#: fields whose new value needs rows the test does not build (joint projects of the financing register): only
#: the refusal side is checked
NEEDS_OTHER_ROWS = {"projects"}
#: stamps that every accepted write moves: checked only in that no one can set them
STAMPS = {"created", "updated"}
#: never the owner's: tried on every target even when its serializer or form does not have them
SENSITIVE = ("organisation", "country", "ref", "source", "source_note", "is_synthetic")


def expected_writers(label: str, name: str) -> frozenset[str]:
    from django.apps import apps

    row, exceptions = MAY_WRITE[label]
    if name in exceptions:
        return exceptions[name]
    try:
        model_field = apps.get_model(label)._meta.get_field(name)
        editable = model_field.editable and not model_field.primary_key
    except Exception:
        editable = False
    return NOBODY if name in COMPUTED and not editable else row


@dataclass
class Target:
    name: str
    model: str
    #: the row to edit (created once per test)
    row: Callable[[], Any]
    #: API detail URL, or web edit URL of the row
    url: Callable[[Any], str]
    web: bool = False
    #: fields whose new value has to be valid for the row (the rest get a generic new value)
    values: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


def organisation(ref: str = "BY-MAZ") -> Any:
    from coopnet.registry.models import Organisation

    return Organisation.objects.get(ref=ref)


def maz_competency() -> Any:
    return organisation().competencies.order_by("pk").first()


def maz_site() -> Any:
    from coopnet.registry.models import Site

    return Site.objects.create(organisation=organisation(), kind="dealer", country_id="KZ", city="Astana")


def maz_link() -> Any:
    from coopnet.registry.models import Link

    return Link.objects.create(organisation=organisation(), partner=organisation("KZ-AGROMASHHOLDING"),
                               kind="supply")


def maz_name() -> Any:
    from coopnet.registry.models import OrganisationName

    return OrganisationName.objects.create(organisation=organisation(), name="MAZ", language="en")


def plan_document() -> Any:
    from coopnet.plans.models import Document

    doc = Document.objects.create(kind="action_plan", title="Plan of Belarus and Russia", source="seed",
                                  source_note="seed note", period_start=date(2024, 1, 1),
                                  period_end=date(2026, 12, 31))
    doc.parties.set(["BY", "RU"])
    return doc


def plan_measure() -> Any:
    from coopnet.plans.models import Measure

    return Measure.objects.create(document=plan_document(), number="1", text="A measure", source="seed")


def draft_opportunity() -> Any:
    from coopnet.exchange.models import Opportunity

    return Opportunity.objects.create(title="Diesel engines", description="We need diesel engines",
                                      organisation=organisation())


def valid_unp() -> str:
    from coopnet.logic.registry.identifiers import check_tax_id

    return next(c for c in (f"1{n:08d}" for n in range(10_000, 20_000)) if check_tax_id("BY", c).valid)


def clear_region(row: Any) -> None:
    """A new country needs the region and the tax ID to go (both are the country's): cleared before the change
    is tried."""
    type(row)._default_manager.filter(pk=row.pk).update(region=None, tax_id="")


def region_of(row: Any) -> str:
    from coopnet.reference.models import Region

    return Region.objects.filter(country_id=row.country_id).exclude(code=row.region_id or "").order_by("code")[0].code


def direction_of(row: Any) -> int:
    from coopnet.plans.models import Direction

    return Direction.objects.create(document=row.document, number="9", title="A direction").pk


def sibling_of(row: Any) -> int:
    from coopnet.plans.models import Measure

    return Measure.objects.create(document=row.document, number=f"{row.pk}.0", text="Another measure").pk


ORGANISATION_VALUES: dict[str, Callable[[Any], Any]] = {
    "tax_id": lambda row: valid_unp(),
    "region": lambda row: "BY-MI" if row.region_id != "BY-MI" else "BY-HM",
    "country": lambda row: clear_region(row) or "KZ",
    "website": lambda row: "https://changed.example.org/",
    "lat": lambda row: 53.5, "lon": lambda row: 27.25,
}
CHILD_VALUES: dict[str, Callable[[Any], Any]] = {
    "organisation": lambda row: organisation("KZ-AGROMASHHOLDING").public_id,
    "hs_codes": lambda row: "8408", "nace_codes": lambda row: "28.11",
    "partner": lambda row: organisation("RU-BESHTAU").public_id,
    "region": region_of, "country": lambda row: "RU" if row.country_id != "RU" else "KZ",
}

API_TARGETS = [
    Target("organisation", "registry.Organisation", organisation, lambda r: f"/api/organisations/{r.public_id}/",
           values=ORGANISATION_VALUES),
    Target("competency", "registry.Competency", maz_competency, lambda r: f"/api/competencies/{r.pk}/",
           values=CHILD_VALUES),
    Target("site", "registry.Site", maz_site, lambda r: f"/api/sites/{r.pk}/", values=CHILD_VALUES),
    Target("plan-document", "plans.Document", plan_document, lambda r: f"/api/plans/documents/{r.pk}/",
           values={"parties": lambda row: ["BY", "RU", "KZ"], "period_end": lambda row: "2027-12-31",
                   "period_start": lambda row: "2023-06-01", "url": lambda row: "https://changed.example.org/"}),
    Target("plan-measure", "plans.Measure", plan_measure, lambda r: f"/api/plans/measures/{r.pk}/",
           values={"document": lambda row: plan_document().pk, "direction": direction_of,
                   "parent": sibling_of, "responsible": lambda row: [{"side": "BY", "body": "Minprom"}],
                   "control_points": lambda row: [{"date": "2025-06-30", "description": "checked"}]}),
]
CODES: dict[str, Callable[[Any], Any]] = {"hs_codes": lambda row: "8408", "nace_codes": lambda row: "28.11"}
WEB_CHILD_VALUES: dict[str, Callable[[Any], Any]] = {
    **CODES, "region": region_of, "country": lambda row: "RU" if row.country_id != "RU" else "KZ",
    "partner": lambda row: organisation("RU-BESHTAU").pk,
}
WEB_TARGETS = [
    Target("organisation-form", "registry.Organisation", organisation,
           lambda r: f"/registry/o/{r.public_id}/edit/", web=True, values=ORGANISATION_VALUES),
    Target("competency-form", "registry.Competency", maz_competency,
           lambda r: f"/registry/o/{r.organisation.public_id}/competency/{r.pk}/", web=True, values=CODES),
    Target("site-form", "registry.Site", maz_site, lambda r: f"/registry/o/{r.organisation.public_id}/site/{r.pk}/",
           web=True, values=WEB_CHILD_VALUES),
    Target("link-form", "registry.Link", maz_link, lambda r: f"/registry/o/{r.organisation.public_id}/link/{r.pk}/",
           web=True, values=WEB_CHILD_VALUES),
    Target("name-form", "registry.OrganisationName", maz_name,
           lambda r: f"/registry/o/{r.organisation.public_id}/name/{r.pk}/", web=True),
    Target("opportunity-form", "exchange.Opportunity", draft_opportunity, lambda r: f"/exchange/o/{r.pk}/edit/",
           web=True, values={**CODES, "countries_wanted": lambda row: "KZ, AM",
                             "countries_excluded": lambda row: "CN"}),
    Target("plan-document-form", "plans.Document", plan_document, lambda r: f"/plans/d/{r.pk}/edit/", web=True,
           values={"parties": lambda row: ["BY", "RU", "KZ"]}),
    Target("plan-measure-form", "plans.Measure", plan_measure, lambda r: f"/plans/m/{r.pk}/edit/", web=True,
           values={"direction": direction_of, "parent": sibling_of}),
]


# --- new values -----------------------------------------------------------------------------------------------


def other_instance(model: Any, current: Any) -> Any:
    return model._default_manager.exclude(pk=getattr(current, "pk", None)).order_by("pk").first()


def new_model_value(row: Any, model_field: models.Field[Any, Any]) -> Any:
    """A value different from the row's, valid for the field's type (as a form or JSON would send it)."""
    current = getattr(row, model_field.attname)
    if model_field.choices:
        return next(v for v, _label in model_field.flatchoices if v != current and v != "")
    if isinstance(model_field, models.BooleanField):
        return not current
    if isinstance(model_field, models.ForeignKey):
        other = other_instance(model_field.related_model, getattr(row, model_field.name))
        return None if other is None else other.pk
    if isinstance(model_field, models.DateField):
        return "2025-05-05" if str(current) != "2025-05-05" else "2025-06-06"
    if isinstance(model_field, models.DecimalField):
        return "0.500" if str(current) not in ("0.500", "0.5000") else "0.250"
    if isinstance(model_field, models.FloatField):
        return 45.5
    if isinstance(model_field, models.IntegerField):
        return 7 if current != 7 else 8
    if isinstance(model_field, models.URLField):
        return "https://changed.example.org/"
    text = "Changed by the permission test"
    return text[: model_field.max_length] if model_field.max_length else text


def new_value(target: Target, row: Any, name: str) -> Any:
    if name in target.values:
        return target.values[name](row)
    model = type(row)
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        return "forged"
    if isinstance(model_field, models.ManyToManyField) or not model_field.concrete:
        return []  # a list of related rows (read-only lists in the API: must stay as they are)
    if isinstance(model_field, models.ForeignKey) and not target.web:
        other = other_instance(model_field.related_model, getattr(row, model_field.name))
        slug = getattr(other, "public_id", None) or getattr(other, "code", None)
        return slug if slug else (None if other is None else other.pk)
    return new_model_value(row, model_field)


def stored(row: Any, name: str) -> Any:
    """The row's value of a field as the database has it (relations by key, lists as sets)."""
    fresh = type(row)._default_manager.get(pk=row.pk)
    try:
        model_field = type(row)._meta.get_field(name)
    except Exception:
        return None
    if isinstance(model_field, models.ManyToManyField):
        return sorted(str(pk) for pk in getattr(fresh, name).values_list("pk", flat=True))
    if model_field.is_relation and not model_field.concrete:  # rows of another table that point here
        return sorted(getattr(fresh, model_field.get_accessor_name()).values_list("pk", flat=True))
    value = getattr(fresh, model_field.attname)
    return str(value) if isinstance(value, Decimal | date) else value


# --- API --------------------------------------------------------------------------------------------------------


def client_for(role: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    username = ROLES[role]
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def ordered(names: set[str]) -> list[str]:
    """The fields to try, the sensitive ones last (an administrator's change of country is tried after the
    fields it would make invalid, such as a tax ID)."""
    return sorted(names - set(SENSITIVE)) + [n for n in SENSITIVE if n in names]


def serializer_fields(target: Target, row: Any) -> tuple[list[str], set[str]]:
    body = client_for("admin").get(target.url(row)).json()
    return ordered(set(body) | {n for n in SENSITIVE if hasattr_field(target, n)}), set(body)


def hasattr_field(target: Target, name: str) -> bool:
    from django.apps import apps

    model = apps.get_model(target.model)
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def ROLE_MAY_CHANGE_ROW(target: Target, role: str) -> bool:  # noqa: N802 - reads as the table's words
    return role in MAY_WRITE[target.model][0]


def check_api(target: Target, role: str) -> tuple[int, list[str]]:
    client = client_for(role)
    problems: list[str] = []
    first = target.row()
    model = type(first)
    names, exposed = serializer_fields(target, first)
    for name in names:
        row = model._default_manager.get(pk=first.pk)
        before = stored(row, name)
        value = new_value(target, row, name)
        response = client.patch(target.url(row), json.dumps({name: value}), content_type="application/json")
        after = stored(row, name)
        allowed = role in expected_writers(target.model, name)
        if response.status_code >= 500:
            problems.append(f"{name}: {response.status_code}")
        elif name in STAMPS:
            if str(after) == str(value):
                problems.append(f"{name}: {role} set the stamp")
        elif not allowed and after != before:
            problems.append(f"{name}: {role} changed it ({before!r} -> {after!r}), status {response.status_code}")
        elif allowed and name in exposed and name not in NEEDS_OTHER_ROWS and after == before:
            problems.append(f"{name}: {role} may change it but could not ({response.status_code} "
                            f"{response.content[:200]!r})")
        elif (not allowed and response.status_code == 200 and name in exposed and ROLE_MAY_CHANGE_ROW(target, role)
              and expected_writers(target.model, name)):
            problems.append(f"{name}: a value {role} may not write was silently accepted (200), not refused")
    return len(names), problems


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("target", API_TARGETS, ids=lambda t: t.name)
def test_api_fields(demo_accounts: None, target: Target, role: str) -> None:
    cases, problems = check_api(target, role)
    assert cases >= 5
    assert not problems, "\n".join(problems)


# --- web forms ----------------------------------------------------------------------------------------------------


class FormReader(html.parser.HTMLParser):
    """The fields a browser would send with each POST form of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self.select: str | None = None
        self.textarea: str | None = None
        self.multiple: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and not a.get("action", "").endswith("/logout/"):
            self.current = {}
            self.forms.append(self.current)
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.current.setdefault(name, []).append(a.get("value") or "on")
            elif kind not in ("submit", "button", "file"):
                self.current.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self.select = name
            self.current.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in a:
            self.current[self.select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.current[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.textarea and self.current is not None:
            self.current[self.textarea][-1] += data


def form_data(client: Client, url: str) -> tuple[dict[str, list[str]], list[str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    reader = FormReader()
    reader.feed(response.content.decode())
    data = max((f for f in reader.forms if "csrfmiddlewaretoken" in f), key=len)  # not the language switcher
    form = response.context["form"]
    return data, list(form.fields)


def as_post_value(value: Any) -> list[str]:
    if value is None:
        return [""]
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, bool):
        return ["on"] if value else []
    return [str(value)]


def check_form(target: Target, role: str) -> tuple[int, list[str]]:
    admin = client_for("admin")
    client = client_for(role)
    problems: list[str] = []
    first = target.row()
    model = type(first)
    _data, fields = form_data(admin, target.url(first))
    names = ordered(set(fields) | {n for n in SENSITIVE if hasattr_field(target, n)})
    for name in names:
        row = model._default_manager.get(pk=first.pk)
        before = stored(row, name)
        value = new_value(target, row, name)  # may prepare the row (e.g. clear the region for a new country)
        base, _fields = form_data(admin, target.url(row))
        post = {k: v for k, v in base.items() if k != "csrfmiddlewaretoken"}
        post[name] = as_post_value(value)
        response = client.post(target.url(row), post)
        after = stored(row, name)
        allowed = role in expected_writers(target.model, name) and name in fields
        if response.status_code >= 500:
            problems.append(f"{name}: {response.status_code}")
        elif not allowed and after != before:
            problems.append(f"{name}: {role} changed it ({before!r} -> {after!r})")
        elif allowed and after == before and name not in NEEDS_OTHER_ROWS:
            errors = response.context["form"].errors if response.context and "form" in response.context else ""
            problems.append(f"{name}: {role} may change it but could not ({response.status_code} {errors})")
    return len(names), problems


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("target", WEB_TARGETS, ids=lambda t: t.name)
def test_form_fields(demo_accounts: None, target: Target, role: str) -> None:
    cases, problems = check_form(target, role)
    assert cases >= 3
    assert not problems, "\n".join(problems)


# --- deletions ----------------------------------------------------------------------------------------------------

#: (API path of a row, roles that may delete it)
DELETIONS = [
    ("organisation", lambda: f"/api/organisations/{organisation('BY-MAZ').public_id}/", ADMIN),
    ("competency", lambda: f"/api/competencies/{maz_competency().pk}/", REGISTRY_ROW),
    ("site", lambda: f"/api/sites/{maz_site().pk}/", REGISTRY_ROW),
]


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("name,url,allowed", DELETIONS, ids=[d[0] for d in DELETIONS])
def test_deletions(demo_accounts: None, name: str, url: Callable[[], str], allowed: frozenset[str],
                   role: str) -> None:
    path = url()
    response = client_for(role).delete(path)
    if role in allowed:
        assert response.status_code in (204, 409), (response.status_code, response.content[:300])
    else:
        assert response.status_code in (401, 403, 404), (response.status_code, response.content[:300])
        assert "detail" in response.json()
        assert client_for("admin").get(path).status_code == 200
