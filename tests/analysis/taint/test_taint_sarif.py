"""Taint findings carry their path into SARIF ``codeFlows``, source first, sink last."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tests.analysis.rule_helpers import run

from backend_lsp.analysis.registry import all_rules
from backend_lsp.report import CheckReport, format_sarif, locate
from backend_lsp.text import LineIndex

SOURCE = textwrap.dedent(
    """\
    from flask import request
    import os

    @app.route("/x")
    def x():
        name = request.args["n"]
        cmd = "ls " + name
        os.system(cmd)
    """
)


def test_code_flow_lists_source_assignments_and_sink(tmp_path: Path) -> None:
    [finding] = run("BE016", SOURCE)
    index = LineIndex(SOURCE.encode())
    located = [locate(finding, index, tmp_path / "a.py", cwd=tmp_path, root=tmp_path)]
    rules = [r.meta for r in all_rules() if r.meta.code == "BE016"]
    report = CheckReport(root=tmp_path, findings=located, rules=rules, files_checked=1)
    [result] = json.loads(format_sarif(report))["runs"][0]["results"]
    [flow] = result["codeFlows"]
    [thread] = flow["threadFlows"]
    steps = [
        (s["location"]["physicalLocation"]["region"]["startLine"], s["location"]["message"]["text"])
        for s in thread["locations"]
    ]
    assert steps[0] == (6, "request data `request.args` (line 6)")
    assert [line for line, _ in steps] == [6, 6, 7, 8]
    assert steps[-1][1] == "reaches `os.system` (line 8)"
    assert "line 6" in result["message"]["text"] and "line 8" in result["message"]["text"]


def test_findings_without_flow_have_no_code_flows(tmp_path: Path) -> None:
    source = "import pickle\npickle.loads(b'x')\n"
    findings = run("BE013", source)
    index = LineIndex(source.encode())
    located = [locate(f, index, tmp_path / "a.py", cwd=tmp_path, root=tmp_path) for f in findings]
    report = CheckReport(root=tmp_path, findings=located, rules=[], files_checked=1)
    results = json.loads(format_sarif(report))["runs"][0]["results"]
    assert all("codeFlows" not in r for r in results)
