"""Flow findings reach the agent's context with their proved path, compact and redacted."""

from __future__ import annotations

import re
from pathlib import Path

from backend_lsp.agent.redaction import Redactor
from backend_lsp.agent.workflow.answers import redact_bundle
from backend_lsp.analysis.model import Finding, FlowStep, Severity
from backend_lsp.context import gather_context
from backend_lsp.syntax import ParsedDocument

HANDLER = """\
import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.get("/users")
def users():
    name = request.args.get("name")
    query = "SELECT * FROM users WHERE name = '" + name + "'"
    conn = sqlite3.connect("app.db")
    return conn.execute(query).fetchall()


@app.get("/count")
def count():
    return sqlite3.connect("app.db").execute("SELECT count(*) FROM users").fetchone()
"""
SECRET = "sk-ant-api03-" + "Q7vLm2XpR9tWc4Zb8NhK1sYd6FgJ3aEu0iOq5Vx"


def _findings_text(tmp_path: Path, source: str, first: int, last: int, **kw: object) -> str:
    (tmp_path / "app.py").write_text(source)
    bundle = gather_context(
        tmp_path, tmp_path / "app.py", ParsedDocument(source, "python"), first, last,
        budget_tokens=4000, **kw,  # type: ignore[arg-type]
    )  # fmt: skip
    items = [i.text for i in bundle.items if i.reason == "offline analyzer findings"]
    return items[0] if items else ""


def _line(needle: str) -> int:
    return HANDLER[: HANDLER.index(needle)].count("\n") + 1


def test_flow_finding_lists_its_steps_from_source_to_sink(tmp_path: Path) -> None:
    text = _findings_text(tmp_path, HANDLER, _line("def users"), _line("return conn"))
    finding, flow = text.splitlines()[:2]
    assert finding.startswith(f"- line {_line('return conn')}: BE001")
    assert flow.startswith("  flow: ")
    steps = flow.removeprefix("  flow: ").split(" -> ")
    lines = [int(n) for step in steps for n in re.findall(r"\(line (\d+)\)", step)]
    assert lines[0] == _line("name = request") and lines[-1] == _line("return conn")
    assert lines == sorted(lines)  # source first, sink last
    assert "request.args" in steps[0] and "conn.execute" in steps[-1]


def test_finding_without_flow_has_no_flow_line(tmp_path: Path) -> None:
    start = len(HANDLER[: HANDLER.index("SELECT count")].encode())
    plain = Finding("BE001", "sql-injection", Severity.ERROR, "msg", start, start + 5, "")
    text = _findings_text(
        tmp_path, HANDLER, _line("def count"), _line("def count") + 1, findings=[plain]
    )
    assert text.startswith("- line") and "flow:" not in text


def _flow_finding(source: str, steps: list[str]) -> Finding:
    start = len(source[: source.index("conn.execute")].encode())
    flow = tuple(FlowStep(start, start + 4, message) for message in steps)
    return Finding(
        "BE001", "sql-injection", Severity.ERROR, "msg", start, start + 12, "", flow=flow
    )


def test_a_long_flow_keeps_its_ends_and_counts_the_rest(tmp_path: Path) -> None:
    steps = [f"step {n} (line {n})" for n in range(1, 10)]
    found = _flow_finding(HANDLER, steps)
    text = _findings_text(tmp_path, HANDLER, 8, 12, findings=[found])
    flow = text.splitlines()[1]
    assert flow == "  flow: step 1 (line 1) -> step 2 (line 2) -> step 3 (line 3) -> " + (
        "… 5 more step(s) -> step 9 (line 9)"
    )


def test_flow_steps_are_redacted_with_the_rest_of_the_bundle(tmp_path: Path) -> None:
    steps = ["request data `request.args` (line 9)", f"compared with `{SECRET}` (line 10)"]
    found = _flow_finding(HANDLER, [*steps, "reaches `conn.execute` (line 12)"])
    (tmp_path / "app.py").write_text(HANDLER)
    bundle = gather_context(
        tmp_path, tmp_path / "app.py", ParsedDocument(HANDLER, "python"), 8, 12,
        budget_tokens=4000, findings=[found],
    )  # fmt: skip
    redactor = Redactor()
    sent = redact_bundle(bundle, redactor)
    [item] = [i for i in sent.items if i.reason == "offline analyzer findings"]
    assert SECRET not in item.text and redactor.count == 1
    assert "  flow: request data `request.args` (line 9) -> compared with `<<SECRET_" in item.text
