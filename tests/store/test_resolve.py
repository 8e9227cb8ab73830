"""Resolution: place names, indicator phrases and person names to the store's canonical records."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from qala.store import schema
from qala.store.reference import indicators, seed, store_territories, territories
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
    ("Алма-Ата", 1990, "750000000"),
    ("Нур-Султан", 2020, "710000000"),
    ("Нур-Султане", 2021, "710000000"),
    ("г. Нур-Султана", 2019, "710000000"),
    ("Астане", 2023, "710000000"),
    ("Шымкенте", None, "790000000"),
    ("Алматинской области", None, "190000000"),
    ("Алматинскую область", None, "190000000"),
    ("Акмолинской обл.", None, "110000000"),
    ("Карагандинской областью", None, "350000000"),
    ("Туркестанской области", 2020, "610000000"),
    ("Южно-Казахстанской области", 2016, "610000000"),
    ("ЮКО", 2015, "610000000"),
    ("области Жетысу", 2023, "330000000"),
    ("область Жетісу", 2023, "330000000"),
    ("Жетысуской области", 2023, "330000000"),
    ("Абайской области", 2023, "100000000"),
    ("области Абай", 2023, "100000000"),
    ("Улытауской области", 2022, "620000000"),
    ("области Улытау", 2024, "620000000"),
    ("Мангыстауской области", None, "470000000"),
    ("ВКО", None, "630000000"),
    ("Восточного Казахстана", 2019, "630000000"),
    ("в Северном Казахстане", None, "590000000"),
    ("по стране", None, "000000000"),
    ("Казахстане", None, "000000000"),
    ("Республики Казахстан", None, "000000000"),
    ("РК", None, "000000000"),
    ("по республике", None, "000000000"),
    ("Бостандыкском районе", None, "751410000"),
    ("Алатауского района", 2020, "751210000"),
    ("района Сарыарка", None, "711310000"),
    ("Енбекшинском районе", None, "791510000"),
    # cities under the regions, in the cases texts use
    ("Караганды", None, "351010000"),
    ("г. Караганда", None, "351010000"),
    ("в Караганде", None, "351010000"),
    ("Актобе", None, "151010000"),
    ("города Уральска", None, "271010000"),
    ("Усть-Каменогорске", None, "631010000"),
    ("Өскемен", None, "631010000"),
    ("Семипалатинска", 2005, "101010000"),
    ("Талдыкоргане", None, "331010000"),
    ("Павлодара", None, "551010000"),
    ("Туркестане", None, "611010000"),
    ("Капшагай", 2020, "191010000"),
    ("Конаеве", 2023, "191010000"),
    ("Медеуский район", None, "751710000"),
    ("района Байконыр", 2020, "711410000"),
    # the whole classifier: towns, districts, rural districts and villages of every region
    ("Степногорск", None, "111810000"),
    ("Семей", None, "101010000"),
    ("в районе Ақсуат", None, "103400000"),
    ("Абайском районе", None, None),  # three districts of the name: left to a person
    ("область Абай", 2023, "100000000"),  # the region before the villages of its name,
    # foreign, unknown, several places, or no place at all
    ("Москве", None, "RU"),  # abroad: the country
    ("Ростовская область", None, "RU"),
    ("Узбекистан", None, "UZ"),
    ("Бишкеке", None, "KG"),
    ("Алматы и Астане", None, None),
    ("Аким области", None, None),
    ("", None, None),
]


@pytest.mark.parametrize("text, year, kato", TERRITORIES)
def test_territory(index, text, year, kato):
    assert index[0](text, year) == kato


INDICATORS = [
    # phrase, counted object, unit, expected indicator code (None: unknown or ambiguous)
    ("объем промышленного производства", None, "KZT", "industrial_output"),
    ("объемы промышленного производства", None, None, "industrial_output"),
    ("объем промышленного производства в городе", None, "KZT", "industrial_output"),
    ("производства промышленного объем", None, "KZT", "industrial_output"),  # word order
    ("рост промышленного производства", None, None, "industrial_output"),
    ("промышленные предприятия", None, "KZT", "industrial_output"),
    ("промышленное производство в обрабатывающей промышленности", None, None, "manufacturing_output"),
    ("продукция обрабатывающей промышленности", None, "KZT", "manufacturing_output"),
    ("горнодобывающая промышленность", None, "KZT", "mining_output"),
    ("машиностроение", None, None, "machine_building"),
    ("производство фармацевтической продукции", None, None, "pharmaceuticals"),
    ("легкая промышленность", None, None, "light_industry"),
    ("производство продуктов питания", None, "KZT", "food_industry"),
    ("инвестиции в основной капитал", None, "KZT", "fixed_capital_investment"),
    ("объем инвестиций", None, "KZT", "fixed_capital_investment"),
    ("инвестиции в экономику", None, None, "fixed_capital_investment"),
    ("объем частных инвестиций", None, None, "private_investment"),
    ("прямые иностранные инвестиции", None, "USD", "foreign_direct_investment"),
    ("ввод жилья", None, "m2", "housing_commissioned"),
    ("объем ввода в эксплуатацию", None, "m2", "housing_commissioned"),
    ("жилищный фонд", None, "m2", "housing_stock"),
    ("строительство жилья", None, "KZT", "construction_works"),  # tenge: the works, not the floor area
    ("строительных работ", None, "KZT", "construction_works"),
    (None, "квартира", "count", "apartments"),
    (None, "рабочее место", "count", "jobs_created"),
    ("постоянные рабочие места на фабрике", "рабочее место", "count", "jobs_created"),
    ("инвестиционных проектов", None, "count", "investment_projects"),
    ("проект", "проект", "count", "investment_projects"),
    ("проекты", None, "KZT", "investment_projects_value"),
    ("стоимость проектов", None, "KZT", "investment_projects_value"),
    ("уровень безработицы", None, "%", "unemployment_rate"),
    ("число безработных", "человек", "count", "unemployed"),
    ("среднемесячной заработной платы", None, "KZT", "average_wage"),
    ("численность населения", "человек", "count", "population"),
    ("валовой региональный продукт", None, "KZT", "grp"),
    ("ВРП", None, None, "grp"),
    ("рост экономики", None, None, "gdp"),
    ("краткосрочный экономический индикатор", None, None, "short_term_indicator"),
    ("индекс роста цен", None, None, "inflation"),
    ("строительство дорог", None, "km", "roads"),
    ("ремонт автомобильных дорог", None, "km", "roads"),
    ("розничной торговли", None, "KZT", "retail_trade"),
    ("розничный товарооборот", None, "KZT", "retail_trade"),
    ("экспорт продукции сельского хозяйства", None, "USD", "exports"),  # the head noun decides
    ("объем производства сельхозпродукции", None, None, "agriculture_output"),
    ("увеличение объемов производства свинины", None, None, "pork_production"),  # a part of meat, its own
    ("производство мяса птицы", None, None, "poultry_meat_production"),
    ("рост в животноводстве", None, None, "livestock_output"),
    ("птицеводство мясного направления", None, None, "poultry_farming"),
    ("поголовье скота", None, None, "livestock_headcount"),
    ("средняя урожайность", None, "c/ha", "crop_yield"),
    ("сбор зерна", None, "t", "grain_harvest"),
    ("пшеница", None, "t", "grain_harvest"),
    ("пшеница", None, "ha", "sown_area"),  # the unit tells a harvest from a sown area
    ("посев озимой пшеницы", None, "ha", "sown_area"),
    ("уборка пшеницы", None, "ha", "harvested_area"),  # the head noun decides
    ("доля МСБ в ВРП", None, "%", "sme_share"),
    ("производство электроэнергии", None, "kWh", "electricity_generation"),
    ("солнечная электростанция", None, "MW", "power_capacity"),
    ("уровень газификации", None, "%", "gasification"),
    (None, "школа", "count", "schools"),
    (None, "детский сад", "count", "kindergartens"),
    (None, "учреждение здравоохранения", "count", "hospitals"),
    ("доходная часть бюджета", None, None, "budget_revenue"),
    ("налоговые поступления", None, "KZT", "tax_revenue"),
    ("основной капитал", None, "KZT", "fixed_capital_investment"),  # "в основной капитал вложено ..."
    ("автомобилестроение", None, None, "motor_vehicles"),  # a branch of machine building, its own series
    ("рост физических объемов машиностроения", None, None, "machine_building"),
    ("экспорт сельхозпродукции", None, "t", "agri_exports_volume"),  # tonnes and tenge: two indicators
    ("экспорт сельскохозяйственной продукции", None, "USD", "agri_exports"),
    ("водосберегающие технологии", None, "ha", "water_saving_land"),
    ("охват детей в возрасте от трех лет", None, "%", "preschool_coverage"),
    (None, "электробус", "count", "buses"),
    ("ожидаемая продолжительность жизни", None, None, "life_expectancy"),  # an alias may hold a plan word
    # unknown, contradicted by the unit, or ambiguous: left for a person
    ("стоимость", None, "KZT", None),
    (None, "рабочее место", "KZT", None),  # jobs are counted, not paid
    ("промышленное производство", None, "%", None),  # a share or a growth rate: not the output itself
    ("доля Алматы", None, "%", None),
    ("человек", "человек", "count", None),
    ("запасы овощей", None, "t", None),  # the head noun names no measure
    ("первое полугодие в экономику", None, "KZT", None),
    ("финансирование", None, "KZT", None),
    ("план: ввод жилья", None, "m2", None),  # a plan's figure is a commitment, not the housing built
    ("прогноз валового сбора зерна", None, "t", None),
    ("целевой рост экономики", None, None, None),
    ("пшеница", None, None, None),  # no unit: a harvest or a sown area, equally good readings
    ("реализуемые проекты", None, None, None),  # no unit: their number or their cost
    ("индекс физического объема", None, None, None),
    ("погода", None, None, None),
    (None, None, "KZT", None),
]


@pytest.mark.parametrize("phrase, obj, unit, code", INDICATORS)
def test_indicator(index, phrase, obj, unit, code):
    assert index[1](phrase, obj, unit) == code


def test_no_phrase_names_two_indicators_of_one_unit_family():
    """Such a pair could never be told apart: every fact using the phrase would stay unresolved."""
    from qala.store.resolve import normalize_indicator

    owners: dict[tuple[str, str | None], set[str]] = {}
    for row in indicators():
        for form in (row.name, *row.aliases):
            owners.setdefault((normalize_indicator(form), row.unit_family), set()).add(row.code)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    codes = {row.code for row in indicators()}
    assert all(row.parent in codes for row in indicators() if row.parent)


def test_reference_data_is_complete_and_seeding_is_idempotent(engine):
    rows = territories()
    kinds = [t.kind for t in rows]
    assert kinds.count("region") == 17 and kinds.count("country") == 1
    assert len([t for t in rows if t.kind != "foreign"]) >= 16_264 + 1  # the classifier and the country
    by_kato = {t.kato: t for t in rows}
    assert len(by_kato) == len(rows)
    assert all(t.parent in by_kato for t in rows if t.parent)
    assert {t.name for t in rows if t.kind == "city" and t.parent == "000000000"} == {"Алматы", "Астана", "Шымкент"}
    assert by_kato["111010000"].kind == "city" and by_kato["111000000"].kind == "city_administration"
    assert by_kato["101033000"].kind == "rural_district" and by_kato["101033100"].kind == "settlement"
    assert len(indicators()) >= 250
    seed(engine)
    seed(engine)
    with Session(engine) as s:
        assert s.query(schema.Territory).count() == len(store_territories()) < 600
        assert s.query(schema.Indicator).count() == len(indicators())
        aliases_once = s.query(schema.IndicatorAlias).count()
        territory_aliases_once = s.query(schema.TerritoryAlias).count()
        manufacturing = s.scalar(select(schema.Indicator).where(schema.Indicator.code == "manufacturing_output"))
        assert s.get(schema.Indicator, manufacturing.parent_id).code == "industrial_output"
        pharma = s.scalar(select(schema.Indicator).where(schema.Indicator.code == "pharmaceuticals"))
        assert s.get(schema.Indicator, pharma.parent_id).code == "manufacturing_output"
        shymkent_district = s.scalar(select(schema.Territory).where(schema.Territory.kato == "791710000"))
        assert s.get(schema.Territory, shymkent_district.parent_id).name == "Шымкент"
    seed(engine)
    with Session(engine) as s:
        assert s.query(schema.IndicatorAlias).count() == aliases_once
        assert s.query(schema.TerritoryAlias).count() == territory_aliases_once


def test_seeding_repairs_codes_once_written_by_hand(engine):
    """A store seeded when 751710000 was taken for Алатауский район: the classifier names it Медеуский,
    and the name "Алатауский район" moves to 751210000, an analyst's own alias stays."""
    from qala.store.resolve import aliases as index_of
    from qala.store.resolve import clear_cache, normalize_territory

    seed(engine)
    T, TA = schema.Territory, schema.TerritoryAlias
    with Session(engine) as s, s.begin():
        wrong = s.scalar(select(T).where(T.kato == "751710000"))
        wrong.name = "Алатауский район"
        s.add(TA(territory_id=wrong.id, alias=normalize_territory("Алатауский район")))
        s.add(TA(territory_id=wrong.id, alias=normalize_territory("Медеу ауданы")))
    clear_cache(engine)
    seed(engine)
    with Session(engine) as s:
        assert s.scalar(select(T.name).where(T.kato == "751710000")) == "Медеуский район"
        kato = dict(s.execute(select(T.id, T.kato)).all())
    found = index_of(engine)
    assert kato[found.territory("Алатауский район")] == "751210000"
    assert kato[found.territory("Медеу ауданы")] == "751710000"


def test_a_place_of_a_common_name_is_the_one_in_the_document_region(index, module_engine):
    from qala.store.resolve import aliases as index_of

    with Session(module_engine) as s:
        ids = {kato: tid for tid, kato in s.execute(select(schema.Territory.id, schema.Territory.kato))}
    found = index_of(module_engine)
    katos = {v: k for k, v in ids.items()}
    assert found.territory("Абайском районе") is None
    assert katos[found.territory("Абайском районе", within=ids["790000000"])] == "791110000"
    assert katos[found.territory("Абайском районе", within=ids["350000000"])] == "353200000"
    assert katos[found.region(ids["751710000"])] == "750000000"
    assert katos[found.region(ids["103400000"])] == "100000000"
    assert found.region(ids["000000000"]) is None and found.region(ids["RU"]) is None


def test_a_place_run_into_other_words_is_the_place_it_begins_with(index, module_engine):
    """The name recognizer sometimes runs a place into the next words ("Астаны Ивана Петрова"): of a
    name that is no place as a whole, the place its first words name; a pointer stays the document's."""
    from qala.store.resolve import aliases as index_of

    with Session(module_engine) as s:
        ids = {kato: tid for tid, kato in s.execute(select(schema.Territory.id, schema.Territory.kato))}
    found = index_of(module_engine)
    katos = {v: k for k, v in ids.items()}
    assert katos[found.fact_territory("Астаны Ивана Петрова", 2023, None)] == "710000000"
    assert katos[found.fact_territory("ВРП Шымкента", 2023, None)] == "790000000"
    assert katos[found.fact_territory("области", 2023, ids["350000000"])] == "350000000"
    assert found.fact_territory("Атлантиды Ивана Петрова", 2023, ids["350000000"]) is None  # no guess


def test_reference_functions_need_no_store():
    from qala.reference import find_indicator, find_territory, indicator, region_of

    assert find_territory("Шымкенте") == "790000000"
    assert find_territory("Абайском районе", within="350000000") == "353200000"
    assert find_territory("Ташкент") == "UZ"
    assert find_territory("Атлантида") is None
    assert find_territory("Абралинский сельский округ") == "101033000"  # the whole classifier
    assert region_of("791110000") == "790000000" and region_of("RU") is None
    assert find_indicator("средняя заработная плата", unit="KZT") == "average_wage"
    assert find_indicator("пшеница") is None  # a harvest or a sown area: the unit decides
    assert indicator("grp").parent is None and indicator("grp_index").measure_kind == "index"


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


# A unit each indicator family's figures come in (an index is printed in percent: 104,5%).
FAMILY_UNIT = {"money": "KZT", "area": "m2", "land": "ha", "volume": "m3", "mass": "t", "length": "km",
               "yield": "c/ha", "energy": "kWh", "power": "MW", "count": "count", "percent": "%", "index": "%",
               None: None}


def test_every_catalogue_alias_resolves_to_its_indicator(index):
    """Each name and alias of the catalogue, given with a unit of its family, is read as its own indicator."""
    wrong = {}
    for row in indicators():
        for form in (row.name, *row.aliases):
            found = index[1](form, None, FAMILY_UNIT[row.unit_family])
            if found != row.code:
                wrong[(row.code, form)] = found
    assert wrong == {}


def test_catalogue_covers_the_statistics_sections():
    rows = indicators()
    assert len(rows) >= 250
    assert {r.measure_kind for r in rows} == {"level", "growth_rate", "index", "share"}
    by_code = {r.code: r for r in rows}
    assert by_code["unemployment_rate"].measure_kind == "share" and not by_code["unemployment_rate"].additive
    assert by_code["fixed_capital_investment"].additive
    assert by_code["state_investment"].parent == "fixed_capital_investment"
    assert by_code["industrial_output_index"].measure_kind == "index"
    # codes the store, monitor, samples and web pages use stay in the catalogue
    assert {"industrial_output", "fixed_capital_investment", "housing_commissioned", "grp", "average_wage",
            "unemployment_rate", "retail_trade", "agriculture_output", "population"} <= set(by_code)


def test_shipped_classifier_keys_are_current():
    """data/kato_keys.tsv holds the normalized names of the classifier (python -m qala.reference)."""
    from importlib import resources

    from qala.reference import KEYS_FILE, kato_key_lines

    shipped = resources.files("qala.store").joinpath("data", KEYS_FILE).read_text(encoding="utf-8").splitlines()
    assert len(shipped) == 16_264
    assert kato_key_lines(every=50) == shipped[::50]


def test_shipped_form_keys_are_current():
    """data/form_keys.tsv holds the normalized hand-written forms (python -m qala.reference)."""
    from importlib import resources

    from qala.reference import FORMS_FILE, form_key_lines

    shipped = resources.files("qala.store").joinpath("data", FORMS_FILE).read_text(encoding="utf-8").splitlines()
    assert form_key_lines() == shipped
