"""The briefing laid out: HTML (Jinja2), Markdown, PDF (WeasyPrint from the HTML) and DOCX (python-docx).

Every renderer reads the same structure from qala.brief.build, so a figure reads the same in each.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from qala.brief import charts as drawing
from qala.brief.strings import s
from qala.errors import InvalidInput

FORMATS = ("html", "md", "pdf", "docx")
MEDIA = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

_env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html"]), auto_reload=False)


def check_format(fmt: str) -> str:
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"expected a format among {', '.join(FORMATS)}, got {fmt!r}")
    return fmt


def _safe(brief: dict[str, Any]) -> dict[str, Any]:
    """Only http(s) links leave the store for a document (whatever an older row holds)."""
    from qala.clean import is_web_url

    for src in brief["sources"]:
        if src.get("url") and not is_web_url(src["url"]):
            src["url"] = ""
    return brief


def chart_title(ind: dict[str, Any]) -> str:
    return ind["name"]


def html(brief: dict[str, Any], *, with_charts: bool = True, link_base: str | None = None) -> str:
    """A self-contained HTML document (styles inline, charts as inline SVG). `link_base`: where the
    dashboard is, to link each source to its document page ("" for links on the same site)."""
    svgs = {}
    if with_charts:
        svgs = {i["code"]: drawing.svg(i["chart"], chart_title(i)) for i in brief["indicators"]
                if drawing.drawable(i["chart"])}
    return _env.get_template("brief.html").render(b=_safe(brief), s=s, charts=svgs, link_base=link_base)


def pdf(brief: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(brief, link_base=None)).write_pdf()


def _fn(n: int | None) -> str:
    return f"[{n}]" if n else ""


def _cell(text: Any) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def markdown(brief: dict[str, Any]) -> str:
    b = _safe(brief)
    out = [f"# {s.title}: {b['territory']['name']}", "",
           f"{s.period}: {b['period']} · {s.prepared}: {b['prepared']}", "", f"_{s.prepared_by}_", ""]
    if b["empty"]:
        out += [s.empty, ""]
    if b["indicators"]:
        out += [f"## {s.summary}", ""]
        out += [line for i in b["indicators"] for line in (f"{i['sentence']}{_fn(i['note'])}", "")]
        out += [f"## {s.key_indicators}", "",
                f"| {s.indicator} | {s.value} | {s.period_col} | {s.kind} | {s.year_before} | {s.change} |",
                "|---|---:|---|---|---:|---:|"]
        for i in b["indicators"]:
            prev = f"{i['previous']['value_text']}{_fn(i['previous']['note'])}" if i["previous"] else "—"
            out.append(f"| {_cell(i['name'])} | {i['value_text']}{_fn(i['note'])} | {i['period']} | "
                       f"{i['period_kind']} | {prev} | {i['change_text'] or '—'} |")
        out.append("")
    if b["pools"]:
        out += [f"## {s.pools}", ""]
        out += [f"- {p['value_text']}{_fn(p['note'])} — {_cell(p['name'])}" + (f", {p['period']}" if p["period"] else "")
                for p in b["pools"]]
        out.append("")
    if b["commitments"]:
        out += [f"## {s.commitments}", "", f"| {s.indicator} | {s.target} | {s.period_col} | {s.actual} | {s.status} |",
                "|---|---:|---|---:|---|"]
        out += [f"| {_cell(c['indicator'])} | {c['target_text']}{_fn(c['note'])} | {c['period']} | "
                f"{c['actual_text']}{_fn(c['actual_note'])} | {c['status_label']} |" for c in b["commitments"]]
        out.append("")
    if b["instructions"]:
        out += [f"## {s.instructions}", "", s.instructions_summary.format(open=b["open"], overdue=b["overdue"]), ""]
        for g in b["instructions"]:
            out += [f"### {_cell(g['body'])}", ""]
            for i in g["items"]:
                late = f", {s.overdue}" if i["overdue"] else ""
                who = f"; {s.issuer}: {i['issuer']}" if i["issuer"] else ""
                out.append(f"- {_cell(i['text'])}{_fn(i['note'])} ({s.deadline}: {i['deadline']}{late}{who})")
            out.append("")
    if b["checks"]:
        out += [f"## {s.checks}", ""]
        for c in b["checks"]:
            what = ": " + c["indicator"] if c["indicator"] else ""
            when = ", " + c["period"] if c["period"] else ""
            msg = (" " if when.endswith(".") else ". ") + c["message"] if c["message"] else ""
            out.append(f"- **{c['kind_label']}**{what}{when}{msg}{''.join(_fn(n) for n in c['notes'])}")
        out.append("")
    if b["sources"]:
        out += [f"## {s.sources}", ""]
        for src in b["sources"]:
            out.append(f"{src['n']}. {_source_line(src)}")
        out.append("")
    return "\n".join(out)


def _source_line(src: dict[str, Any]) -> str:
    head = ", ".join(x for x in (src["title"], src["publisher"], src["published"]) if x)
    text = head if head.endswith(".") or not head else f"{head}."
    if src["sentence"]:
        text += f" «{src['sentence']}»"
    if src["url"]:
        text += f" {src['url']}"
    return text.strip()


def docx(brief: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    b = _safe(brief)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    doc.add_heading(f"{s.title}: {b['territory']['name']}", level=1)
    doc.add_paragraph(f"{s.period}: {b['period']} · {s.prepared}: {b['prepared']}")
    doc.add_paragraph().add_run(s.prepared_by).italic = True
    if b["empty"]:
        doc.add_paragraph(s.empty)

    def table(header: list[str], rows: list[list[str]]) -> None:
        t = doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = t.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text

    if b["indicators"]:
        doc.add_heading(s.summary, level=2)
        for i in b["indicators"]:
            doc.add_paragraph(f"{i['sentence']}{_fn(i['note'])}")
        doc.add_heading(s.key_indicators, level=2)
        table([s.indicator, s.value, s.period_col, s.kind, s.year_before, s.change],
              [[i["name"], f"{i['value_text']}{_fn(i['note'])}", i["period"], i["period_kind"],
                f"{i['previous']['value_text']}{_fn(i['previous']['note'])}" if i["previous"] else "—",
                i["change_text"] or "—"] for i in b["indicators"]])
        drawn = [i for i in b["indicators"] if drawing.drawable(i["chart"])]
        if drawn:
            doc.add_heading(s.charts, level=2)
            for i in drawn:
                doc.add_picture(io.BytesIO(drawing.png(i["chart"], chart_title(i))), width=Cm(15))
    if b["pools"]:
        doc.add_heading(s.pools, level=2)
        for p in b["pools"]:
            doc.add_paragraph(f"{p['value_text']}{_fn(p['note'])} — {p['name']}" + (f", {p['period']}" if p["period"] else ""),
                              style="List Bullet")
    if b["commitments"]:
        doc.add_heading(s.commitments, level=2)
        table([s.indicator, s.target, s.period_col, s.actual, s.status],
              [[c["indicator"], f"{c['target_text']}{_fn(c['note'])}", c["period"],
                f"{c['actual_text']}{_fn(c['actual_note'])}", c["status_label"]] for c in b["commitments"]])
    if b["instructions"]:
        doc.add_heading(s.instructions, level=2)
        doc.add_paragraph(s.instructions_summary.format(open=b["open"], overdue=b["overdue"]))
        for g in b["instructions"]:
            doc.add_heading(g["body"], level=3)
            for i in g["items"]:
                late = f", {s.overdue}" if i["overdue"] else ""
                who = f"; {s.issuer}: {i['issuer']}" if i["issuer"] else ""
                doc.add_paragraph(f"{i['text']}{_fn(i['note'])} ({s.deadline}: {i['deadline']}{late}{who})",
                                  style="List Bullet")
    if b["checks"]:
        doc.add_heading(s.checks, level=2)
        for c in b["checks"]:
            what = ": " + c["indicator"] if c["indicator"] else ""
            when = ", " + c["period"] if c["period"] else ""
            msg = (" " if when.endswith(".") else ". ") + c["message"] if c["message"] else ""
            doc.add_paragraph(f"{c['kind_label']}{what}{when}{msg}{''.join(_fn(n) for n in c['notes'])}",
                              style="List Bullet")
    if b["sources"]:
        doc.add_heading(s.sources, level=2)
        for src in b["sources"]:
            doc.add_paragraph(f"[{src['n']}] {_source_line(src)}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render(brief: dict[str, Any], fmt: str, *, link_base: str | None = None) -> bytes:
    """The briefing in one of FORMATS, as bytes (UTF-8 for the text formats)."""
    fmt = check_format(fmt)
    if fmt == "html":
        return html(brief, link_base=link_base).encode("utf-8")
    if fmt == "md":
        return markdown(brief).encode("utf-8")
    if fmt == "pdf":
        return pdf(brief)
    return docx(brief)


def file_name(brief: dict[str, Any], fmt: str) -> str:
    """A default file name: spravka-<KATO>[-<period>]-<date>.<ext>."""
    import re

    period = re.sub(r"[^0-9A-Za-z.-]+", "_", brief["period_key"]).strip("_")
    parts = ["spravka", brief["territory"]["kato"] or str(brief["territory"]["id"]), period, brief["prepared_iso"]]
    return "-".join(p for p in parts if p) + f".{check_format(fmt)}"
