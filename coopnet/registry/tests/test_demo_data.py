"""Validation of the demo registry (coopnet/registry/data/demo/organisations.json).

Plain pytest, no Django and no database: the file is loaded as JSON and checked for
internal consistency (unique refs, resolvable partner refs, codes well formed, every fact
with a source) and for the organisations the demo must contain.
"""
import json
import re
from pathlib import Path

import pytest

from coopnet.logic.registry.identifiers import check_tax_id

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "organisations.json"
SEEDS_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"  # shared/ beside the checkout

MEMBER_STATES = {"AM", "BY", "KZ", "KG", "RU"}
LEGAL_FORMS = {"JSC", "OJSC", "CJSC", "LLC", "SOE", "PC", "FOUNDATION", "INSTITUTE", "BANK", "AGENCY", "OTHER"}
KINDS = {"enterprise", "institute", "bank", "agency", "technology_centre"}
SITE_KINDS = {"assembly_plant", "joint_venture", "dealer", "service_centre", "trade_house", "representative_office"}
LINK_KINDS = {"supply", "assembly", "joint_venture", "dealer", "joint_project", "licence", "rd"}
SIZES = {None, "micro", "small", "medium", "large"}

MUST_INCLUDE = [
    "BY-MAZ", "BY-MTZ", "BY-MMZ", "BY-BELAZ", "BY-BMZ", "BY-GOMSELMASH", "BY-AMKODOR", "BY-BOBRUISKAGROMASH",
    "BY-BELKOMMUNMASH", "BY-MOGILEVLIFTMASH", "RU-BESHTAU", "BY-NERO-ELECTRONICS", "KG-KYRGYZELECTRONICA",
    "RU-NPO-VOYAGE", "AM-METALLSTROY", "BY-RUKHSERVOMOTOR", "KZ-AGROMASHHOLDING", "KZ-HYUNDAI-TRANS-AUTO",
    "KG-AVTOMASH-RADIANT", "KZ-COMPOSITE-GROUP", "KZ-BTTH", "KZ-ASTANABELAZSERVICE", "RU-KUZBASSRAZREZUGOL",
    "RU-BRYANSKSELMASH", "RU-AMKODOR-BEL", "UZ-AMKODOR-AGROTECHMASH", "UZ-UZBELAGROMASH",
    "UZ-TASHKENT-AGRI-MACHINERY", "VN-MAZ-ASIA", "KZ-TH-MAZ-KZ", "GE-PROFAUTO", "UZ-MAZ-TASHKENT",
    "RU-TIC-MTZ-TATARSTAN", "RU-KAMAZ", "KZ-KOKSHETAU-PARK", "RU-KURGAN-RMZ", "RU-TITAN-POLYMER",
    "RU-GAZPROMBANK", "RU-SBERBANK", "KZ-EDB", "KZ-DBK", "KZ-DAMU",
]

HS_RE = re.compile(r"^\d{4}(\d{2})?$")
NACE_RE = re.compile(r"^\d{2}(\.\d{1,2})?$")
SOURCE_RE = re.compile(r"^(\d{3}_[0-9a-f]{16}\.txt:\d+|financing-rules\.md:\d+|public knowledge: .+)$")
REF_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9-]+$")


@pytest.fixture(scope="module")
def orgs():
    with DEMO.open(encoding="utf-8") as f:
        data = json.load(f)
    assert isinstance(data, list)
    return data


def test_counts(orgs):
    assert len(orgs) >= 80
    assert sum(1 for o in orgs if o["country"] in MEMBER_STATES) >= 60


def test_refs_unique_and_well_formed(orgs):
    refs = [o["ref"] for o in orgs]
    assert len(refs) == len(set(refs)), "duplicate refs"
    for o in orgs:
        assert REF_RE.match(o["ref"]), o["ref"]
        assert o["ref"].startswith(o["country"] + "-"), o["ref"]


def test_must_include_present(orgs):
    refs = {o["ref"] for o in orgs}
    missing = [r for r in MUST_INCLUDE if r not in refs]
    assert not missing, missing


def test_partner_refs_resolve(orgs):
    refs = {o["ref"] for o in orgs}
    for o in orgs:
        for item in o["sites"] + o["links"]:
            p = item.get("partner_ref")
            if item in o["links"]:
                assert p, f"{o['ref']}: link without partner_ref"
            if p is not None:
                assert p in refs, f"{o['ref']}: unknown partner_ref {p}"
                assert p != o["ref"], f"{o['ref']}: links to itself"


def test_fields_and_enums(orgs):
    for o in orgs:
        ref = o["ref"]
        assert re.fullmatch(r"[A-Z]{2}", o["country"]), ref
        assert o["region"] is None or o["region"].startswith(o["country"] + "-"), ref
        assert o["name"] and o["name_en"], ref
        assert o["legal_form"] in LEGAL_FORMS, ref
        assert o["kind"] in KINDS, ref
        assert o["size"] in SIZES, ref
        assert isinstance(o["other_names"], list), ref
        if o["lat"] is not None or o["lon"] is not None:
            assert -90 <= o["lat"] <= 90 and -180 <= o["lon"] <= 180, ref
        assert o["sources"], f"{ref}: no sources"
        for s in o["sources"]:
            assert SOURCE_RE.match(s), f"{ref}: bad source {s!r}"
        for site in o["sites"]:
            assert site["kind"] in SITE_KINDS, ref
            assert re.fullmatch(r"[A-Z]{2}", site["country"]), ref
            assert site["source"] and SOURCE_RE.match(site["source"]), ref
        for link in o["links"]:
            assert link["kind"] in LINK_KINDS, ref
            assert link["source"] and SOURCE_RE.match(link["source"]), ref


def test_competencies(orgs):
    for o in orgs:
        assert o["competencies"], f"{o['ref']}: no competencies"
        for c in o["competencies"]:
            assert c["hs"] or c["nace"], f"{o['ref']}: competency without codes"
            assert c["source"] and SOURCE_RE.match(c["source"]), o["ref"]
            assert c["description_ru"] and c["description_en"], o["ref"]
            for h in c["hs"]:
                assert HS_RE.match(h), f"{o['ref']}: bad HS {h}"
            for n in c["nace"]:
                assert NACE_RE.match(n), f"{o['ref']}: bad NACE {n}"
            cap = c["capacity"]
            if cap is not None:
                assert cap["quantity"] > 0 and cap["unit"] and cap["period"], o["ref"]


def test_tax_ids(orgs):
    for o in orgs:
        t = o["tax_id"]
        if t is None:
            continue
        check = check_tax_id(o["country"], t)
        assert check.valid and check.compact == t, f"{o['ref']}: bad tax ID {t}: {check.reason}"


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="seed texts not available")
def test_seed_citations_point_at_text(orgs):
    cache = {}
    for o in orgs:
        for s in o["sources"]:
            m = re.match(r"^(\d{3}_[0-9a-f]{16}\.txt):(\d+)$", s)
            if not m:
                continue
            name, n = m.group(1), int(m.group(2))
            if name not in cache:
                cache[name] = (SEEDS_DIR / name).read_text(encoding="utf-8", errors="replace").split("\n")
            lines = cache[name]
            assert 1 <= n <= len(lines) and lines[n - 1].strip(), f"{o['ref']}: {s} is empty"
