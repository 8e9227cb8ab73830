"""Samples for the store tests: documents written for these tests and extractions made by hand,
so the store is tested apart from the extractor (which has its own tests)."""

from __future__ import annotations

from sqlalchemy import text as sql

from qala import model
from qala.store.ingest import IncomingDocument

# Two short releases in our own words; the figures are of the kind the real ones carry.
ALMATY = (
    "04.02.2021\n"
    "Премьер-Министр Аскар Мамин провел в Алматы совещание о развитии города.\n"
    "В 2020 году объем промышленного производства в городе Алматы вырос на 4,6% и составил 1,052 трлн тенге. "
    "Создано 35,4 тыс. новых рабочих мест.\n"
    "А. Мамин поручил завершить программу «Новый Алматы» до конца 2021 года.\n"
)
KARAGANDA = (
    "15.03.2022\n"
    "В Карагандинской области в 2021 году введено 612 тыс. квадратных метров жилья. "
    "А. Мамин отметил рост инвестиций в основной капитал на 12%.\n"
)


def almaty_extraction(text: str = ALMATY) -> model.Extraction:
    mamin = text.index("Аскар Мамин")
    short = text.index("А. Мамин")
    return model.Extraction(
        document=model.DocumentInfo(published="2021-02-04"),
        persons=(model.Person("Аскар Мамин", ("Премьер-Министр",), ((mamin, mamin + 11), (short, short + 8))),),
        facts=(
            model.Fact("объем промышленного производства", 1.052e12, "KZT", "г. Алматы", "2020",
                       change=model.Change("percent", 4.6, "up"), span=(90, 200)),
            model.Fact("рабочие места", 35400, "count", "Алматы", "2021-01..2021-06", object="рабочее место",
                       span=(201, 240)),
        ),
        instructions=(model.Instruction("завершить программу «Новый Алматы»", "А. Мамин", deadline="2021",
                                        span=(241, 300)),),
        programs=(model.Program("Новый Алматы", "программа", "2020-2024", span=(260, 280)),),
        events=(model.Event("совещание", "совещание о развитии города", "2021-02-04", "Алматы", "Аскар Мамин",
                            participants=("Бакытжан Сагинтаев",), span=(11, 80)),),
    )


def karaganda_extraction(text: str = KARAGANDA) -> model.Extraction:
    short = text.index("А. Мамин")
    return model.Extraction(
        document=model.DocumentInfo(published="2022-03-15"),
        persons=(model.Person("А. Мамин", (), ((short, short + 8),)),),
        facts=(
            model.Fact("жилье", 612000, "m2", "Карагандинской области", "2021", span=(11, 100)),
            model.Fact("инвестиции в основной капитал", None, None, "Карагандинской области", "2021",
                       change=model.Change("percent", 12.0, "up"), span=(101, 170)),
        ),
        programs=(model.Program("Новый Алматы", "программа", "2020-2024", span=(0, 5)),),
    )


def fake_extract(doc: IncomingDocument) -> model.Extraction:
    """Extraction by hand for the documents above; any other text says nothing."""
    if "Карагандинской" in doc.text:
        return karaganda_extraction(doc.text)
    if "Аскар Мамин" in doc.text:
        return almaty_extraction(doc.text)
    if "сломать" in doc.text:
        raise RuntimeError("extractor broke")
    return model.Extraction()


def count(engine, table: str, where: str = "") -> int:
    with engine.connect() as conn:
        return conn.execute(sql(f"SELECT count(*) FROM {table} {where}")).scalar()


def many_releases(n: int) -> list[str]:
    """n short distinct releases: one wording, new figures each (news, not republications)."""
    return [
        f"{1 + i % 28:02d}.0{1 + i % 9}.2022\n"
        f"В {2000 + i} году в Павлодарской области объем промышленного производства составил "
        f"{100 + i},{i % 10} млрд тенге, а инвестиции в основной капитал выросли на {1 + i % 40},{i % 7}%. "
        f"Создано {200 + 3 * i} новых рабочих мест.\n"
        for i in range(n)
    ]
