"""Reference data as plain functions: the indicator catalogue and the territory gazetteer.

Both are data shipped in qala/store/data and need no store:

    >>> find_indicator("объем инвестиций в основной капитал", unit="KZT")
    'fixed_capital_investment'
    >>> indicator("unemployment_rate").measure_kind
    'share'
    >>> find_territory("в Карагандинской области")
    '350000000'
    >>> find_territory("Нур-Султан", year=2020), find_territory("ВКО")
    ('710000000', '630000000')
    >>> region_of("751710000")  # Медеуский район of Алматы
    '750000000'
    >>> find_territory("Оренбург")  # abroad: the country
    'RU'

The gazetteer is the KATO classifier (data/kato.csv, 16 264 units as of 17.10.2022) under a hand
layer (data/territories.csv): the country, name forms texts use, renamings valid for some years,
short forms, units the 2022 classifier lacks and countries abroad. The catalogue is
data/indicators.csv. The store seeds the catalogue and the upper units of the gazetteer into its
tables (``qala.store.reference.seed``) and adds a village or rural district when a figure names it;
other packages (an importer of official statistics) may call these functions directly.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

COUNTRY = "000000000"


@dataclass(frozen=True)
class AliasRow:
    form: str
    valid_from: int | None = None
    valid_to: int | None = None
    key: str | None = None  # the normalized form, when shipped ready (data/kato_keys.tsv)


@dataclass(frozen=True)
class TerritoryRow:
    kato: str
    name: str
    kind: str  # country | region | city | city_administration | district | rural_district | settlement | foreign
    parent: str | None
    verified: bool  # the code is the classifier's (or the country's, or an ISO code abroad)
    aliases: tuple[AliasRow, ...]


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit_family: str | None
    parent: str | None
    aliases: tuple[str, ...]
    measure_kind: str = "level"  # level | growth_rate | index | share
    additive: bool = True  # the parts' figures add up to the whole's


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("qala.store").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def parse_alias(item: str) -> AliasRow:
    """One alias cell entry: "Нур-Султан@2019-2022", "ЮКО@-2018", "Алматы".

    >>> parse_alias("Нур-Султан@2019-2022")
    AliasRow(form='Нур-Султан', valid_from=2019, valid_to=2022, key=None)
    """
    form, _, years = item.partition("@")
    start, _, stop = years.partition("-")
    return AliasRow(form.strip(), int(start) if start else None, int(stop) if stop else None)


# ================================================================ indicators

@lru_cache(maxsize=1)
def _indicators() -> tuple[IndicatorRow, ...]:
    return tuple(IndicatorRow(code=r["code"], name=r["name"], unit_family=r["unit_family"] or None,
                              parent=r["parent"] or None,
                              aliases=tuple(a.strip() for a in r["aliases"].split("|") if a.strip()),
                              measure_kind=r["measure_kind"], additive=r["additive"] == "yes")
                 for r in _rows("indicators.csv"))


def indicators() -> list[IndicatorRow]:
    """The catalogue: every indicator with its code, name, aliases, unit family, kind, parent."""
    return list(_indicators())


def indicator(code: str) -> IndicatorRow | None:
    return {r.code: r for r in _indicators()}.get(code)


# ================================================================ territories

# A classifier name's marks of its kind: "г.Семей", "Семей Г.А.", "Абралинский с.о.", "п.а.Нура".
CITY_MARK = re.compile(r"^г\.\s*")
ADMINISTRATION_MARK = re.compile(r"\s+Г\.А\.?$|\s+г\.а\.?$")
RURAL_MARK = re.compile(r"\s+(с\.о\.?|с\.а\.?|п\.а\.?)$|^(с\.о\.|с\.а\.|п\.а\.)\s*")
PLACE_MARK = re.compile(r"^(?:с|п|ст|рзд|уч|кр|крес|отг|Отд|Жив|ж\.м|мкр)\.\s*|^зимовка\s+")
RURAL_WORDS = {"с.о": "сельский округ", "с.а": "сельская администрация", "п.а": "поселковая администрация"}


def _kato_kind(name: str, level: int) -> str:
    if level == 1:
        return "city" if CITY_MARK.match(name) else "region"
    if ADMINISTRATION_MARK.search(name):
        return "city_administration"
    if CITY_MARK.match(name):
        return "city"
    if RURAL_MARK.search(name):
        return "rural_district"
    return "district" if level == 2 else "settlement"


def _kato_forms(name: str, kind: str) -> tuple[str, ...]:
    """The name forms of a classifier unit a text may use."""
    if kind == "city_administration":  # the city itself carries the plain name
        return (ADMINISTRATION_MARK.sub("", name) + " городская администрация",)
    if kind == "rural_district":
        mark = RURAL_MARK.search(name)
        bare = RURAL_MARK.sub("", name).strip()
        words = RURAL_WORDS[(mark.group(1) or mark.group(2)).rstrip(".")]
        return (f"{bare} {words}", name)
    return (PLACE_MARK.sub("", CITY_MARK.sub("", name)).strip(),)


@lru_cache(maxsize=2)
def _territories(keep=None) -> tuple[TerritoryRow, ...]:
    """The gazetteer's rows (``keep(kato)``: of the classifier's units, only those it accepts)."""
    hand = {r["kato"]: r for r in _rows("territories.csv")}
    keys = _kato_keys()
    rows: list[TerritoryRow] = []
    seen: set[str] = set()
    country = hand[COUNTRY]
    rows.append(TerritoryRow(COUNTRY, country["name"], "country", None, True, _hand_aliases(country)))
    seen.add(COUNTRY)
    for r in _rows("kato.csv"):
        code, name, level = r["code"], r["name_ru"].strip(), int(r["level"])
        if keep is not None and not keep(code):
            continue
        kind = _kato_kind(name, level)
        own = hand.get(code)
        forms = [f for f in _kato_forms(name, kind) if f]
        ready = keys.get(code)
        shipped = tuple(AliasRow(f, key=k) for f, k in zip(forms, ready, strict=True)) if ready and len(
            ready) == len(forms) else tuple(AliasRow(f) for f in forms)
        aliases = (_hand_aliases(own) if own else ()) + shipped
        rows.append(TerritoryRow(code, own["name"] if own else name, own["kind"] if own else kind,
                                 r["parent_code"] or COUNTRY, True, aliases))
        seen.add(code)
    for code, r in hand.items():  # units the 2022 classifier lacks, countries abroad
        if code not in seen:
            rows.append(TerritoryRow(code, r["name"], r["kind"], r["parent"] or None, r["verified"] == "yes",
                                     _hand_aliases(r)))
    return tuple(rows)


KEYS_FILE = "kato_keys.tsv"


def _kato_keys() -> dict[str, list[str]]:
    """The normalized name forms of every classifier unit, shipped ready: pymorphy takes about a
    millisecond for each of 16 000 rare names, too long for every store that opens."""
    try:
        text = resources.files("qala.store").joinpath("data", KEYS_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    out = {}
    for line in text.splitlines():
        code, _, keys = line.partition("\t")
        out[code] = keys.split("|")
    return out


def kato_key_lines(every: int = 1) -> list[str]:
    """data/kato_keys.tsv as it should be: code, then the normalized forms of the unit's names
    (``every``: of every so many units only, for a quick check).

    ``python -m qala.reference`` writes it; a test checks it is current."""
    from qala.store.resolve import normalize_territory

    lines = []
    for r in _rows("kato.csv")[::every]:
        name, level = r["name_ru"].strip(), int(r["level"])
        forms = [f for f in _kato_forms(name, _kato_kind(name, level)) if f]
        lines.append(r["code"] + "\t" + "|".join(normalize_territory(f) for f in forms))
    return lines


FORMS_FILE = "form_keys.tsv"


@lru_cache(maxsize=1)
def _form_keys() -> dict[tuple[str, str], str]:
    """The normalized keys of the hand-written forms (territory "t", indicator "i"), shipped ready."""
    try:
        text = resources.files("qala.store").joinpath("data", FORMS_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    out = {}
    for line in text.splitlines():
        kind, form, key = line.split("\t")
        out[(kind, form)] = key
    return out


def form_key_lines() -> list[str]:
    """data/form_keys.tsv as it should be (``python -m qala.reference`` writes it)."""
    from qala.store.resolve import normalize_indicator, normalize_territory

    hand = [a.form for r in _rows("territories.csv") for a in _hand_aliases(r)]
    forms = [f for r in _indicators() for f in (r.name, *r.aliases)]
    return ([f"t\t{f}\t{normalize_territory(f)}" for f in dict.fromkeys(hand)]
            + [f"i\t{f}\t{normalize_indicator(f)}" for f in dict.fromkeys(forms)])


def territory_key(form: str) -> str:
    from qala.store.resolve import normalize_territory

    key = _form_keys().get(("t", form))
    return key if key is not None else normalize_territory(form)


def indicator_key(form: str) -> str:
    """The normalized key of an indicator phrase (shipped ready for the catalogue's own forms)."""
    from qala.store.resolve import normalize_indicator

    key = _form_keys().get(("i", form))
    return key if key is not None else normalize_indicator(form)


def alias_key(alias: AliasRow) -> str:
    """The normalized form of an alias (shipped ready, or computed now)."""
    return alias.key if alias.key is not None else territory_key(alias.form)


def _hand_aliases(row: dict[str, str]) -> tuple[AliasRow, ...]:
    return (AliasRow(row["name"]),) + tuple(parse_alias(a) for a in row["aliases"].split("|") if a.strip())


def territories() -> list[TerritoryRow]:
    """The gazetteer: the country, every KATO unit, units the classifier lacks, countries abroad."""
    return list(_territories())


def store_territories() -> list[TerritoryRow]:
    """The units a store is seeded with: the country, regions, districts, cities, the hand layer and
    countries abroad (some 500). A rural district or village joins a store when a figure names it
    (``lineage``): 16 000 units in every new store cost seconds nobody needs."""
    from qala.store.resolve import kato_rank

    hand = {r["kato"] for r in _rows("territories.csv")}
    return list(_territories(lambda kato: kato in hand or kato_rank(kato) <= 2))


def lineage(kato: str) -> list[TerritoryRow]:
    """A unit and the units it lies in, the outermost first."""
    by_kato = _by_kato()
    chain: list[TerritoryRow] = []
    row = by_kato.get(kato)
    while row is not None and row not in chain:
        chain.insert(0, row)
        row = by_kato.get(row.parent) if row.parent else None
    return chain


def territory(kato: str) -> TerritoryRow | None:
    return _by_kato().get(kato)


@lru_cache(maxsize=1)
def _by_kato() -> dict[str, TerritoryRow]:
    return {t.kato: t for t in _territories()}


def region_of(kato: str) -> str | None:
    """The region (or city of republican significance) a unit lies in; itself for a region;
    None for the country, a country abroad or an unknown code."""
    by_kato = _by_kato()
    row = by_kato.get(kato)
    while row is not None and row.parent not in (None, COUNTRY):
        row = by_kato.get(row.parent)
    return row.kato if row is not None and row.parent == COUNTRY else None


# ================================================================ look-ups without a store

@lru_cache(maxsize=1)
def _index():
    from qala.store.resolve import build_index

    terr = _territories()
    ind = _indicators()
    return build_index(
        territories=[(i, t.kato, t.kind, t.parent and _position()[t.parent]) for i, t in enumerate(terr)],
        territory_aliases=[(alias_key(a), i, a.valid_from, a.valid_to) for i, t in enumerate(terr)
                           for a in t.aliases],
        indicators=[(i, r.code, r.unit_family, _codes().get(r.parent)) for i, r in enumerate(ind)],
        indicator_aliases=[(indicator_key(form), i) for i, r in enumerate(ind)
                           for form in (r.name, *r.aliases)])


@lru_cache(maxsize=1)
def _position() -> dict[str, int]:
    return {t.kato: i for i, t in enumerate(_territories())}


@lru_cache(maxsize=1)
def _codes() -> dict[str, int]:
    return {r.code: i for i, r in enumerate(_indicators())}


def find_territory(name: str | None, year: int | None = None, within: str | None = None) -> str | None:
    """The KATO code (ISO code abroad) a place name refers to, or None when unknown or ambiguous.

    ``within``: a KATO code the text is about; of several places of one name, the one inside it.
    """
    index = _index()
    found = index.territory(name, year, within=_position().get(within) if within else None)
    return None if found is None else _territories()[found].kato


def find_indicator(phrase: str | None, *, unit: str | None = None, object: str | None = None) -> str | None:
    """The code of the indicator a measure phrase names (with its unit and counted object), or None."""
    found = _index().indicator(phrase, object=object, unit=unit)
    return None if found is None else _indicators()[found].code


if __name__ == "__main__":  # python -m qala.reference: write the key files after the data changes
    from pathlib import Path

    for name, lines in ((KEYS_FILE, kato_key_lines()), (FORMS_FILE, form_key_lines())):
        target = Path(__file__).parent / "store" / "data" / name
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {target}")
