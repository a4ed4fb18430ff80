"""Every text a user or an import can set is hostile: no page, map or chart may run it.

The whole demo (registry, exchange, financing, plans, statistics) is loaded, then every free-text field of
every business model is rewritten with a script-bearing string (`<img src=x onerror=...>`,
`"><svg onload=...>`, `</script><script>...`, an event-handler attribute, a `javascript:` URL in URL fields),
and a statistics file with hostile notes, labels and sources is imported. Chromium then opens every page
anonymously and as an administrator, hovers and clicks every map marker (tooltips, popups) and waits for the
charts. The test fails when a hostile script runs (the `window.__xss` flag or a dialog), when the content
security policy refuses anything (an inline script or handler that escaping let through: the policy forbids
inline script on every page), or when a link with a `javascript:` address is rendered.

One live server and one browser for the whole crawl; screenshots of a few pages in var/test-output.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import models

from .conftest import login, screenshot

FLAG = "window.__xss=1"
PAYLOADS = (
    f"<img src=x onerror={FLAG}>",
    f'"><svg onload={FLAG}>',
    f"</script><script>{FLAG}</script>",
    f"' onmouseover='{FLAG}' data-x='",
    f"<a href=\"javascript:{FLAG}\">x</a>",
)
URL_PAYLOAD = f"javascript:{FLAG}"
#: fields whose value the pages use as a key or a code (they are validated on every write path)
STRUCTURAL = {"public_id", "ref", "ref_source", "hs_codes", "nace_codes", "countries_wanted", "countries_excluded",
              "tax_id", "code", "number", "reference", "currency", "language", "scheme", "product", "period",
              "password", "username", "email", "batch", "format", "status", "filename", "file"}
APPS = ("registry", "exchange", "financing", "plans", "stats", "accounts")

# Injected before any page script: records what the policy refused and any dialog, across navigations.
WATCH = """
window.__xss = 0;
document.addEventListener('securitypolicyviolation', e => {
  console.error('CSP-VIOLATION ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' '
                + e.sourceFile + ':' + e.lineNumber);
});
"""


def hostile_text_fields() -> list[tuple[Any, models.Field[Any, Any]]]:
    from django.apps import apps

    fields = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.label.split(".")[1].startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if (isinstance(field, models.CharField | models.TextField) and not field.choices
                        and not field.primary_key and field.name not in STRUCTURAL and not field.unique):
                    fields.append((model, field))
    return fields


def make_everything_hostile() -> tuple[int, int]:
    """Rewrite every free-text field of every row (and every URL field) with hostile strings; returns
    (fields, rows written)."""
    fields = hostile_text_fields()
    written = 0
    for i, (model, field) in enumerate(fields):
        payload = PAYLOADS[i % len(PAYLOADS)]
        if isinstance(field, models.URLField):
            payload = URL_PAYLOAD
        for pk, value in model._default_manager.values_list("pk", field.attname):
            text = payload if isinstance(field, models.URLField) else f"{payload} {value or ''}"
            if field.max_length:
                text = text[: field.max_length]
            written += model._default_manager.filter(pk=pk).update(**{field.attname: text})
    return len(fields), written


def import_hostile_statistics() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coopnet.stats import services

    rows = ["indicator,reporter,partner,scheme,product,flow,period,value,unit,currency,source,document,locator,note"]
    for i, payload in enumerate(PAYLOADS):
        quoted = payload.replace('"', '""')
        rows.append(f'export_structure,RU,BY,other,hostile-{i},export,2022,{i + 1},percent,,"{quoted}","{quoted}",'
                    f'"{quoted}","{quoted}"')
        rows.append(f'trade_turnover,BY-MI,BY,other,total,,2023,{1000 + i},money,USD,"{quoted}","{quoted}","L{i}",'
                    f'"{quoted}"')
    upload = SimpleUploadedFile("hostile.csv", ("\n".join(rows) + "\n").encode())
    result, _dataset = services.import_file(upload, "long", file_name="hostile.csv")
    assert result.ok, result.errors


def public_pages() -> list[str]:
    from coopnet.exchange.models import Opportunity
    from coopnet.financing.models import Application
    from coopnet.plans.models import Document, Measure
    from coopnet.registry.models import Organisation

    orgs = list(Organisation.objects.order_by("pk").values_list("public_id", flat=True)[:3])
    maz = Organisation.objects.get(ref="BY-MAZ").public_id
    opps = list(Opportunity.objects.restrict(None).order_by("pk").values_list("pk", flat=True)[:3])
    apps = list(Application.objects.approved().values_list("pk", flat=True)[:2])
    docs = list(Document.objects.order_by("pk").values_list("pk", flat=True)[:3])
    measures = list(Measure.objects.order_by("pk").values_list("pk", flat=True)[:2])
    replacing = Document.objects.filter(links_out__kind="replaces").values_list("pk", flat=True).first()
    pages = [
        "/", "/registry/", "/registry/?q=%3Cimg%20src%3Dx%20onerror%3Dwindow.__xss%3D1%3E",
        "/registry/map/?scheme=hs&code=84", "/registry/map/?scheme=nace&code=28",
        *[f"/registry/o/{p}/" for p in [*orgs, maz]], f"/registry/o/{maz}/history/",
        "/exchange/?text=diesel+engines&hs=8408&buyer_country=RU", "/exchange/?text=%22%3E%3Csvg%20onload%3D1%3E",
        "/exchange/board/", "/exchange/consortium/", f"/exchange/fits/{maz}/",
        *[f"/exchange/o/{pk}/" for pk in opps],
        "/financing/", "/financing/register/", "/financing/budget/", "/financing/rates/",
        *[f"/financing/applications/{pk}/" for pk in apps],
        "/plans/", "/plans/dashboard/", *[f"/plans/d/{pk}/" for pk in docs], *[f"/plans/m/{pk}/" for pk in measures],
        "/stats/", "/stats/map/", "/stats/map/?measure=trade_turnover", "/stats/indicators/",
        "/stats/indicators/growth/?series=export_structure", "/stats/series/export_structure/",
        "/stats/series/trade_turnover/", "/stats/opportunities/", "/api/docs/",
    ]
    if replacing:
        pages.append(f"/plans/compare/?current={replacing}")
    return pages


def private_pages() -> list[str]:
    from coopnet.exchange.models import Opportunity
    from coopnet.financing.models import Application
    from coopnet.plans.models import Document, Measure
    from coopnet.registry.models import Organisation

    maz = Organisation.objects.get(ref="BY-MAZ").public_id
    competency = Organisation.objects.get(ref="BY-MAZ").competencies.first()
    pages = [
        f"/registry/o/{maz}/", f"/registry/o/{maz}/edit/", f"/registry/o/{maz}/history/", "/registry/import/",
        "/registry/duplicates/", "/registry/new/", "/exchange/board/?status=review&status=draft",
        "/financing/applications/", "/financing/queue/", "/financing/check/", "/stats/import/",
        "/admin/", "/admin/registry/organisation/",
        f"/admin/registry/organisation/{Organisation.objects.get(ref='BY-MAZ').pk}/change/",
        "/admin/exchange/opportunity/", "/admin/plans/measure/",
    ]
    if competency is not None:
        pages.append(f"/registry/o/{maz}/competency/{competency.pk}/")
    pages += [f"/exchange/o/{pk}/" for pk in Opportunity.objects.order_by("pk").values_list("pk", flat=True)[:4]]
    pages += [f"/financing/applications/{pk}/" for pk in Application.objects.order_by("pk").values_list("pk",
                                                                                                         flat=True)[:3]]
    document = Document.objects.order_by("pk").first()
    if document is not None:
        pages += [f"/plans/d/{document.pk}/edit/", f"/plans/d/{document.pk}/directions/"]
    measure = Measure.objects.order_by("pk").first()
    if measure is not None:
        pages.append(f"/plans/m/{measure.pk}/edit/")
    return pages


class Crawl:
    """What went wrong on the pages opened so far."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        self.current = ""
        self.opened = 0
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("dialog", self._dialog)

    def _console(self, message: Any) -> None:
        text = message.text
        if "CSP-VIOLATION" in text or "Content Security Policy" in text:
            self.problems.append(f"{self.current}: {text}")

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"{self.current}: a dialog opened ({dialog.type}: {dialog.message})")
        dialog.dismiss()

    def open(self, url: str) -> None:
        self.current = url
        self.opened += 1
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.status < 500, (url, response and response.status)
        self._wait_for_scripts()
        self._touch_markers()
        self._check()

    def _wait_for_scripts(self) -> None:
        page = self.page
        for selector in ("#competency-map", "#results-map", "#org-map"):
            if page.locator(selector).count():
                page.wait_for_selector(f"{selector}[data-ready='1']", timeout=20000)
        if page.locator("#stats-map").count():
            page.wait_for_selector("#stats-map[data-loaded='1']", timeout=20000)
        for selector in ("[data-plotly]", "#chart", "#jv-chart", "#structure-chart", "#progress-chart"):
            for el in page.locator(selector).all():
                el.evaluate("e => new Promise(r => { const t = Date.now(); (function w() {"
                            " if (e.dataset.ready || Date.now() - t > 8000) r(); else setTimeout(w, 50); })(); })")

    def _touch_markers(self) -> None:
        markers = self.page.locator("path.leaflet-interactive")
        for i in range(min(markers.count(), 8)):
            marker = markers.nth(i)
            marker.hover(force=True)
            marker.click(force=True)
        tooltips = self.page.locator(".leaflet-tooltip, .leaflet-popup-content")
        labelled = any(self.page.locator(s).count() for s in ("#results-map", "#competency-map", "#stats-map"))
        if markers.count() and labelled:  # these maps label their markers with data (an organisation's own: no)
            assert tooltips.count(), f"{self.current}: no tooltip or popup opened"

    def _check(self) -> None:
        page = self.page
        if page.evaluate("window.__xss"):
            self.problems.append(f"{self.current}: a hostile script ran")
        links = page.locator("a[href^='javascript:' i]")
        if links.count():
            self.problems.append(f"{self.current}: {links.count()} javascript: link(s), e.g. "
                                 f"{links.first.get_attribute('href')}")


def test_no_hostile_string_runs_anywhere(browser: Any, live_server: Any, demo: None, settings: Any,
                                         tmp_path: Path) -> None:
    from django.core.management import call_command

    settings.STATS_DIR = tmp_path / "stats"
    call_command("loaddemo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    import_hostile_statistics()
    n_fields, n_rows = make_everything_hostile()
    assert n_fields >= 60 and n_rows >= 500, (n_fields, n_rows)
    from coopnet.core.models import Revision

    Revision.bump("registry")  # the partner-search index is rebuilt from the hostile names

    crawled = 0
    for username, pages in ((None, public_pages()), ("admin", private_pages())):
        context = browser.new_context(base_url=live_server.url, locale="en-US",
                                      viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(20000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        crawl = Crawl(page)
        if username:
            login(page, username)
        for url in pages:
            crawl.open(url)
            if url in ("/exchange/?text=diesel+engines&hs=8408&buyer_country=RU", "/stats/", "/stats/map/"):
                screenshot(page, f"hostile-{username or 'public'}-{url.strip('/').split('?')[0].replace('/', '-')}")
        crawled += crawl.opened
        context.close()
        assert not crawl.problems, "\n".join(crawl.problems)
        assert not errors, errors
    print(f"hostile strings: {n_fields} fields, {n_rows} values, {len(PAYLOADS)} payloads, {crawled} pages")
    assert crawled >= 60


def test_the_crawl_sees_a_script_that_runs_and_a_refused_one(browser: Any) -> None:
    """The checks themselves work: a page without a policy that runs a hostile string sets the flag, and a page
    whose policy refuses an inline handler is reported from the console."""
    context = browser.new_context()
    page = context.new_page()
    crawl = Crawl(page)
    page.set_content(f"<p>{PAYLOADS[0]}</p>")
    page.wait_for_timeout(100)
    crawl._check()
    assert any("a hostile script ran" in p for p in crawl.problems), crawl.problems
    crawl.problems.clear()
    page.route("http://coopnet.test/", lambda route: route.fulfill(
        status=200, content_type="text/html", headers={"Content-Security-Policy": "script-src 'self'"},
        body=f"<p>{PAYLOADS[0]}</p><script>{FLAG}</script>"))
    page.goto("http://coopnet.test/")
    page.wait_for_timeout(300)
    crawl._check()
    context.close()
    assert any("CSP-VIOLATION" in p or "Content Security Policy" in p for p in crawl.problems), crawl.problems
