"""SARIF 2.1.0 for code-scanning upload (GitHub and other SARIF consumers).

Paths are relative to ``%SRCROOT%`` (the project root) so results line up
with the repository whatever directory CI ran in. Fingerprints hash the rule,
the file and the trimmed text of the line rather than the line number, so an
alert survives unrelated edits above it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.report.fingerprint import fingerprints
from backend_lsp.report.model import CheckReport, LocatedEdit, LocatedFinding, Span

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
# The package page; change it here when the project has a public home page.
INFORMATION_URI = "https://pypi.org/project/backend-lsp/"
_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}


def _rule(meta: RuleMeta) -> dict[str, Any]:
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "helpUri": meta.doc_url,
        "help": {"text": f"{meta.summary} See {meta.doc_url}"},
        "defaultConfiguration": {"level": _LEVELS[meta.severity]},
    }


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _artifact(item: LocatedFinding) -> dict[str, str]:
    if item.root_path is not None:
        return {"uri": quote(item.root_path), "uriBaseId": "%SRCROOT%"}
    return {"uri": item.absolute.as_uri()}


def _step_artifact(item: LocatedFinding, step: LocatedEdit) -> dict[str, str]:
    """A flow step's file: the finding's, or an imported helper's."""
    if step.absolute is None:
        return _artifact(item)
    if step.root_path is not None:
        return {"uri": quote(step.root_path), "uriBaseId": "%SRCROOT%"}
    return {"uri": step.absolute.as_uri()}


def _result(item: LocatedFinding, rule_index: int | None, fingerprint: str) -> dict[str, Any]:
    finding = item.finding
    location = {
        "physicalLocation": {"artifactLocation": _artifact(item), "region": _region(item.span)}
    }
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {"backendLsp/v1": fingerprint},
    }
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    if item.flow:
        result["codeFlows"] = [_code_flow(item)]
    if finding.fix is not None:
        result["fixes"] = [
            {
                "description": {"text": finding.fix.title},
                "artifactChanges": [
                    {
                        "artifactLocation": _artifact(item),
                        "replacements": [
                            {
                                "deletedRegion": _region(edit.span),
                                "insertedContent": {"text": edit.new_text},
                            }
                            for edit in item.fix_edits
                        ],
                    }
                ],
            }
        ]
    return result


def _code_flow(item: LocatedFinding) -> dict[str, Any]:
    """The taint path, source first, as one thread flow (SARIF 3.36-3.38)."""
    return {
        "threadFlows": [
            {
                "locations": [
                    {
                        "location": {
                            "physicalLocation": {
                                "artifactLocation": _step_artifact(item, step),
                                "region": _region(step.span),
                            },
                            "message": {"text": step.new_text},
                        }
                    }
                    for step in item.flow
                ]
            }
        ]
    }


def build_sarif(report: CheckReport) -> dict[str, Any]:
    rules = sorted({meta.code: meta for meta in report.rules}.values(), key=lambda m: m.code)
    index = {meta.code: position for position, meta in enumerate(rules)}
    results = [
        _result(item, index.get(item.finding.code), print_)
        for item, print_ in zip(report.findings, fingerprints(report.findings), strict=True)
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "backend-lsp",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(meta) for meta in rules],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": report.root.absolute().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def format_sarif(report: CheckReport) -> str:
    return json.dumps(build_sarif(report), indent=2) + "\n"
