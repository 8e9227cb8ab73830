"""Resolution: place names, indicator phrases and person names to the store's canonical records."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from qala.store import schema
from qala.store.reference import indicators, seed, territories
from qala.store.resolve import aliases, name_parts, resolve_person


@pytest.fixture(scope="module")
def index(module_engine):
    """Resolvers over one seeded store per backend: territory text -> KATO, phrase -> indicator code."""
    engine = module_engine
    seed(engine)
    with Session(engine) as s:
        katos = {tid: kato for tid, kato in s.execute(select(schema.Territory.id, schema.Territory.kato))}
        codes = {iid: code for iid, code in s.execute(select(schema.Indicator.id, schema.Indicator.code))}
    ix = aliases(engine)
    return (lambda text, year=None: katos.get(ix.territory(text, year)),
            lambda phrase, object=None, unit=None: codes.get(ix.indicator(phrase, object=object, unit=unit)))


TERRITORIES = [
    # text as written, year of the document, expected KATO (None: unknown or ambiguous)
    ("Алматы", None, "750000000"),
    ("г. Алматы", None, "750000000"),
    ("города Алматы", None, "750000000"),
    ("в городе Алматы", None, "750000000"),
    ("южной столицы", None, "750000000"),
    ("Нур-Султан", 2020, "710000000"),
    ("Нур-Султане", 2021, "710000000"),
    ("г. Нур-Султана", 2019, "710000000"),
    ("Астане", 2023, "710000000"),
    ("Шымкенте", None, "790000000"),
    ("Алматинской области", None, "190000000"),
    ("Туркестанской области", 2020, "610000000"),
    ("Южно-Казахстанской области", 2016, "610000000"),
    ("области Жетысу", 2023, "330000000"),
    ("Жетысуской области", 2023, "330000000"),
    ("Абайской области", 2023, "100000000"),
    ("Улытауской области", 2022, "620000000"),
    ("ВКО", None, "630000000"),
    ("по стране", None, "000000000"),
    ("Казахстане", None, "000000000"),
    ("Бостандыкском районе", None, "751310000"),
    ("Москве", None, None),
    ("Алматы и Астане", None, None),
    ("", None, None),
]


@pytest.mark.parametrize("text, year, kato", TERRITORIES)
def test_territory(index, text, year, kato):
    assert index[0](text, year) == kato


INDICATORS = [
    # phrase, counted object, unit, expected indicator code
    ("объем промышленного производства", None, "KZT", "industrial_output"),
    ("объемы промышленного производства", None, None, "industrial_output"),
    ("промышленное производство в обрабатывающей промышленности", None, None, "manufacturing_output"),
    ("инвестиции в основной капитал", None, "KZT", "fixed_capital_investment"),
    ("прямые иностранные инвестиции", None, "USD", "foreign_direct_investment"),
    ("ввод жилья", None, "m2", "housing_commissioned"),
    (None, "рабочее место", "count", "jobs_created"),
    ("инвестиционных проектов", None, "count", "investment_projects"),
    ("уровень безработицы", None, "%", "unemployment_rate"),
    ("среднемесячной заработной платы", None, "KZT", "average_wage"),
    ("валовой региональный продукт", None, "KZT", "grp"),
    ("рост экономики", None, None, "gdp"),
    ("строительство дорог", None, "km", "roads"),
    ("розничной торговли", None, "KZT", "retail_trade"),
    ("стоимость проектов", None, "KZT", None),  # a count indicator cannot hold tenge
    ("погода", None, None, None),
]


@pytest.mark.parametrize("phrase, obj, unit, code", INDICATORS)
def test_indicator(index, phrase, obj, unit, code):
    assert index[1](phrase, obj, unit) == code


def test_reference_data_is_complete_and_seeding_is_idempotent(engine):
    kinds = [t.kind for t in territories()]
    assert kinds.count("region") == 17 and kinds.count("city") == 3 and kinds.count("country") == 1
    assert len({t.kato for t in territories()}) == len(territories())
    assert len(indicators()) >= 25
    seed(engine)
    seed(engine)
    with Session(engine) as s:
        assert s.query(schema.Territory).count() == len(territories())
        assert s.query(schema.Indicator).count() == len(indicators())
        manufacturing = s.scalar(select(schema.Indicator).where(schema.Indicator.code == "manufacturing_output"))
        assert s.get(schema.Indicator, manufacturing.parent_id).code == "industrial_output"
        shymkent_district = s.scalar(select(schema.Territory).where(schema.Territory.kato == "791710000"))
        assert s.get(schema.Territory, shymkent_district.parent_id).name == "Шымкент"


@pytest.mark.parametrize("name, given, initial, surname", [
    ("Аскар Мамин", "аскар", "а", "мамин"),
    ("А. Мамин", None, "а", "мамин"),
    ("Мамин А.У.", None, "а", "мамин"),
    ("Мамин Аскар Узакпаевич", "аскар", "а", "мамин"),
    ("Аскар Узакпаевич Мамин", "аскар", "а", "мамин"),
])
def test_name_parts(name, given, initial, surname):
    parts = name_parts(name)
    assert (parts.given, parts.initial, parts.surname) == (given, initial, surname)


def test_person_resolution(engine):
    with Session(engine) as s, s.begin():
        mamin = resolve_person(s, "Аскар Мамин", ["Аскара Мамина"])
        assert resolve_person(s, "А. Мамин").id == mamin.id
        assert resolve_person(s, "Мамин Аскар Узакпаевич").id == mamin.id
        other = resolve_person(s, "Б. Мамин")  # another initial: another person
        assert other.id != mamin.id
        assert resolve_person(s, "Мамин").id not in (None,)  # surname alone, two candidates: a new record
        forms = set(s.scalars(select(schema.PersonName.form).where(schema.PersonName.person_id == mamin.id)))
    assert forms == {"Аскар Мамин", "Аскара Мамина", "А. Мамин", "Мамин Аскар Узакпаевич"}
