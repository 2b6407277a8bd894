"""Project sources, sinks and sanitizers from ``[tool.backend-lsp.analysis.taint]``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from backend_lsp.config import AnalysisSettings, load_settings
from backend_lsp.engine import analyze_document
from backend_lsp.syntax.document import ParsedDocument

HANDLER = (
    "from myapp.http import param\nfrom myapp.shell import runCommand\n"
    "from myapp.clean import shell_safe\n\n"
    "def export(job):\n    name = param('name')\n    runCommand('tar czf ' + name)\n"
    "    runCommand('gzip ' + shell_safe(name))\n"
)
TAINT = {
    "sources": ["myapp.http.param"],
    "sinks": {"myapp.shell.runCommand": "command"},
    "sanitizers": {"myapp.clean.shell_safe": ["command"]},
}


def _settings(taint: dict[str, Any]) -> tuple[AnalysisSettings, list[str]]:
    settings, problems = load_settings([("pyproject.toml", {"analysis": {"taint": taint}})])
    return settings.analysis, [str(p) for p in problems]


def _lines(settings: AnalysisSettings) -> list[int]:
    document = ParsedDocument(HANDLER, "python")
    findings = analyze_document("app/jobs.py", document, settings)
    return [document.index.line_of(f.start) + 1 for f in findings if f.code == "BE016"]


@pytest.fixture(autouse=True)
def _built_in_tables_after() -> Iterator[None]:
    yield
    analyze_document("x.py", ParsedDocument("x = 1\n", "python"), AnalysisSettings())


def test_project_source_sink_and_sanitizer_drive_the_engine() -> None:
    settings, problems = _settings(TAINT)
    assert problems == []
    assert _lines(settings) == [7]  # the sanitized call on line 8 stays quiet


def test_without_the_project_tables_nothing_is_known() -> None:
    settings, _ = _settings(TAINT)
    assert _lines(settings) == [7]
    assert _lines(AnalysisSettings()) == []  # the built-in tables are back


def test_names_are_kept_as_written() -> None:
    settings, _ = _settings(TAINT)
    assert "myapp.shell.runCommand" in settings.taint.sinks


@pytest.mark.parametrize(
    ("taint", "words"),
    [
        ({"sinks": {"myapp.shell.run": "shell"}}, ["analysis.taint.sinks", "'shell'", "command"]),
        ({"sanitizers": {"myapp.clean.x": ["sqll"]}}, ["analysis.taint.sanitizers", "'sqll'"]),
        ({"sanitizers": {"myapp.clean.x": []}}, ["analysis.taint.sanitizers", "at least one"]),
        ({"sources": ["not a name"]}, ["analysis.taint.sources", "dotted Python name"]),
    ],
)
def test_a_bad_entry_is_reported_by_key_and_dropped(
    taint: dict[str, Any], words: list[str]
) -> None:
    settings, problems = _settings(taint)
    assert len(problems) == 1
    assert all(word in problems[0] for word in words), problems[0]
    assert settings.taint.sinks == {} and settings.taint.sanitizers == {}
