"""National identifiers and coopnet public IDs, on real published numbers."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopnet.logic.registry.identifiers import (
    MAX_SEQUENCE,
    check_tax_id,
    compact_tax_id,
    is_valid_public_id,
    make_public_id,
    mod37_36_check_char,
    parse_public_id,
)

# Published identifiers of well-known organisations (company registers, annual reports).
REAL_VALID = [
    ("RU", "7707083893", "inn"),  # Sberbank INN
    ("RU", "7736050003", "inn"),  # Gazprom INN
    ("RU", "7708004767", "inn"),  # LUKOIL INN
    ("RU", "1650032058", "inn"),  # KAMAZ INN
    ("RU", "1027700132195", "ogrn"),  # Sberbank OGRN
    ("RU", "1027700070518", "ogrn"),  # Gazprom OGRN
    ("RU", "500100732259", "inn"),  # the 12-digit example of the Federal Tax Service forms
    ("RU", "304500116000157", "ogrnip"),  # OGRNIP example used in FNS documentation
    ("BY", "600122610", "unp"),  # MAZ (Minsk Automobile Plant)
    ("BY", "600038906", "unp"),  # BELAZ
    ("BY", "100325912", "unp"),  # Belarusbank
    ("BY", "400051902", "unp"),  # Gomselmash
    ("KZ", "940140000385", "bin"),  # Kazakhtelecom
    ("KZ", "020240000555", "bin"),  # KazMunayGas
    ("KZ", "081140000436", "bin"),  # Samruk-Kazyna
    ("KZ", "970740000838", "bin"),  # KEGOC
    ("KZ", "971240001315", "bin"),  # Kaspi Bank
    ("KZ", "970240000816", "bin"),  # Kazatomprom
]


@pytest.mark.parametrize(("country", "number", "kind"), REAL_VALID)
def test_real_identifiers_are_valid(country, number, kind):
    result = check_tax_id(country, number)
    assert result.valid, result.reason
    assert result.kind == kind
    assert result.compact == number
    assert result.reason == ""


@pytest.mark.parametrize(
    ("country", "raw", "compact"),
    [
        ("RU", "ИНН 7707 083 893", "7707083893"),
        ("RU", " 7707-083-893 ", "7707083893"),
        ("BY", "УНП: 600 122 610", "600122610"),
        ("KZ", "БИН 940140000385", "940140000385"),
        ("RU", "OGRN 1027700132195", "1027700132195"),
    ],
)
def test_labels_and_separators_are_removed(country, raw, compact):
    result = check_tax_id(country, raw)
    assert result.valid, result.reason
    assert result.compact == compact


@pytest.mark.parametrize(
    ("country", "number", "words"),
    [
        ("RU", "7707083894", "check digit"),
        ("RU", "770708389", "10 or 12 digits"),
        ("RU", "77070838AB", "digits only"),
        ("RU", "500100732258", "check digit"),
        ("RU", "1027700132196", "check digit"),
        ("BY", "600122611", "check digit"),
        ("BY", "60012261", "9 characters"),
        ("BY", "800122610", "invalid component"),
        ("KZ", "940140000386", "check digit"),
        ("KZ", "94014000038", "12 digits"),
        ("KZ", "941340000385", "month"),
        ("KZ", "9401400003X5", "digits only"),
        ("KG", "0220819991008", "14 digits"),
        ("KG", "32208199910087", "start with 0"),
        ("KG", "13213199910087", "date"),
        ("AM", "0250008", "8 digits"),
        ("AM", "0250008A", "digits only"),
        ("CN", "!!", "Latin letters or digits"),
        ("RU", "", "empty"),
        ("RU", "7" * 100, "longer than"),
    ],
)
def test_invalid_identifiers_have_a_reason(country, number, words):
    result = check_tax_id(country, number)
    assert not result.valid
    assert words in result.reason


def test_kg_and_am_format_rules():
    assert check_tax_id("KG", "02208199910087").valid  # organisation: first digit 0
    assert check_tax_id("KG", "12208199010087").valid  # individual born 22.08.1990
    assert check_tax_id("AM", "02500082").valid


def test_other_countries_are_unchecked_but_compacted():
    result = check_tax_id("CN", "9111 0000-1000 1234 5X")
    assert result.valid and result.kind == "unchecked" and result.compact == "91110000100012345X"


def test_country_code_is_case_insensitive():
    assert check_tax_id("ru", "7707083893").valid


@given(st.text(max_size=80), st.sampled_from(["RU", "BY", "KZ", "KG", "AM", "CN", "", "xx"]))
def test_identifiers_never_crash(value, country):
    result = check_tax_id(country, value)
    assert isinstance(result.valid, bool)
    assert result.valid or result.reason


@given(st.text(max_size=40))
def test_compact_is_idempotent(value):
    assert compact_tax_id(compact_tax_id(value)) == compact_tax_id(value)


# --- public IDs -----------------------------------------------------------------------------


def test_public_id_shape_and_round_trip():
    pid = make_public_id("BY", 123456)
    assert pid.startswith("BY-") and len(pid) == len("BY-7K3M9Q2-X")
    assert parse_public_id(pid) == ("BY", 123456)
    assert is_valid_public_id(pid)
    assert is_valid_public_id(pid.lower())
    assert parse_public_id(make_public_id("ru", 0)) == ("RU", 0)
    assert parse_public_id(make_public_id("KZ", MAX_SEQUENCE)) == ("KZ", MAX_SEQUENCE)


def test_public_id_rejects_bad_input():
    with pytest.raises(ValueError):
        make_public_id("BYR", 1)
    with pytest.raises(ValueError):
        make_public_id("BY", -1)
    with pytest.raises(ValueError):
        make_public_id("BY", MAX_SEQUENCE + 1)
    for bad in ["", "BY-0003RJ0", "BY0003RJ08", "B1-0003RJ0-8", "BY-0003RJU-8", "BY-0003RJ0-88"]:
        assert not is_valid_public_id(bad)


def test_crockford_look_alikes_are_accepted():
    pid = make_public_id("AM", 1)  # body 0000001
    typed = pid.replace("0000001", "OOOOOOI")
    assert parse_public_id(typed) == ("AM", 1)


@given(st.integers(min_value=0, max_value=MAX_SEQUENCE), st.sampled_from(["AM", "BY", "KG", "KZ", "RU"]))
def test_every_single_character_change_is_detected(n, country):
    pid = make_public_id(country, n)
    assert parse_public_id(pid) == (country, n)
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    for pos in range(3, 10):
        for ch in alphabet:
            if ch != pid[pos]:
                changed = pid[:pos] + ch + pid[pos + 1 :]
                assert not is_valid_public_id(changed), changed


def test_adjacent_transpositions_are_nearly_always_detected():
    # A hybrid ISO 7064 system catches every single substitution (tested above) and all but a
    # small fraction of adjacent transpositions; measure that fraction over many IDs.
    rnd = random.Random(7)
    total = detected = 0
    for _ in range(3000):
        pid = make_public_id("BY", rnd.randint(0, MAX_SEQUENCE))
        body = pid[3:10]
        for i in range(len(body) - 1):
            if body[i] != body[i + 1]:
                swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
                total += 1
                detected += not is_valid_public_id(f"BY-{swapped}-{pid[-1]}")
    assert detected / total > 0.99


def test_mod37_36_known_vector():
    # ISO 7064 Mod 37,36 hybrid: the check character makes the recursive residue 1.
    payload = "BY0003RJ0"
    check = mod37_36_check_char(payload)
    values = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
    p = 36
    for ch in payload + check:
        s = (p + values[ch]) % 36 or 36
        p = (s * 2) % 37
    assert s == 1


@given(st.text(max_size=40))
def test_public_id_parser_never_crashes(value):
    assert parse_public_id(value) is None or is_valid_public_id(value)
