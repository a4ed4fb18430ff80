"""Organisation name normalisation and duplicate scoring.

Pipeline (staged, as in Open Supply Hub's matcher: exact first, then statistical):

1. ``name_key(name)``: Unicode NFKC, case-fold, quotes and punctuation removed, legal forms removed
   in any script (ОАО, OJSC, ТОО, ЖШС, ЧУП, GmbH …, also spelled out: "открытое акционерное
   общество"), "имени"/"named after" removed, Cyrillic (Russian, Belarusian, Ukrainian, Kazakh,
   Kyrgyz letters) transliterated to Latin, then a phonetic fold applied to all Latin text
   (kh→h, ts/tz→c, shch/sch→sh, zh/dzh/dj→j, y/j→i, w→v, ph→f, x→ks, q→k, ck→k, hard c→k,
   double letters single), a light stem (trailing vowels of long words dropped) and a small bilingual
   dictionary of industrial words (завод / plant / works / factory → plant …), tokens sorted.
   The key is idempotent: ``name_key(name_key(x)) == name_key(x)``.
2. ``score_pair(a, b)``: a confidence in 0..1 and the reasons behind it: same tax ID, name
   similarity on the keys (rapidfuzz), same country, same city/region, close coordinates,
   shared HS/NACE codes, same website domain. Different valid tax IDs in the same country are
   strong evidence against.
3. ``blocking_keys(record)``: a handful of keys per record (tax ID, each rare name token + country,
   website domain, the key's prefix); only records sharing a key are compared, so a registry
   pass is near-linear rather than O(n²).
4. ``classify(confidence, auto_threshold, review_threshold)``: "automatic" / "pending" / None.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

__all__ = [
    "OrgRecord",
    "PairScore",
    "transliterate",
    "phonetic_fold",
    "strip_legal_forms",
    "name_key",
    "website_domain",
    "score_pair",
    "blocking_keys",
    "candidate_pairs",
    "find_duplicates",
    "classify",
    "detect_legal_form",
    "DEFAULT_AUTO_THRESHOLD",
    "DEFAULT_REVIEW_THRESHOLD",
]

DEFAULT_AUTO_THRESHOLD = 0.92
DEFAULT_REVIEW_THRESHOLD = 0.6

_CYR = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Belarusian, Ukrainian
    "і": "i",
    "ў": "u",
    "є": "ye",
    "ї": "yi",
    "ґ": "g",
    # Kazakh, Kyrgyz
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
}
_CYR_TABLE = str.maketrans(_CYR)

# Longest first so that "shch" wins over "sh" and "ch".
_FOLDS: tuple[tuple[str, str], ...] = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("dzh", "j"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("zh", "j"),
    ("dj", "j"),
    ("ph", "f"),
    ("ck", "k"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
    ("ie", "e"),
)
_DOUBLE = re.compile(r"([a-z])\1+")
_HARD_C = re.compile(r"c(?![eih])")  # English hard c (electronics) meets Russian k (электроникс)

# Legal forms: abbreviations (matched as whole tokens after punctuation removal) and spelled-out
# phrases (matched as token sequences). Folded and transliterated forms are derived below.
_LEGAL_ABBREVIATIONS = (
    "оао",
    "зао",
    "пао",
    "ао",
    "ооо",
    "одо",
    "тоо",
    "ип",
    "чуп",
    "уп",
    "руп",
    "гп",
    "фгуп",
    "гуп",
    "муп",
    "соо",
    "сооо",
    "иооо",
    "чтуп",
    "куп",
    "нпо",
    "нпп",
    "пк",
    "пуп",
    "ано",
    "ку",
    "жшс",
    "ак",
    "осоо",
    "ооо",
    "ндо",
    "мчж",
    "ооо",
    "ттк",
    "кх",
    "ltd",
    "нк",
    "ұк",
    "нак",
    "nac",
    "nc",
    "гмк",
    "npo",
    "нпк",
    "llc",
    "llp",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "oao",
    "zao",
    "pao",
    "ooo",
    "ao",
    "tov",
    "too",
    "plc",
    "inc",
    "corp",
    "co",
    "gmbh",
    "ag",
    "sa",
    "srl",
    "sarl",
    "spa",
    "bv",
    "nv",
    "oy",
    "ab",
    "kft",
    "sro",
    "as",
    "ug",
    "kg",
    "lp",
    "llp",
    "pte",
    "pty",
    "cjsc",
    "ojsc",
    "fsue",
    "sue",
    "rue",
    "ue",
    "pue",
    "cue",
    "cc",
    "jv",
    "co.ltd",
    "limited",
    "incorporated",
    "corporation",
    "company",
)
_LEGAL_PHRASES = (
    "открытое акционерное общество",
    "закрытое акционерное общество",
    "публичное акционерное общество",
    "непубличное акционерное общество",
    "акционерное общество",
    "общество с ограниченной ответственностью",
    "общество с дополнительной ответственностью",
    "товарищество с ограниченной ответственностью",
    "частное унитарное предприятие",
    "республиканское унитарное предприятие",
    "унитарное предприятие",
    "государственное предприятие",
    "федеральное государственное унитарное предприятие",
    "государственное унитарное предприятие",
    "совместное общество с ограниченной ответственностью",
    "иностранное общество с ограниченной ответственностью",
    "индивидуальный предприниматель",
    "жауапкершілігі шектеулі серіктестік",
    "акционерлік қоғам",
    "open joint stock company",
    "closed joint stock company",
    "public joint stock company",
    "joint stock company",
    "limited liability company",
    "limited liability partnership",
    "private unitary enterprise",
    "republican unitary enterprise",
    "unitary enterprise",
    "state enterprise",
    "federal state unitary enterprise",
    "public limited company",
    "private limited company",
    "limited company",
    "stock company",
    "управляющая компания холдинга",
    "управляющая компания",
    "holding management company",
    "management company",
    "научно производственное объединение",
    "научно производственное предприятие",
    "research and production association",
    "национальная компания",
    "национальная атомная компания",
    "national company",
    "national atomic company",
    "научно производственная корпорация",
    "горно металлургическая компания",
    "ұлттық компания",
    "scientific and production association",
)
_NAMED_AFTER = ("named after", "имени", "им", "imeni", "im")

# Bilingual industrial vocabulary → canonical token (applied after folding and stemming).
_SYNONYMS_RAW: dict[str, tuple[str, ...]] = {
    "plant": (
        "завод",
        "заводы",
        "plant",
        "plants",
        "works",
        "factory",
        "factories",
        "zavod",
        "комбинат",
        "kombinat",
        "фабрика",
        "fabrika",
        "mill",
    ),
    "tractor": ("тракторный", "tractor", "tractors", "traktornyi", "трактор"),
    "auto": (
        "автомобильный",
        "автозавод",
        "automobile",
        "automotive",
        "auto",
        "avtomobilnyi",
        "car",
    ),
    "wheel": ("колесный", "колёсный", "колесных", "колёсных", "wheeled", "wheel"),
    "metal": ("металлургический", "metallurgical", "metallurgy", "металлургия", "steel", "стальной", "iron"),
    "machine": (
        "машиностроительный",
        "machine",
        "machinery",
        "engineering",
        "building",
        "машиностроение",
        "mashinostroitelnyi",
        "станкостроительный",
        "machinebuilding",
    ),
    "electronics": ("электроника", "электроники", "electronics", "electronic", "электронный"),
    "electric": ("электротехнический", "электрический", "electrical", "electric", "electro"),
    "bearing": ("подшипниковый", "подшипник", "bearing", "bearings"),
    "chemical": ("химический", "chemical", "chemicals", "химия"),
    "agro": ("сельскохозяйственный", "сельхозмашиностроения", "agricultural", "agro", "агро"),
    "group": ("группа", "group", "холдинг", "holding", "компания", "концерн", "concern"),
    "research": ("научно", "research", "исследовательский", "institute", "институт", "institut"),
    "production": (
        "производственное",
        "производственный",
        "production",
        "manufacturing",
        "объединение",
        "association",
    ),
    "bank": ("банк", "bank"),
    "oil": ("нефтяная", "нефтяной", "oil", "нефть"),
    "gas": ("газ", "gas", "газовый"),
    "truck": ("грузовой", "грузовик", "truck", "trucks", "самосвал", "dump"),
    "national": ("национальный", "national", "национальная"),
    "belarus": ("белорусский", "беларусь", "belarus", "belarusian", "белорусская", "belorusskii"),
    "kazakhstan": ("казахстан", "қазақстан", "kazakhstan", "kazakstan", "казахстанский", "казахстанская"),
    "russia": ("россия", "российский", "russia", "russian", "российская"),
    "kyrgyz": ("кыргызский", "кыргызстан", "kyrgyz", "kyrgyzstan", "киргизский"),
    "armenia": ("армения", "армянский", "armenia", "armenian"),
    "minsk": ("минский", "минск", "minsk"),
    "moscow": ("московский", "москва", "moscow", "moskovskii"),
    "gomel": ("гомельский", "гомель", "gomel"),
    "mogilev": ("могилевский", "могилёвский", "могилев", "mogilev"),
    "elevator": ("лифтостроительный", "лифтовой", "lift", "elevator", "elevators"),
    "cable": ("кабельный", "cable", "кабель"),
    "optical": ("оптический", "оптико", "optical", "optics"),
    "instrument": ("приборостроительный", "приборный", "instrument", "instruments", "приборостроение"),
    "engine": ("двигатель", "двигателей", "engine", "engines", "моторостроительный", "моторный", "motor", "motors"),
    "pipe": ("трубный", "pipe", "pipes", "tube"),
    "aviation": ("авиационный", "aviation", "aircraft", "aerospace"),
    "railway": ("вагоностроительный", "railway", "railcar", "вагонный", "wagon"),
    "textile": ("текстильный", "textile", "textiles"),
    "cement": ("цементный", "cement"),
    "glass": ("стекольный", "glass"),
    "paper": ("бумажный", "целлюлозно", "paper", "pulp"),
    "fertiliser": ("азот", "azot", "удобрения", "fertilizer", "fertilizers", "fertiliser"),
    "energy": ("энерго", "энергетический", "energy", "power", "электростанция"),
    "communal": ("коммунальный", "communal", "municipal"),
    "center": ("центр", "center", "centre"),
    "technology": ("технологии", "технологический", "technology", "technologies", "tech"),
    "system": ("системы", "system", "systems"),
}

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def transliterate(text: str) -> str:
    """Cyrillic → Latin (GOST/ICAO-like); Latin diacritics removed; lower case."""
    t = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    t = "".join(c for c in t if not unicodedata.combining(c))
    return t.translate(_CYR_TABLE)


def phonetic_fold(latin: str) -> str:
    """Fold spelling variants of transliteration so that Russian and English spellings meet."""
    t = latin
    for _ in range(8):  # replacements can create new patterns ("kkh" -> "kh"); run to a fixed point
        before = t
        for a, b in _FOLDS:
            t = t.replace(a, b)
        t = _HARD_C.sub("k", t)
        t = _DOUBLE.sub(r"\1", t)
        if t == before:
            break
    return t


def _stem(token: str) -> str:
    # Adjectival and plural endings differ between transliterations ("minskii", "minskiy") and
    # languages; drop trailing vowels of words long enough to keep a stem.
    if len(token) > 4 and not token.isdigit():
        stripped = token.rstrip("aeiou")
        if len(stripped) >= 3:
            return stripped
    return token


def _fold_token(token: str) -> str:
    # Folding again after the stem: dropping a vowel can leave a final "c" to fold ("abace" -> "abak").
    return phonetic_fold(_stem(phonetic_fold(transliterate(token))))


def _tokens(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text.replace("№", " ")).casefold())


_LEGAL_TOKENS: frozenset[str] = frozenset(
    {a.casefold() for a in _LEGAL_ABBREVIATIONS} | {_fold_token(a) for a in _LEGAL_ABBREVIATIONS}
)
_LEGAL_PHRASE_SETS: tuple[frozenset[str], ...] = tuple(
    sorted({frozenset(_fold_token(t) for t in _tokens(p)) for p in _LEGAL_PHRASES}, key=len, reverse=True)
)
_STOPWORDS = frozenset(_fold_token(t) for t in ("of", "the", "and", "for", "и", "в", "по", "de", "№", "no"))
_NAMED_AFTER_TOKENS = frozenset(_fold_token(t) for p in _NAMED_AFTER for t in _tokens(p))
_SYNONYMS: dict[str, str] = {}
for _canon, _words in _SYNONYMS_RAW.items():
    for _w in _words:
        for _t in _tokens(_w):
            _SYNONYMS[_fold_token(_t)] = _canon
# Canonical tokens map to themselves so the key is a fixed point.
for _canon in _SYNONYMS_RAW:
    _SYNONYMS.setdefault(_fold_token(_canon), _canon)
    _SYNONYMS[_canon] = _canon


def _remove_phrases(tokens: list[str], phrases: Sequence[frozenset[str]]) -> list[str]:
    # Set-based: a spelled-out legal form is removed when all its words occur, in any order, so the
    # result does not depend on word order (the key sorts its words).
    present = set(tokens)
    drop: set[str] = set()
    for phrase in phrases:
        if phrase <= present and not phrase <= drop:
            drop |= phrase
    return [t for t in tokens if t not in drop] if drop else tokens


def _strip(name: str) -> tuple[list[str], bool]:
    folded = [f for f in (_fold_token(t) for t in _tokens(name)) if f]
    kept = _remove_phrases(folded, _LEGAL_PHRASE_SETS)
    kept = [t for t in kept if t not in _LEGAL_TOKENS and t not in _NAMED_AFTER_TOKENS and t not in _STOPWORDS]
    return (kept, False) if kept else (folded, True)


def strip_legal_forms(name: str) -> list[str]:
    """Folded tokens of ``name`` without legal forms and "named after"; never returns an empty list
    for a name that has letters (if only legal-form words remain, they are kept)."""
    return _strip(name)[0]


def _key_once(name: str) -> tuple[str, bool]:
    tokens, fallback = _strip(name)
    return " ".join(sorted({_SYNONYMS.get(t, t) for t in tokens})), fallback


def name_key(name: str) -> str:
    """Comparison key: legal forms removed, transliterated, folded, synonyms mapped, tokens sorted.

    Idempotent. A name made only of legal-form words ("Limited Company") keeps them; its key is
    iterated to a fixed point, because re-reading such a key can remove words again."""
    key, fallback = _key_once(name)
    if fallback:
        for _ in range(6):
            again = _key_once(key)[0]
            if again == key:
                break
            key = again
    return key


def website_domain(url: str) -> str:
    """Registrable-looking host of ``url``: scheme, www., path and port removed; lower case."""
    u = url.strip().lower()
    u = re.sub(r"^[a-z][a-z0-9+.-]*://", "", u)
    u = u.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].split("@")[-1].split(":", 1)[0]
    u = u.removeprefix("www.")
    return u.strip(".")


@dataclass(frozen=True)
class OrgRecord:
    """What the scorer needs to know about an organisation. ``names`` holds every known name
    (Russian, English, former names); ``tax_id`` is the compact national identifier."""

    id: str
    names: tuple[str, ...]
    country: str = ""
    region: str = ""
    city: str = ""
    lat: float | None = None
    lon: float | None = None
    tax_id: str = ""
    hs: frozenset[str] = frozenset()
    nace: frozenset[str] = frozenset()
    website: str = ""
    keys: tuple[str, ...] = field(default=(), compare=False)

    def name_keys(self) -> tuple[str, ...]:
        if self.keys:
            return self.keys
        return tuple(dict.fromkeys(k for k in (name_key(n) for n in self.names if n.strip()) if k))

    def prepared(self) -> OrgRecord:
        """A copy with the name keys computed once (use before scoring many pairs)."""
        return OrgRecord(
            self.id,
            self.names,
            self.country,
            self.region,
            self.city,
            self.lat,
            self.lon,
            self.tax_id,
            self.hs,
            self.nace,
            self.website,
            self.name_keys(),
        )


@dataclass(frozen=True)
class PairScore:
    a: str
    b: str
    confidence: float
    reasons: tuple[str, ...]
    name_similarity: float


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _name_similarity(ka: Sequence[str], kb: Sequence[str]) -> float:
    best = 0.0
    for x in ka:
        for y in kb:
            if x == y:
                return 1.0
            s = max(fuzz.token_sort_ratio(x, y), 0.85 * fuzz.token_set_ratio(x, y)) / 100.0
            best = max(best, s)
    return best


def score_pair(a: OrgRecord, b: OrgRecord) -> PairScore:
    """Confidence that ``a`` and ``b`` are the same organisation, with the reasons.

    Evidence is combined as a weighted sum clipped to 0..1: the name similarity carries most of
    the weight, the same tax ID is decisive, a different tax ID in the same country is decisive
    against, and location, codes and website shift the score. A name alone (even identical, in
    the same city) stays below the default automatic threshold: merging without a person needs
    a tax ID, a website or coordinates that agree."""
    reasons: list[str] = []
    ka, kb = a.name_keys(), b.name_keys()
    sim = _name_similarity(ka, kb)
    # Names carry most of the weight, but only a close name counts: 0.5 similarity is worth nothing.
    score = 0.8 * min(1.0, max(0.0, (sim - 0.5) / 0.5))
    reasons.append(f"name similarity {sim:.2f}")
    na = {t for k in ka for t in k.split() if t.isdigit()}
    nb = {t for k in kb for t in k.split() if t.isdigit()}
    if na and nb and not na & nb:
        score -= 0.3
        reasons.append("different numbers in the names")
    same_country = bool(a.country and a.country == b.country)
    if a.tax_id and b.tax_id:
        if a.tax_id == b.tax_id and (same_country or not (a.country and b.country)):
            score = max(score, 0.6) + 0.4
            reasons.append(f"same tax ID {a.tax_id}")
        elif same_country:
            score -= 0.5
            reasons.append("different tax IDs in the same country")
    if same_country:
        score += 0.05
        reasons.append(f"same country {a.country}")
    elif a.country and b.country:
        score -= 0.25
        reasons.append(f"different countries {a.country}/{b.country}")
    if a.region and a.region == b.region:
        score += 0.02
        reasons.append(f"same region {a.region}")
    if a.city and b.city and name_key(a.city) == name_key(b.city):
        score += 0.03
        reasons.append(f"same city {a.city}")
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        d = _haversine_km(a.lat, a.lon, b.lat, b.lon)
        if d <= 2.0:
            score += 0.07
            reasons.append(f"{d:.1f} km apart")
        elif d > 200.0:
            score -= 0.1
            reasons.append(f"{d:.0f} km apart")
    shared = sorted((a.hs & b.hs) | (a.nace & b.nace))
    if shared:
        score += min(0.06, 0.02 * len(shared))
        reasons.append("shared codes " + ", ".join(shared[:5]))
    da, db = website_domain(a.website), website_domain(b.website)
    if da and db:
        if da == db:
            score += 0.15
            reasons.append(f"same website {da}")
    conf = round(min(1.0, max(0.0, score)), 4)
    return PairScore(a.id, b.id, conf, tuple(reasons), sim)


def blocking_keys(rec: OrgRecord, common_tokens: frozenset[str] = frozenset()) -> set[str]:
    """Keys under which ``rec`` is filed; two records are compared only if they share one.

    ``common_tokens`` are tokens too frequent to block on (e.g. "plant"); compute them with
    :func:`candidate_pairs`."""
    keys: set[str] = set()
    if rec.tax_id:
        keys.add("t:" + rec.tax_id)
    dom = website_domain(rec.website)
    if dom:
        keys.add("w:" + dom)
    for k in rec.name_keys():
        toks = [t for t in k.split() if len(t) >= 3 and t not in common_tokens]
        for t in toks:
            keys.add("n:" + t[:6])
        if not toks and k:
            keys.add("k:" + k)
    return keys


def candidate_pairs(
    records: Sequence[OrgRecord], max_block: int = 200, common_share: float = 0.02
) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) of records sharing a blocking key. Tokens present in more than
    ``common_share`` of the records (and at least 50) are not used as keys; blocks larger than
    ``max_block`` are skipped except for tax ID and website keys. Each pair is yielded once."""
    freq: dict[str, int] = defaultdict(int)
    for r in records:
        for k in r.name_keys():
            for t in set(k.split()):
                freq[t] += 1
    limit = max(50, int(common_share * len(records)))
    common = frozenset(t for t, c in freq.items() if c > limit)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        for key in blocking_keys(r, common):
            blocks[key].append(i)
    seen: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if len(members) > max_block and not key.startswith(("t:", "w:")):
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pair = (members[x], members[y])
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def classify(
    confidence: float,
    auto_threshold: float = DEFAULT_AUTO_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
) -> str | None:
    """ "automatic" at or above the high threshold, "pending" (a person decides) between the two,
    None below the low one."""
    if not 0.0 <= review_threshold <= auto_threshold <= 1.0:
        raise ValueError("thresholds must satisfy 0 <= review <= auto <= 1")
    if confidence >= auto_threshold:
        return "automatic"
    if confidence >= review_threshold:
        return "pending"
    return None


def find_duplicates(
    records: Iterable[OrgRecord],
    auto_threshold: float = DEFAULT_AUTO_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
) -> list[tuple[PairScore, str]]:
    """Candidate duplicate pairs with their status ("automatic" or "pending"), best first."""
    prepared = [r.prepared() for r in records]
    out: list[tuple[PairScore, str]] = []
    for i, j in candidate_pairs(prepared):
        s = score_pair(prepared[i], prepared[j])
        status = classify(s.confidence, auto_threshold, review_threshold)
        if status:
            out.append((s, status))
    out.sort(key=lambda x: (-x[0].confidence, x[0].a, x[0].b))
    return out


_LEGAL_FORM_CODES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("PJSC", ("пао", "pjsc", "публичное акционерное общество", "public joint stock company")),
    ("OJSC", ("оао", "ojsc", "oao", "открытое акционерное общество", "open joint stock company")),
    ("CJSC", ("зао", "cjsc", "zao", "закрытое акционерное общество", "closed joint stock company")),
    ("JSC", ("ао", "jsc", "ак", "акционерное общество", "joint stock company", "акционерлік қоғам")),
    ("LLP", ("тоо", "llp", "жшс", "товарищество с ограниченной ответственностью", "limited liability partnership")),
    (
        "LLC",
        (
            "ооо",
            "llc",
            "осоо",
            "одо",
            "сооо",
            "иооо",
            "ltd",
            "gmbh",
            "общество с ограниченной ответственностью",
            "limited liability company",
        ),
    ),
    (
        "SOE",
        (
            "гп",
            "уп",
            "руп",
            "чуп",
            "фгуп",
            "гуп",
            "муп",
            "куп",
            "fsue",
            "rue",
            "pue",
            "унитарное предприятие",
            "государственное предприятие",
            "unitary enterprise",
            "state enterprise",
        ),
    ),
)


def detect_legal_form(name: str) -> str:
    """Legal form code (PJSC, OJSC, CJSC, JSC, LLP, LLC, SOE) named in ``name``, or ""."""
    words = _tokens(name)
    text = " " + " ".join(words) + " "
    for code, forms in _LEGAL_FORM_CODES:
        for form in forms:
            if f" {form} " in text:
                return code
    return ""
