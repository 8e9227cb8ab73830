"""Charts of the briefing, drawn offline with matplotlib (no browser, no network): SVG for HTML and
PDF, PNG for DOCX. Axes in Russian: periods as "мар 2024" or "2024", values in "трлн тенге"."""

from __future__ import annotations

import io
from typing import Any

from qala.brief.text import axis_unit
from qala.format import plain_number


def _figure(chart: dict[str, Any], title: str):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    points = chart["points"]
    factor, label = axis_unit([p["value"] for p in points], chart["unit"])
    fig = Figure(figsize=(6.0, 2.6), dpi=110)
    ax = fig.add_subplot()
    xs = list(range(len(points)))
    ys = [p["value"] / factor for p in points]
    ax.plot(xs, ys, marker="o", color="#1f5f8b", linewidth=2)
    for x, y in zip(xs, ys, strict=True):
        ax.annotate(plain_number(round(y, 3), 3), (x, y), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=8)
    ax.set_xticks(xs, [p["label"] for p in points], fontsize=8)
    ax.yaxis.set_major_formatter(lambda v, _pos: plain_number(round(v, 3), 3))
    ax.set_ylabel(label, fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title(title, fontsize=9, loc="left")
    ax.grid(axis="y", alpha=0.3)
    ax.margins(x=0.08, y=0.25)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.subplots_adjust(left=0.12, right=0.98, top=0.88, bottom=0.14)  # fixed: tight_layout draws twice
    return fig


def _font() -> None:
    import matplotlib

    matplotlib.rcParams["font.family"] = ["DejaVu Sans", "sans-serif"]
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text in the SVG (and so in the PDF)


def svg(chart: dict[str, Any], title: str) -> str:
    """The chart as an inline SVG element."""
    _font()
    out = io.StringIO()
    _figure(chart, title).savefig(out, format="svg")
    text = out.getvalue()
    return text[text.index("<svg"):]


def png(chart: dict[str, Any], title: str) -> bytes:
    _font()
    out = io.BytesIO()
    _figure(chart, title).savefig(out, format="png", dpi=150)
    return out.getvalue()


def drawable(chart: dict[str, Any] | None) -> bool:
    return bool(chart) and len(chart["points"]) > 1
