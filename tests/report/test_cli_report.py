"""Report formats: SARIF structure, positions in characters, fingerprints, text summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backend_lsp.analysis.model import Edit, Finding, Fix, RuleMeta, Severity
from backend_lsp.cli import main
from backend_lsp.report import CheckReport, format_json, format_sarif, format_text, locate
from backend_lsp.text import LineIndex

META = RuleMeta(
    code="BE900",
    name="demo-rule",
    severity=Severity.ERROR,
    summary="A demo rule.",
    doc_url="https://example.com/BE900",
)


def finding_at(source: bytes, needle: bytes, fix: Fix | None = None) -> Finding:
    start = source.index(needle)
    return Finding.at(META, start, start + len(needle), "demo message", fix)


def report_for(root: Path, rel: str, source: bytes, findings: list[Finding]) -> CheckReport:
    path = root / rel
    index = LineIndex(source)
    located = [locate(f, index, path, cwd=root, root=root) for f in findings]
    return CheckReport(root=root, findings=located, rules=[META], files_checked=1, tool_version="9")


def test_columns_are_one_based_code_points(tmp_path: Path) -> None:
    source = "x = 'é😀'; danger()\n".encode()
    fix = Fix("Make safe", (Edit(source.index(b"danger"), source.index(b"danger") + 6, "safe"),))
    report = report_for(tmp_path, "a.py", source, [finding_at(source, b"danger()", fix)])
    [item] = json.loads(format_json(report))
    assert (item["line"], item["column"], item["end_line"], item["end_column"]) == (1, 11, 1, 19)
    assert item["fix"] == {
        "title": "Make safe",
        "edits": [{"line": 1, "column": 11, "end_line": 1, "end_column": 17, "new_text": "safe"}],
    }
    assert item["severity"] == "error"


def test_multiline_span(tmp_path: Path) -> None:
    source = b"a = (\n  1,\n  2)\n"
    report = report_for(tmp_path, "a.py", source, [finding_at(source, b"(\n  1,\n  2)")])
    item = report.findings[0]
    assert (item.span.line, item.span.column, item.span.end_line, item.span.end_column) == (
        1,
        5,
        3,
        5,
    )


def test_text_format_and_summary(tmp_path: Path) -> None:
    source = b"one()\ntwo()\n"
    report = report_for(
        tmp_path, "pkg/m.py", source, [finding_at(source, b"one"), finding_at(source, b"two")]
    )
    assert format_text(report).splitlines() == [
        "pkg/m.py:1:1: BE900 demo message",
        "pkg/m.py:2:1: BE900 demo message",
        "Found 2 problems (2 errors) in 1 file.",
    ]


def sarif_for(report: CheckReport) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(format_sarif(report))
    return data


def test_sarif_required_fields(tmp_path: Path) -> None:
    source = b"x = 1\nrun(danger)\n"
    fix = Fix("Swap", (Edit(source.index(b"danger"), source.index(b"danger") + 6, "safe"),))
    report = report_for(tmp_path, "src/my app.py", source, [finding_at(source, b"danger", fix)])
    sarif = sarif_for(report)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    [run] = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "backend-lsp"
    assert driver["version"] == "9"
    assert driver["informationUri"].startswith("https://")
    [rule] = driver["rules"]
    assert rule["id"] == "BE900"
    assert rule["name"] == "demo-rule"
    assert rule["shortDescription"]["text"] == "A demo rule."
    assert rule["helpUri"] == "https://example.com/BE900"
    assert rule["defaultConfiguration"]["level"] == "error"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    [result] = run["results"]
    assert result["ruleId"] == "BE900"
    assert driver["rules"][result["ruleIndex"]]["id"] == "BE900"
    assert result["level"] == "error"
    assert result["message"]["text"] == "demo message"
    [location] = result["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "src/my%20app.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 2, "startColumn": 5, "endLine": 2, "endColumn": 11}
    fingerprint = result["partialFingerprints"]["backendLsp/v1"]
    assert isinstance(fingerprint, str) and len(fingerprint) == 32
    replacement = result["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == "safe"


def test_sarif_fingerprints_survive_line_moves_and_separate_duplicates(tmp_path: Path) -> None:
    before = b"run(danger)\nrun(danger)\n"
    after = b"# a comment added above\n\n" + before
    prints = []
    for source in (before, after):
        start = source.index(b"run")
        second = source.index(b"run", start + 1)
        findings = [
            Finding.at(META, start, start + 3, "m"),
            Finding.at(META, second, second + 3, "m"),
        ]
        results = sarif_for(report_for(tmp_path, "a.py", source, findings))["runs"][0]["results"]
        prints.append([r["partialFingerprints"]["backendLsp/v1"] for r in results])
    assert prints[0] == prints[1]
    assert prints[0][0] != prints[0][1]


@pytest.mark.parametrize(
    ("severity", "level"),
    [(Severity.WARNING, "warning"), (Severity.INFORMATION, "note"), (Severity.HINT, "note")],
)
def test_sarif_levels(tmp_path: Path, severity: Severity, level: str) -> None:
    source = b"x()\n"
    finding = Finding.at(META, 0, 1, "m", severity=severity)
    [result] = sarif_for(report_for(tmp_path, "a.py", source, [finding]))["runs"][0]["results"]
    assert result["level"] == level


def test_sarif_file_outside_root_uses_absolute_uri(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    source = b"x()\n"
    path = tmp_path / "elsewhere.py"
    item = locate(Finding.at(META, 0, 1, "m"), LineIndex(source), path, cwd=root, root=root)
    report = CheckReport(root=root, findings=[item], rules=[META])
    [result] = sarif_for(report)["runs"][0]["results"]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": path.as_uri()}


def test_sarif_from_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "jobs.py").write_text(
        "def run():\n    try:\n        work()\n    except Exception:\n        pass\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path / "svc")
    assert main(["check", ".", "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    run = sarif["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    codes = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "BE015" in codes and codes == sorted(codes)
    [result] = run["results"]
    assert result["ruleId"] == "BE015"
    assert codes[result["ruleIndex"]] == "BE015"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "svc/jobs.py"
    assert location["region"]["startLine"] == 4
