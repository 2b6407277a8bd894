"""Project sources, sinks and sanitizers from ``[tool.backend-lsp.analysis.taint]``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.custom import tables_for
from backend_lsp.config import AnalysisSettings, load_settings
from backend_lsp.engine import IncrementalAnalyzer, analyze_document
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


def _lines(settings: AnalysisSettings, document: ParsedDocument | None = None) -> list[int]:
    document = document or ParsedDocument(HANDLER, "python")
    findings = analyze_document("app/jobs.py", document, settings)
    return [document.index.line_of(f.start) + 1 for f in findings if f.code == "BE016"]


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


# A second folder's config: there the cleaning helper is the command sink.
OTHER = {"sources": ["myapp.http.param"], "sinks": {"myapp.clean.shell_safe": "command"}}


def test_one_document_under_two_configs_gets_each_configs_findings() -> None:
    first, _ = _settings(TAINT)
    second, _ = _settings(OTHER)
    document = ParsedDocument(HANDLER, "python")  # same bytes: the memo must not cross tables
    assert _lines(first, document) == [7]
    assert _lines(second, document) == [8]
    assert _lines(AnalysisSettings(), document) == []
    assert _lines(first, document) == [7]


def test_two_folders_analysed_at_once_do_not_race() -> None:
    first, _ = _settings(TAINT)
    second, _ = _settings(OTHER)
    jobs = [first, second, AnalysisSettings()] * 30
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(_lines, jobs))
    expected = {id(first): [7], id(second): [8], id(jobs[2]): []}
    assert [expected[id(s)] for s in jobs] == results


def test_incremental_analysers_of_two_folders_keep_their_tables() -> None:
    first, _ = _settings(TAINT)
    second, _ = _settings(OTHER)
    left, right = IncrementalAnalyzer(), IncrementalAnalyzer()
    for _ in range(2):
        for analyser, settings, want in ((left, first, [7]), (right, second, [8])):
            document = ParsedDocument(HANDLER, "python")
            found = analyser.analyze("app/jobs.py", document, settings)
            lines = [document.index.line_of(f.start) + 1 for f in found if f.code == "BE016"]
            assert lines == want


def test_tables_are_values_built_once_per_config() -> None:
    first, _ = _settings(TAINT)
    again, _ = _settings(dict(TAINT))
    built = tables_for(first.taint)
    assert tables_for(again.taint) is built
    assert tables_for(AnalysisSettings().taint) is tables.BUILTIN
    assert "myapp.shell.runCommand" in built.sinks
    assert "myapp.shell.runCommand" not in tables.SINKS  # the module rows are never rewritten
    assert "myapp.shell.runCommand" not in tables.BUILTIN.sinks
