"""The matching engine on a small hand-made registry: morphology, glossary, codes, filters, reasons."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopnet.logic.matching import (
    BM25Index,
    CompetencyLine,
    ComponentLine,
    MatchIndex,
    MatchRequest,
    MatchRequestError,
    OrgRow,
    default_glossary,
    find_consortia,
    parse_bom_csv,
    parse_request,
    run_consortium,
    run_match,
)
from coopnet.logic.matching.text import root, roots


def line(ru: str, en: str = "", hs: tuple[str, ...] = (), nace: tuple[str, ...] = (), **kw: object) -> CompetencyLine:
    return CompetencyLine(text_ru=ru, text_en=en, hs=hs, nace=nace, **kw)  # type: ignore[arg-type]


ROWS = [
    OrgRow(
        "BY-1",
        "Минский моторный завод",
        "BY",
        ref="MMZ",
        region="BY-HM",
        lat=53.9,
        lon=27.56,
        lines=(
            line(
                "Дизельные двигатели для тракторов и автомобилей",
                hs=("840820",),
                nace=("28.11",),
                capacity=50000,
                capacity_unit="pcs",
                certifications=("TR CU 018/2011", "ISO 9001:2015"),
            ),
        ),
    ),
    OrgRow(
        "RU-2",
        "Тракторные сиденья",
        "RU",
        region="RU-TA",
        lat=55.8,
        lon=49.1,
        lines=(line("Сиденья и кабины для тракторов, чехлы для двигателей", hs=("940120",)),),
    ),
    OrgRow(
        "KZ-3",
        "Engine Works Kostanay",
        "KZ",
        ref="EWK",
        region="KZ-KUS",
        lat=53.2,
        lon=63.6,
        lines=(line("", "Diesel engines for agricultural machinery", hs=("8408",)),),
        partners=("BY-1",),
    ),
    OrgRow(
        "CN-4",
        "Harbin Diesel",
        "CN",
        lat=45.8,
        lon=126.5,
        lines=(line("Дизельные двигатели для тракторов", hs=("840820",)),),
    ),
    OrgRow(
        "BY-5",
        "Могилевлифтмаш",
        "BY",
        lat=53.9,
        lon=30.3,
        lines=(line("Пассажирские и грузовые лифты", "Passenger and freight lifts", hs=("842810",)),),
    ),
    OrgRow(
        "AM-6",
        "Metallstroy",
        "AM",
        lat=40.2,
        lon=44.5,
        lines=(
            line(
                "Металлоконструкции и комплектующие для железнодорожного транспорта",
                hs=("8607",),
                nace=("30.20",),
            ),
        ),
    ),
    OrgRow(
        "KG-7",
        "Кыргызэлектроника",
        "KG",
        lat=42.87,
        lon=74.6,
        lines=(line("Сборка системных блоков персональных компьютеров", hs=("847150",)),),
    ),
    OrgRow(
        "RU-8",
        "Шинный завод",
        "RU",
        lat=55.0,
        lon=60.0,
        lines=(line("Шины для грузовых автомобилей", hs=("4011",)),),
    ),
]


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(ROWS)


def refs(index: MatchIndex, **kw: object) -> list[str]:
    return [m.id for m in index.match(MatchRequest(**kw))]  # type: ignore[arg-type]


def test_roots_meet_across_word_forms() -> None:
    assert root("тракторные") == root("тракторов") == root("трактор")
    assert root("двигатели") == root("двигателей")
    assert root("стали") == root("сталь")
    assert root("станки") == root("станок")
    assert roots("Tractor engines") == roots("engine for tractors")[::-1]


def test_adjective_request_finds_noun_description(index: MatchIndex) -> None:
    found = refs(index, text="нужны тракторные двигатели")
    assert found[0] in {"BY-1", "CN-4"}
    assert found.index("BY-1") < found.index("RU-2")


def test_english_request_reaches_russian_suppliers_through_glossary(index: MatchIndex) -> None:
    ru = refs(index, text="дизельные двигатели для тракторов", limit=3)
    en = refs(index, text="diesel engines for tractors", limit=3)
    assert set(ru[:2]) == set(en[:2]) == {"BY-1", "CN-4"} or {"BY-1", "KZ-3"} <= set(en)
    assert "BY-1" in en and "KZ-3" in en


def test_code_request_matches_parents_and_children_with_decreasing_weight(index: MatchIndex) -> None:
    results = index.match(MatchRequest(hs=("840820",), limit=5))
    by_id = {m.id: m for m in results}
    assert by_id["BY-1"].score > by_id["KZ-3"].score > 0  # exact beats the parent heading
    heading = index.match(MatchRequest(hs=("8408",), limit=5))
    assert {m.id for m in heading} >= {"BY-1", "KZ-3", "CN-4"}  # children found from the parent
    reason = next(r for r in by_id["KZ-3"].reasons if r.kind == "codes")
    assert reason.data["their_code"] == "8408" and reason.data["depth"] == "subheading"


def test_country_filters(index: MatchIndex) -> None:
    assert "CN-4" not in refs(index, text="дизельные двигатели", countries=("BY", "KZ", "RU"))
    assert "BY-1" not in refs(index, text="дизельные двигатели", exclude_countries=("BY",))


def test_reasons_list_words_capacity_certificates_distance_and_cooperation(index: MatchIndex) -> None:
    req = MatchRequest(
        text="тракторные двигатели",
        quantity=1000,
        certifications=("ISO 9001",),
        buyer_country="KZ",
        buyer_id="KZ-3",
        buyer_lat=53.2,
        buyer_lon=63.6,
    )
    top = index.match(req)[0]
    assert top.id == "BY-1"
    kinds = {r.kind for r in top.reasons}
    assert {
        "codes",
        "words",
        "certifications",
        "capacity",
        "distance",
        "cross_border",
        "cooperation",
    } <= kinds
    assert "KZ-3" not in [m.id for m in index.match(req)]  # the buyer itself is never proposed


def test_certification_missing_is_a_reason(index: MatchIndex) -> None:
    res = index.match(MatchRequest(text="дизельные двигатели", certifications=("ISO 9001",)))
    cn = next(m for m in res if m.id == "CN-4")
    assert any(r.kind == "certifications_missing" for r in cn.reasons)


def test_lookalikes_rank_below_the_right_product(index: MatchIndex) -> None:
    found = refs(index, text="двигатели для тракторов")
    assert found.index("RU-2") > found.index("BY-1")


def test_bad_requests_have_clear_messages(index: MatchIndex) -> None:
    with pytest.raises(MatchRequestError, match="HS code"):
        parse_request({"text": "x", "hs": "87a4"})
    with pytest.raises(MatchRequestError, match="country"):
        parse_request({"text": "x", "countries": "Belarus"})
    with pytest.raises(MatchRequestError, match="limit"):
        parse_request({"text": "x", "limit": "0"})
    with pytest.raises(MatchRequestError, match="needs some text"):
        parse_request({"text": "  "})
    with pytest.raises(MatchRequestError, match="unknown field"):
        parse_request({"text": "x", "colour": "red"}, strict=True)


def test_run_match_contract(index: MatchIndex) -> None:
    out = run_match(index, {"text": "лифты", "limit": "2"})
    first = out["results"][0]
    assert set(first) >= {"ref", "id", "name", "country", "score", "reasons"}
    assert first["id"] == "BY-5" and first["ref"] is None


def test_reverse_fits_and_saved_search_notifications(index: MatchIndex) -> None:
    requests = [("r1", MatchRequest(text="дизельные двигатели 100 шт")), ("r2", MatchRequest(text="лифты"))]
    fits = index.fits_for("BY-1", requests)
    assert [key for key, _ in fits] == ["r1"]
    saved = [("s1", MatchRequest(text="грузовые лифты"), 0.3)]
    assert [m.id for _, m in index.new_fits(saved, ["BY-5", "RU-8"])] == ["BY-5"]


def test_consortium_covers_lines_with_three_member_states(index: MatchIndex) -> None:
    lines = [
        ComponentLine("engine", hs=("8408",)),
        ComponentLine("rail parts", text="комплектующие для вагонов", hs=("8607",)),
        ComponentLine("computers", text="системные блоки"),
    ]
    result = find_consortia(index, lines)
    best = result.consortia[0]
    assert best.complete and len(best.countries) >= 3
    assert {a.line.label for a in best.assignments} == {"engine", "rail parts", "computers"}


def test_consortium_names_gaps(index: MatchIndex) -> None:
    result = find_consortia(index, [ComponentLine("engine", hs=("8408",)), ComponentLine("aircraft", hs=("8802",))])
    assert result.gaps == ["aircraft"]
    assert all(not c.complete for c in result.consortia)


def test_bom_csv() -> None:
    lines = parse_bom_csv("component;hs;quantity\nДвигатель;8408;10\nШины;4011;40\n")
    assert [(x.label, x.hs, x.quantity) for x in lines] == [
        ("Двигатель", ("8408",), 10.0),
        ("Шины", ("4011",), 40.0),
    ]
    with pytest.raises(MatchRequestError, match="row 2"):
        parse_bom_csv("component,quantity\nДвигатель,many\n")


def test_run_consortium_validates(index: MatchIndex) -> None:
    with pytest.raises(MatchRequestError):
        run_consortium(index, {"lines": []})
    out = run_consortium(index, {"lines": ["hs:8408", "hs:8607", "системные блоки"]})
    assert out["consortia"]


def test_glossary_is_large_and_bilingual() -> None:
    g = default_glossary()
    assert len(g) >= 300
    assert all(t.ru and t.en for t in g.terms)
    hit = g.find(roots("тракторные двигатели"))
    assert [h.term.hs for h in hit] == [("840820",)]


def test_bm25_baseline_is_plain() -> None:
    bm = BM25Index.build(ROWS)
    assert bm.search("лифты")[0][0] == 4
    assert bm.search("лифт") == []  # no stemming: the baseline is bare


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["text", "hs", "nace", "limit", "countries", "quantity", "buyer_country"]),
        st.one_of(st.text(max_size=20), st.integers(-5, 600), st.none(), st.lists(st.text(max_size=6), max_size=3)),
    )
)
def test_fuzzed_parameters_never_crash(params: dict[str, object]) -> None:
    idx = MatchIndex.build(ROWS[:3])
    try:
        run_match(idx, params)
    except MatchRequestError:
        pass


PRODUCTS = [
    ("Дизельные двигатели", "8408"),
    ("Тракторы колёсные", "8701"),
    ("Шины для грузовиков", "4011"),
    ("Пассажирские лифты", "842810"),
    ("Зерноуборочные комбайны", "843351"),
    ("Стальная проволока", "7217"),
]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from(["BY", "RU", "KZ", "CN"])),
        min_size=1,
        max_size=60,
    ),
    st.integers(0, 5),
    st.booleans(),
)
def test_candidate_selection_agrees_with_exhaustive_scoring(
    orgs: list[tuple[int, int, str]], asked: int, with_code: bool
) -> None:
    """The fast path (postings, thresholds, ties) ranks like scoring every organisation one by one."""
    rows = [
        OrgRow(f"O{i}", f"Org {i}", cc, lines=(line(PRODUCTS[a][0], hs=(PRODUCTS[a][1],)), line(PRODUCTS[b][0])))
        for i, (a, b, cc) in enumerate(orgs)
    ]
    idx = MatchIndex.build(rows)
    text, code = PRODUCTS[asked]
    req = MatchRequest(text=text, hs=(code,) if with_code else (), limit=5)
    every = idx.score_docs(req, list(range(len(rows))))
    for sparse_factor in (0, 10**9):  # a full scan, and candidates straight from the postings
        idx.sparse_factor = sparse_factor
        fast = idx.match(req)
        assert [round(m.score, 5) for m in fast] == [round(m.score, 5) for m in every[:5]]


def test_ties_over_many_equal_organisations_are_fast_and_complete() -> None:
    rows = [
        OrgRow(f"T{i}", f"Завод {i}", "RU", lines=(line("Дизельные двигатели", hs=("8408",)),)) for i in range(3000)
    ]
    idx = MatchIndex.build(rows)
    found = idx.match(MatchRequest(text="дизельные двигатели", limit=50))
    assert len(found) == 50 and len({m.id for m in found}) == 50
    assert max(m.score for m in found) - min(m.score for m in found) < 0.001
