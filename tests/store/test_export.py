"""Export: every format read back by pandas gives the same rows (SQLite and PostgreSQL)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from store_samples import ALMATY, KARAGANDA

from qala.errors import ConfigError
from qala.format import COLUMN_NAMES
from qala.store.export import export_facts
from qala.store.ingest import IncomingDocument

READERS = {
    "csv": pd.read_csv,
    "jsonl": lambda f: pd.read_json(f, lines=True),
    "parquet": pd.read_parquet,
    "xlsx": lambda f: pd.read_excel(f).rename(columns={v: k for k, v in COLUMN_NAMES.items()}),
}


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_export_round_trip(engine, ingest, tmp_path, fmt):
    ingest(IncomingDocument(ALMATY, url="https://example.kz/1"), IncomingDocument(KARAGANDA))
    path = tmp_path / f"facts.{fmt}"
    assert export_facts(engine, fmt, path) == 4
    frame = READERS[fmt](path)
    assert sorted(frame["indicator"]) == sorted(["industrial_output", "jobs_created", "housing_commissioned",
                                                 "fixed_capital_investment"])
    row = frame[frame["indicator"] == "industrial_output"].iloc[0]
    assert (row["value"], row["unit"], row["url"], str(row["period_start"])[:10]) == (
        1.052e12, "KZT", "https://example.kz/1", "2020-01-01")
    assert "1,052 трлн тенге" in row["sentence"] and "4,6%" in row["sentence"]  # the sentence, not offsets


def test_csv_for_russian_excel_and_a_sheet_to_work_in(engine, ingest, tmp_path):
    from openpyxl import load_workbook

    ingest(IncomingDocument(ALMATY, url="https://example.kz/1"), IncomingDocument(KARAGANDA))
    buffer = io.BytesIO()
    assert export_facts(engine, "csv", buffer, excel=True) == 4
    data = buffer.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark: the spreadsheet reads UTF-8
    frame = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert {"Показатель (код)", "Значение", "Предложение", "Ссылка"} <= set(frame.columns)
    assert 1.052e12 in set(frame["Значение"])
    export_facts(engine, "xlsx", tmp_path / "f.xlsx")
    sheet = load_workbook(tmp_path / "f.xlsx").active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    header = [c.value for c in sheet[1]]
    column = header.index("Значение") + 1  # the first row with a value (facts come newest period first)
    value_cell = next(sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)
                      if sheet.cell(row=r, column=column).value is not None)
    assert value_cell.number_format == "# ##0.###" and isinstance(value_cell.value, (int, float))


def test_export_to_a_stream_with_a_filter(engine, ingest):
    ingest(IncomingDocument(ALMATY), IncomingDocument(KARAGANDA))
    buffer = io.BytesIO()
    assert export_facts(engine, "csv", buffer, territory="Карагандинская область") == 2
    assert buffer.getvalue().decode("utf-8").splitlines()[0].startswith("id,document_id,ordinal,indicator")


def test_an_empty_store_exports_a_header(engine, tmp_path):
    assert export_facts(engine, "parquet", tmp_path / "empty.parquet") == 0
    assert "indicator" in pd.read_parquet(tmp_path / "empty.parquet").columns


def test_an_unknown_format_is_refused(engine):
    with pytest.raises(ConfigError, match="expected a format among csv, parquet, xlsx, jsonl"):
        export_facts(engine, "pdf", io.BytesIO())
