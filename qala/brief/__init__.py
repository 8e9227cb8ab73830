"""Briefings (справки) for a territory: built once as plain data (build), laid out by the renderers
(render: HTML, Markdown, PDF, DOCX) with charts drawn offline (charts)."""

from qala.brief.build import build_brief
from qala.brief.render import FORMATS, MEDIA, file_name, render

__all__ = ["FORMATS", "MEDIA", "build_brief", "file_name", "render"]
