"""Name normalisation and duplicate scoring."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopnet.logic.registry.dedupe import (
    OrgRecord,
    blocking_keys,
    candidate_pairs,
    classify,
    find_duplicates,
    name_key,
    phonetic_fold,
    score_pair,
    strip_legal_forms,
    transliterate,
    website_domain,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ОАО «Минский тракторный завод»", "Minsk Tractor Works OJSC"),
        ("ПАО «КАМАЗ»", "KAMAZ PJSC"),
        ('ПАО "КАМАЗ"', "Kamaz, Public Joint Stock Company"),
        ("ОАО «БелАЗ»", "OAO BELAZ"),
        ("ТОО «Казахмыс»", "Kazakhmys LLP"),
        ("Завод имени Лихачёва", "Likhachev Plant"),
        ("ОАО «Гомсельмаш»", "Gomselmash JSC"),
        ("Щёкиноазот", "Shchekinoazot"),
        ("Открытое акционерное общество «Могилевлифтмаш»", "Mogilevliftmash OJSC"),
        ("ЗАО «Бештау Электроникс»", "Beshtau Electronics CJSC"),
        ("ЖШС «Қазақстан Темір Жолы»", "Kazakhstan Temir Zholy LLP"),
        ("СООО «Белкоммунмаш»", "Belkommunmash"),
        ("ЧУП «Амкодор-Белвар»", "Amkodor-Belvar PUE"),
    ],
)
def test_same_company_in_two_scripts_has_the_same_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ОАО «Минский тракторный завод»", "ОАО «Минский автомобильный завод»"),
        ("ОАО «Гомсельмаш»", "ОАО «Бобруйскагромаш»"),
        ("ОАО «МАЗ»", "ОАО «БелАЗ»"),
    ],
)
def test_different_companies_have_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_legal_forms_in_any_script_are_removed():
    for name in [
        "ООО Ромашка",
        "Romashka LLC",
        "Romashka Ltd.",
        "Romashka GmbH",
        "ОсОО «Ромашка»",
        "ИООО Ромашка",
    ]:
        assert name_key(name) == "romashk", name
    assert strip_legal_forms("Общество с ограниченной ответственностью «Ромашка»") == ["romashk"]


def test_a_name_of_only_legal_form_words_keeps_them():
    assert name_key("ООО") != ""
    assert name_key("Limited Liability Company") != ""


def test_transliteration_and_folding():
    assert transliterate("Щёлково") == "shchelkovo"
    assert transliterate("Ўзбекістан") == "uzbekistan"
    assert transliterate("Қарағанды") == "karagandy"
    assert phonetic_fold("khabarovsk") == phonetic_fold("habarovsk")
    assert phonetic_fold("tsentr") == phonetic_fold("centr")
    assert phonetic_fold("yakutsk") == phonetic_fold("jakutsk") == phonetic_fold("iakutsk")
    assert phonetic_fold("kkh") == phonetic_fold(phonetic_fold("kkh"))


@given(st.text(max_size=60))
def test_name_key_is_idempotent(name):
    key = name_key(name)
    assert name_key(key) == key


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўқңөұүһәғ «»\"'-.ABCXYZkhts", max_size=40))
def test_name_key_is_idempotent_on_cyrillic(name):
    key = name_key(name)
    assert name_key(key) == key


def test_website_domain():
    assert website_domain("https://www.MAZ.by/ru/about?x=1") == "maz.by"
    assert website_domain("maz.by") == "maz.by"
    assert website_domain("http://user@belaz.by:8080/") == "belaz.by"
    assert website_domain("") == ""


MTZ_RU = OrgRecord(
    "1", ("ОАО «Минский тракторный завод»",), "BY", "BY-HM", "Минск", 53.88, 27.63, "100230367"
)
MTZ_EN = OrgRecord("2", ("Minsk Tractor Works",), "BY", "BY-HM", "Minsk", 53.881, 27.632, "100230367")
MAZ = OrgRecord(
    "3", ("ОАО «Минский автомобильный завод»", "MAZ"), "BY", "BY-HM", "Минск", 53.86, 27.65, "600122610"
)


def test_same_tax_id_and_name_is_automatic():
    s = score_pair(MTZ_RU, MTZ_EN)
    assert s.confidence >= 0.92
    assert any("same tax ID" in r for r in s.reasons)
    assert any("same city" in r for r in s.reasons)
    assert classify(s.confidence) == "automatic"


def test_different_tax_ids_in_the_same_country_push_apart():
    s = score_pair(MTZ_RU, MAZ)
    assert s.confidence < 0.6
    assert "different tax IDs in the same country" in s.reasons
    assert classify(s.confidence) is None


def test_name_only_match_needs_review():
    a = OrgRecord("a", ("ОАО «Гомсельмаш»",), "BY")
    b = OrgRecord("b", ("Gomselmash",), "BY")
    s = score_pair(a, b)
    assert classify(s.confidence) in {"pending", "automatic"}
    assert 0.6 <= s.confidence


def test_different_countries_lower_the_score():
    a = OrgRecord("a", ("Электроника",), "BY")
    b = OrgRecord("b", ("Электроника",), "RU")
    c = OrgRecord("c", ("Электроника",), "BY")
    assert score_pair(a, b).confidence < score_pair(a, c).confidence


def test_score_reasons_cover_codes_and_website():
    a = OrgRecord(
        "a", ("Amkodor",), "BY", hs=frozenset({"8429"}), nace=frozenset({"28.92"}), website="amkodor.by"
    )
    b = OrgRecord("b", ("Амкодор",), "BY", hs=frozenset({"8429"}), website="https://www.amkodor.by/")
    s = score_pair(a, b)
    assert "same website amkodor.by" in s.reasons
    assert any(r.startswith("shared codes 8429") for r in s.reasons)
    assert 0.0 <= s.confidence <= 1.0


def test_far_apart_coordinates_lower_the_score():
    a = OrgRecord("a", ("Техмаш",), "RU", lat=55.75, lon=37.62)
    b = OrgRecord("b", ("Техмаш",), "RU", lat=55.03, lon=82.92)
    c = OrgRecord("c", ("Техмаш",), "RU", lat=55.751, lon=37.621)
    assert score_pair(a, b).confidence < score_pair(a, c).confidence


def test_classify_thresholds():
    assert classify(0.95, 0.9, 0.5) == "automatic"
    assert classify(0.7, 0.9, 0.5) == "pending"
    assert classify(0.4, 0.9, 0.5) is None
    with pytest.raises(ValueError):
        classify(0.5, 0.4, 0.6)


def test_blocking_keys_and_candidates_are_not_quadratic():
    records = [OrgRecord(str(i), (f"Завод Уникум{i:05d}",), "RU") for i in range(3000)]
    records.append(OrgRecord("x", ("Uniкum00001 Plant",), "RU"))
    pairs = list(candidate_pairs([r.prepared() for r in records]))
    assert len(pairs) < 3000 * 5
    assert "n:unikum" in blocking_keys(records[0].prepared()) or any(
        k.startswith("n:") for k in blocking_keys(records[0].prepared())
    )


def test_find_duplicates_finds_the_bilingual_pair_and_nothing_else():
    records = [
        MTZ_RU,
        MTZ_EN,
        MAZ,
        OrgRecord("4", ("ОАО «Гомсельмаш»",), "BY", city="Гомель"),
        OrgRecord("5", ("Gomselmash OJSC",), "BY", city="Gomel"),
        OrgRecord("6", ("ОАО «Бобруйскагромаш»",), "BY"),
    ]
    found = {(s.a, s.b): status for s, status in find_duplicates(records)}
    assert found[("1", "2")] == "automatic"
    assert ("4", "5") in found
    assert ("1", "3") not in found and ("4", "6") not in found


def test_thresholds_are_parameters():
    records = [OrgRecord("4", ("ОАО «Гомсельмаш»",), "BY"), OrgRecord("5", ("Gomselmash OJSC",), "BY")]
    assert find_duplicates(records, auto_threshold=0.5, review_threshold=0.4)[0][1] == "automatic"
    assert find_duplicates(records, auto_threshold=1.0, review_threshold=1.0) == []


_LEGAL_WORDS = [
    "limited",
    "company",
    "ooo",
    "ao",
    "llc",
    "ltd",
    "oao",
    "too",
    "компания",
    "общество",
    "ответственностью",
    "ограниченной",
    "с",
    "акционерное",
    "имени",
    "named",
    "after",
    "group",
    "holding",
    "joint",
    "stock",
    "научно",
    "производственное",
    "объединение",
    "research",
    "and",
    "production",
    "association",
    "завод",
]


@given(st.lists(st.sampled_from(_LEGAL_WORDS), max_size=7))
def test_name_key_is_idempotent_on_legal_words_in_any_order(words):
    key = name_key(" ".join(words))
    assert name_key(key) == key


def test_spelled_out_legal_form_is_removed_in_any_order():
    assert name_key("Акционерное «Ромашка» общество") == name_key("Ромашка")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("ОАО «МАЗ»", "OJSC"),
        ("ПАО «КАМАЗ»", "PJSC"),
        ("Kazakhmys LLP", "LLP"),
        ("ТОО «Казахмыс»", "LLP"),
        ("ООО «Ромашка»", "LLC"),
        ("Общество с ограниченной ответственностью «Ромашка»", "LLC"),
        ("РУП «Белоруснефть»", "SOE"),
        ("Gomselmash", ""),
    ],
)
def test_detect_legal_form(name, code):
    from coopnet.logic.registry.dedupe import detect_legal_form

    assert detect_legal_form(name) == code


def test_numbered_plants_are_pushed_apart():
    a = OrgRecord("a", ("ООО «Завод №1»",), "RU")
    b = OrgRecord("b", ("ООО «Завод №2»",), "RU")
    s = score_pair(a, b)
    assert "different numbers in the names" in s.reasons and classify(s.confidence) is None


def test_a_name_alone_is_never_automatic():
    a = OrgRecord("a", ("ООО «Ромашка»",), "RU", "RU-MOW", "Москва")
    b = OrgRecord("b", ("ООО «Ромашка»",), "RU", "RU-MOW", "Moscow")
    assert classify(score_pair(a, b).confidence) == "pending"
    c = OrgRecord("c", ("ООО «Ромашка»",), "RU", "RU-MOW", "Москва", 55.75, 37.62)
    d = OrgRecord("d", ("Romashka LLC",), "RU", "RU-MOW", "Moscow", 55.751, 37.621)
    assert classify(score_pair(c, d).confidence) == "automatic"


def test_hard_c_meets_k():
    assert name_key("Acron PJSC") == name_key("ПАО «Акрон»")
    kazzinc = score_pair(OrgRecord("a", ("Kazzinc LLP",), "KZ"), OrgRecord("b", ("ТОО «Казцинк»",), "KZ"))
    assert classify(kazzinc.confidence) == "pending"
