"""Seeded generator of synthetic organisations in the import format.

Every generated row is marked synthetic twice, so it can never pass for a real enterprise:

- ``ref`` starts with ``SYN-`` (``SYN-<seed>-<n>``), and
- ``products`` starts with ``[synthetic]``.

The importer sets ``is_synthetic`` for rows whose ref starts with ``SYN-``. Websites use the
reserved ``.example`` top-level domain. RU tax IDs use the never-issued region prefix ``00``;
the other countries' IDs have valid check digits but are random, so they may coincide with a
real one — they are labelled synthetic all the same.

Variety: countries in proportion (RU largest), regions and coordinates near the region centre,
Russian and English names and product texts built from the HS and NACE vocabularies given as
input, legal forms of each country, employees (log-normal), capacities and certifications.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from stdnum.by import unp as _by_unp
from stdnum.ru import inn as _ru_inn

from .dedupe import transliterate
from .identifiers import kz_check_digit
from .rows import COLUMNS, join_list

__all__ = [
    "SYNTHETIC_REF_PREFIX",
    "SYNTHETIC_MARK",
    "COUNTRY_WEIGHTS",
    "Vocabulary",
    "DEFAULT_VOCABULARY",
    "generate",
    "is_synthetic_ref",
]

SYNTHETIC_REF_PREFIX = "SYN-"
SYNTHETIC_MARK = "[synthetic]"

COUNTRY_WEIGHTS: Mapping[str, float] = {
    "RU": 0.58,
    "BY": 0.14,
    "KZ": 0.14,
    "KG": 0.04,
    "AM": 0.04,
    "UZ": 0.03,
    "CN": 0.01,
    "VN": 0.01,
    "RS": 0.01,
}

LEGAL_FORMS: Mapping[str, Sequence[tuple[str, str]]] = {
    "RU": (("ООО", "LLC"), ("АО", "JSC"), ("ПАО", "PJSC"), ("ЗАО", "CJSC"), ("ФГУП", "FSUE")),
    "BY": (
        ("ОАО", "OJSC"),
        ("ЗАО", "CJSC"),
        ("ООО", "LLC"),
        ("ЧУП", "PUE"),
        ("РУП", "RUE"),
        ("СООО", "JV LLC"),
    ),
    "KZ": (("ТОО", "LLP"), ("АО", "JSC")),
    "KG": (("ОсОО", "LLC"), ("ОАО", "OJSC")),
    "AM": (("ООО", "LLC"), ("ЗАО", "CJSC"), ("ОАО", "OJSC")),
}
_DEFAULT_FORMS: Sequence[tuple[str, str]] = (("ООО", "LLC"), ("АО", "JSC"))

_ROOTS = (
    "Волга",
    "Урал",
    "Сибирь",
    "Днепр",
    "Неман",
    "Алатау",
    "Арарат",
    "Иссык",
    "Сож",
    "Кама",
    "Ока",
    "Север",
    "Восток",
    "Запад",
    "Полесье",
    "Тянь",
    "Енисей",
    "Ангара",
    "Байкал",
    "Нарын",
    "Дон",
    "Берёза",
    "Сура",
    "Свирь",
    "Иртыш",
    "Ишим",
    "Тобол",
    "Чуй",
    "Севан",
    "Раздан",
    "Двина",
    "Припять",
)
_SUFFIXES = (
    "маш",
    "прибор",
    "мет",
    "деталь",
    "пром",
    "снаб",
    "станок",
    "электро",
    "агромаш",
    "техмаш",
    "лит",
    "энерго",
    "кабель",
    "авто",
    "трак",
    "хим",
    "пласт",
    "стекло",
    "текс",
    "сталь",
    "гидро",
    "привод",
)
_CERTS = (
    "ISO 9001",
    "ISO 14001",
    "ISO 45001",
    "IATF 16949",
    "ТР ТС 010/2011",
    "ТР ТС 018/2011",
    "ТР ТС 004/2011",
    "ТР ТС 020/2011",
    "ТР ТС 031/2012",
    "ТР ТС 032/2013",
)
_UNITS = (("шт.", "units"), ("т", "t"), ("комплектов", "sets"), ("м", "m"))


@dataclass(frozen=True)
class Vocabulary:
    """Input vocabularies. ``hs`` and ``nace``: code → (name_en, name_ru). ``regions``: country →
    [(ISO 3166-2 code, lat, lon)]. ``cities``: region code → [(name_ru, name_en)]."""

    hs: Mapping[str, tuple[str, str]]
    nace: Mapping[str, tuple[str, str]]
    regions: Mapping[str, Sequence[tuple[str, float, float]]]
    cities: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)


DEFAULT_VOCABULARY = Vocabulary(
    hs={
        "8701": ("Tractors", "Тракторы"),
        "8704": (
            "Motor vehicles for the transport of goods",
            "Моторные транспортные средства для перевозки грузов",
        ),
        "8708": (
            "Parts and accessories of motor vehicles",
            "Части и принадлежности моторных транспортных средств",
        ),
        "8433": ("Harvesting machinery", "Машины для уборки урожая"),
        "8428": ("Lifting and handling machinery", "Подъемное и погрузочно-разгрузочное оборудование"),
        "8458": ("Lathes for removing metal", "Станки токарные металлорежущие"),
        "8482": ("Ball or roller bearings", "Подшипники шариковые или роликовые"),
        "8501": ("Electric motors and generators", "Электродвигатели и генераторы"),
        "8544": ("Insulated wire and cable", "Провода и кабели изолированные"),
        "8471": ("Computers", "Вычислительные машины"),
        "8517": ("Telephone and communication apparatus", "Аппаратура связи"),
        "7208": ("Flat-rolled iron or steel", "Прокат плоский из железа или стали"),
        "7304": ("Seamless steel tubes and pipes", "Трубы стальные бесшовные"),
        "3102": ("Nitrogenous fertilisers", "Удобрения азотные"),
        "3901": ("Polymers of ethylene", "Полимеры этилена"),
        "8413": ("Pumps for liquids", "Насосы жидкостные"),
        "9027": (
            "Instruments for physical or chemical analysis",
            "Приборы для физического или химического анализа",
        ),
        "8429": ("Bulldozers, graders, excavators", "Бульдозеры, грейдеры, экскаваторы"),
    },
    nace={
        "28.30": (
            "Manufacture of agricultural and forestry machinery",
            "Производство машин для сельского хозяйства",
        ),
        "29.10": ("Manufacture of motor vehicles", "Производство автотранспортных средств"),
        "29.32": ("Manufacture of other parts for motor vehicles", "Производство прочих комплектующих"),
        "28.41": (
            "Manufacture of metal forming machinery",
            "Производство металлообрабатывающего оборудования",
        ),
        "28.15": ("Manufacture of bearings and gears", "Производство подшипников и зубчатых передач"),
        "27.11": ("Manufacture of electric motors", "Производство электродвигателей"),
        "27.32": ("Manufacture of electronic and electric wires", "Производство проводов и кабелей"),
        "26.20": ("Manufacture of computers", "Производство компьютеров"),
        "24.10": ("Manufacture of basic iron and steel", "Производство чугуна, стали и ферросплавов"),
        "20.15": ("Manufacture of fertilisers", "Производство удобрений"),
        "28.22": (
            "Manufacture of lifting and handling equipment",
            "Производство подъемно-транспортного оборудования",
        ),
        "28.92": (
            "Manufacture of machinery for mining and construction",
            "Производство машин для добычи и строительства",
        ),
    },
    regions={
        "RU": (
            ("RU-MOW", 55.75, 37.62),
            ("RU-SPE", 59.94, 30.31),
            ("RU-TA", 55.79, 49.12),
            ("RU-SVE", 56.84, 60.61),
            ("RU-NIZ", 56.33, 44.0),
            ("RU-SAM", 53.2, 50.15),
            ("RU-CHE", 55.16, 61.4),
            ("RU-NVS", 55.03, 82.92),
            ("RU-BA", 54.74, 55.97),
            ("RU-PER", 58.01, 56.25),
        ),
        "BY": (
            ("BY-HM", 53.9, 27.57),
            ("BY-MI", 53.9, 27.0),
            ("BY-BR", 52.1, 23.7),
            ("BY-HO", 52.43, 30.99),
            ("BY-HR", 53.68, 23.83),
            ("BY-MA", 53.9, 30.33),
            ("BY-VI", 55.19, 30.2),
        ),
        "KZ": (
            ("KZ-75", 43.24, 76.89),
            ("KZ-71", 51.17, 71.45),
            ("KZ-35", 49.8, 73.1),
            ("KZ-55", 52.29, 76.95),
            ("KZ-63", 49.95, 82.61),
        ),
        "KG": (("KG-GB", 42.87, 74.59), ("KG-C", 42.8, 74.5), ("KG-GO", 40.51, 72.8)),
        "AM": (("AM-ER", 40.18, 44.51), ("AM-SH", 40.79, 43.85), ("AM-LO", 40.81, 44.49)),
    },
    cities={
        "RU-MOW": (("Москва", "Moscow"),),
        "RU-SPE": (("Санкт-Петербург", "Saint Petersburg"),),
        "RU-TA": (("Набережные Челны", "Naberezhnye Chelny"), ("Казань", "Kazan")),
        "BY-HM": (("Минск", "Minsk"),),
        "BY-HO": (("Гомель", "Gomel"),),
        "BY-MA": (("Могилёв", "Mogilev"),),
        "KZ-75": (("Алматы", "Almaty"),),
        "KG-GB": (("Бишкек", "Bishkek"),),
        "AM-ER": (("Ереван", "Yerevan"),),
    },
)


def is_synthetic_ref(ref: str) -> bool:
    return ref.startswith(SYNTHETIC_REF_PREFIX)


def _latin(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in transliterate(text).split())


def _ru_inn_synthetic(rnd: random.Random) -> str:
    body = "00" + "".join(rnd.choice("0123456789") for _ in range(7))
    return body + _ru_inn.calc_company_check_digit(body)


def _by_unp_synthetic(rnd: random.Random) -> str:
    while True:
        body = rnd.choice("1234567") + "".join(rnd.choice("0123456789") for _ in range(7))
        try:
            return body + _by_unp.calc_check_digit(body + "0")
        except ValueError:
            continue


def _kz_bin_synthetic(rnd: random.Random) -> str:
    while True:
        yy = rnd.randint(0, 24)
        body = f"{yy:02d}{rnd.randint(1, 12):02d}4" + "0" + "".join(rnd.choice("0123456789") for _ in range(5))
        check = kz_check_digit(body)
        if check is not None:
            return body + str(check)


def _tax_id(country: str, rnd: random.Random) -> str:
    if country == "RU":
        return _ru_inn_synthetic(rnd)
    if country == "BY":
        return _by_unp_synthetic(rnd)
    if country == "KZ":
        return _kz_bin_synthetic(rnd)
    if country == "KG":
        date = f"{rnd.randint(1, 28):02d}{rnd.randint(1, 12):02d}{rnd.randint(1992, 2024)}"
        return f"0{date}{rnd.randint(0, 99999):05d}"
    if country == "AM":
        return f"{rnd.randint(0, 99999999):08d}"
    return ""


def generate(count: int, seed: int, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> Iterator[dict[str, str]]:
    """Yield ``count`` synthetic rows (column → text, in :data:`COLUMNS`), deterministic for a seed.

    Only countries present in ``vocabulary.regions`` are generated, weighted by
    :data:`COUNTRY_WEIGHTS` (unknown countries get a small weight)."""
    if count < 0:
        raise ValueError("count must be ≥ 0")
    rnd = random.Random(seed)
    countries = [c for c in vocabulary.regions if vocabulary.regions[c]]
    if not countries:
        raise ValueError("the vocabulary has no regions")
    weights = [COUNTRY_WEIGHTS.get(c, 0.005) for c in countries]
    hs_codes = sorted(vocabulary.hs)
    nace_codes = sorted(vocabulary.nace)
    for n in range(1, count + 1):
        country = rnd.choices(countries, weights)[0]
        region, rlat, rlon = rnd.choice(vocabulary.regions[country])
        cities = vocabulary.cities.get(region)
        city_ru = rnd.choice(cities)[0] if cities else ""
        form_ru, form_en = rnd.choice(LEGAL_FORMS.get(country, _DEFAULT_FORMS))
        brand = rnd.choice(_ROOTS) + rnd.choice(_SUFFIXES)
        if rnd.random() < 0.35:
            brand += rnd.choice(_SUFFIXES)
        if rnd.random() < 0.75:  # plant numbers make most names unique, as in real registries
            brand += f"-{rnd.randint(1, 999)}"
        hs = rnd.sample(hs_codes, k=min(len(hs_codes), rnd.randint(1, 3))) if hs_codes else []
        nace = rnd.sample(nace_codes, k=min(len(nace_codes), rnd.randint(1, 2))) if nace_codes else []
        hs_full = [c + "".join(rnd.choice("0123456789") for _ in range(rnd.choice((0, 2, 6)))) for c in hs]
        unit_ru, unit_en = rnd.choice(_UNITS)
        capacity = rnd.choice((50, 100, 250, 500, 1000, 5000, 20000))
        products_ru = "; ".join(vocabulary.hs[c][1] for c in hs)
        products_en = "; ".join(vocabulary.hs[c][0] for c in hs)
        activity = vocabulary.nace[nace[0]][0] if nace else ""
        products = (
            f"{SYNTHETIC_MARK} {products_ru} — мощность {capacity} {unit_ru}/год. "
            f"{products_en} — capacity {capacity} {unit_en}/year. {activity}".strip()
        )
        employees = max(1, int(rnd.lognormvariate(4.0, 1.3)))
        certs = rnd.sample(_CERTS, k=rnd.choice((0, 0, 1, 1, 2, 3)))
        has_coords = rnd.random() < 0.9
        row = {
            "ref": f"{SYNTHETIC_REF_PREFIX}{seed}-{n:07d}",
            "name": f"{form_ru} «{brand}»",
            "name_en": f"{_latin(brand)} {form_en}" if rnd.random() < 0.8 else "",
            "country": country,
            "region": region,
            "city": city_ru,
            "lat": f"{rlat + rnd.uniform(-0.3, 0.3):.5f}" if has_coords else "",
            "lon": f"{rlon + rnd.uniform(-0.3, 0.3):.5f}" if has_coords else "",
            "tax_id": _tax_id(country, rnd) if rnd.random() < 0.7 else "",
            "nace": join_list(nace),
            "hs": join_list(hs_full),
            "products": products,
            "certifications": join_list(certs),
            "employees": str(employees),
            "website": f"https://{transliterate(brand).replace(' ', '')}-{n}.example" if rnd.random() < 0.5 else "",
        }
        yield {c: row[c] for c in COLUMNS}
