"""JSON array output: one flat object per finding, stable keys for scripts."""

from __future__ import annotations

import json
from typing import Any

from backend_lsp.report.model import CheckReport, LocatedFinding


def finding_to_dict(item: LocatedFinding) -> dict[str, Any]:
    finding = item.finding
    fix: dict[str, Any] | None = None
    if finding.fix is not None:
        fix = {
            "title": finding.fix.title,
            "edits": [
                {
                    "line": edit.span.line,
                    "column": edit.span.column,
                    "end_line": edit.span.end_line,
                    "end_column": edit.span.end_column,
                    "new_text": edit.new_text,
                }
                for edit in item.fix_edits
            ],
        }
    return {
        "path": item.path,
        "line": item.span.line,
        "end_line": item.span.end_line,
        "column": item.span.column,
        "end_column": item.span.end_column,
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.label,
        "message": finding.message,
        "doc_url": finding.doc_url,
        "fix": fix,
    }


def format_json(report: CheckReport) -> str:
    return json.dumps([finding_to_dict(item) for item in report.findings], indent=2) + "\n"
