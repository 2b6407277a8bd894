"""Output formats for ``backend-lsp check``: text for people, JSON for scripts, SARIF for CI."""

from __future__ import annotations

from collections.abc import Callable

from backend_lsp.report.json_report import format_json
from backend_lsp.report.model import CheckReport, LocatedEdit, LocatedFinding, Span, locate
from backend_lsp.report.sarif import format_sarif
from backend_lsp.report.text import format_text

FORMATTERS: dict[str, Callable[[CheckReport], str]] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
}

__all__ = [
    "FORMATTERS",
    "CheckReport",
    "LocatedEdit",
    "LocatedFinding",
    "Span",
    "format_json",
    "format_sarif",
    "format_text",
    "locate",
]
