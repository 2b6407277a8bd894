"""The offline provider gives real answers from the analyzer, and a clear no otherwise."""

from __future__ import annotations

import pytest
from helpers import bundle

from backend_lsp.agent.actions import find_action
from backend_lsp.agent.definitions import builtin_agent
from backend_lsp.agent.providers.offline import OfflineProvider
from backend_lsp.agent.providers.offline_sql import advise, sql_strings
from backend_lsp.agent.requests import ActionRequest, ProviderError, SourceView
from backend_lsp.agent.runner import run_action
from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.schema import Table, WorkspaceSchema
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import analyze_document
from backend_lsp.syntax.document import ParsedDocument

APP = """from fastapi import FastAPI
app = FastAPI()

@app.get("/orders/{uid}")
def list_orders(uid: str, db=None):
    rows = db.execute(f"SELECT * FROM orders WHERE user_id = {uid}")
    return rows.fetchall()


def recent(db, uid):
    return db.execute(
        "SELECT * FROM orders WHERE user_id = ? AND created_at > ? ORDER BY created_at DESC",
        (uid, "2024-01-01"),
    )
"""


def view(selected: str, schema: WorkspaceSchema | None = None) -> SourceView:
    doc = ParsedDocument(APP, "python")
    findings = analyze_document("app.py", doc, AnalysisSettings())
    start = APP.index(selected)
    ctx = AnalysisContext("app.py", doc, schema or WorkspaceSchema())
    return SourceView(
        ctx, len(APP[:start].encode()), len(APP[: start + len(selected)].encode()), findings
    )


async def run(action: str, source: SourceView | None):  # type: ignore[no-untyped-def]
    spec = find_action(action)
    assert spec is not None
    req = ActionRequest(spec, builtin_agent(), bundle(), "m", 100, source=source)
    return await run_action(req, OfflineProvider("Set ANTHROPIC_API_KEY."))


ROUTE = APP[APP.index("@app.get") : APP.index("\n\n\ndef recent")]


async def test_review_security_reports_analyzer_findings_with_anchors() -> None:
    result = await run("review-security", view(ROUTE))
    assert result.provider == "offline" and result.usage.total_input == 0
    codes = " ".join(f.message for f in result.answer.findings)
    assert "injection" in codes.lower()
    for finding in result.answer.findings:
        assert APP.count(finding.search) == 1  # anchors are unique in the file


async def test_explain_gives_static_markdown() -> None:
    result = await run("explain", view(ROUTE))
    assert "GET /orders/{uid}" in result.answer.explanation
    assert "orders" in result.answer.explanation


async def test_optimize_query_expands_star_and_suggests_index() -> None:
    schema = WorkspaceSchema()
    schema.add(Table("orders", ["id", "user_id", "total", "created_at"]))
    selected = APP[APP.index("def recent") :]
    result = await run("optimize-query", view(selected, schema))
    [edit] = result.answer.edits
    assert APP.count(edit.search) == 1
    star = "SELECT * FROM orders WHERE user_id = ? AND"
    expanded = "SELECT id, user_id, total, created_at FROM orders WHERE user_id = ? AND"
    assert APP.replace(edit.search, edit.replace) == APP.replace(star, expanded)
    assert "CREATE INDEX ix_orders_user_id_created_at ON orders (user_id, created_at)" in (
        result.answer.summary
    )


async def test_other_actions_say_how_to_enable() -> None:
    with pytest.raises(ProviderError) as info:
        await run("design-api", view(ROUTE))
    assert info.value.kind == "no_provider" and "ANTHROPIC_API_KEY" in info.value.message
    with pytest.raises(ProviderError):
        await run("explain", None)


def test_sql_advice_is_conservative() -> None:
    schema = WorkspaceSchema()
    assert sql_strings('q = "select a from t where b = 1"') == ["select a from t where b = 1"]
    assert advise("SELECT a FROM t JOIN u ON t.id = u.t_id WHERE b = 1", schema) is None
    assert advise("SELECT * FROM t", schema) is None  # unknown columns, nothing to filter
    assert advise("SELECT {cols} FROM", schema) is None
    advice = advise("SELECT id FROM users WHERE email = %s", schema)
    assert advice is not None and advice.index is not None and "(email)" in advice.index


def test_compose_hunks_merges_touching_changes_and_anchors_uniquely() -> None:
    from backend_lsp.agent.providers.offline import compose_hunks

    original = "a = 1\nb = 2\nx = 0\nc = 3\nx = 0\n"
    # two changed neighbours become one hunk, never two touching ones
    [hunk] = compose_hunks(original, "a = 1\nb = 20\nx = 9\nc = 3\nx = 0\n") or []
    assert hunk.search == "b = 2\nx = 0\n" and hunk.replace == "b = 20\nx = 9\n"
    # a repeated line grows context until the anchor is unique
    [hunk] = compose_hunks(original, "a = 1\nb = 2\nx = 0\nc = 3\nx = 5\n") or []
    assert original.count(hunk.search) == 1 and hunk.search.endswith("x = 0\n")
    assert original.replace(hunk.search, hunk.replace) == "a = 1\nb = 2\nx = 0\nc = 3\nx = 5\n"
    # far apart changes stay separate hunks
    assert len(compose_hunks(original, "a = 7\nb = 2\nx = 0\nc = 3\nx = 0\nd = 4\n") or []) == 2
    assert compose_hunks(original, original) == []
    assert compose_hunks("x\nx\n", "x\nx\nx\n") is not None  # whole text is unique
    assert compose_hunks("", "x = 1\n") is None  # nothing to anchor to


async def test_optimize_sql_document_statement() -> None:
    sql = "UPDATE t SET a = 1;\n\nSELECT * FROM t WHERE b = 2 ORDER BY c;\n"
    schema = WorkspaceSchema()
    schema.add(Table("t", ["id", "a", "b", "c"]))
    doc = ParsedDocument(sql, "sql")
    start = sql.index("SELECT")
    ctx = AnalysisContext("q.sql", doc, schema)
    result = await run("optimize-query", SourceView(ctx, start, start + 5, []))
    [edit] = result.answer.edits
    assert sql.replace(edit.search, edit.replace) == sql.replace("SELECT *", "SELECT id, a, b, c")
    assert "ix_t_b_c ON t (b, c)" in result.answer.summary


async def test_explain_reaches_a_string_inside_a_call() -> None:
    line = '    rows = db.execute(f"SELECT * FROM orders WHERE user_id = {uid}")\n'
    result = await run("explain", view(line))
    assert "**SQL SELECT**" in result.answer.explanation


def test_offline_answers_are_free_not_unpriced() -> None:
    from backend_lsp.agent.providers.offline import OFFLINE_MODEL
    from backend_lsp.agent.usage import SessionUsage, Usage, describe, estimate_cost

    session = SessionUsage()
    session.record(OFFLINE_MODEL, Usage())
    session.record("claude-sonnet-4-5", Usage(input_tokens=1000, output_tokens=100))
    session.record("mystery-model", Usage(input_tokens=10))
    totals = session.to_dict()
    assert totals["offline_calls"] == 1 and totals["calls"] == 2
    assert totals["unpriced_calls"] == 1  # only the unknown model
    assert totals["estimated_cost_usd"] == round((1000 * 3 + 100 * 15) / 1_000_000, 6)
    assert estimate_cost(OFFLINE_MODEL, Usage()) == 0.0
    assert "offline analyzer" in describe(OFFLINE_MODEL, Usage())


async def test_review_security_shows_each_flow_in_message_and_explanation() -> None:
    result = await run("review-security", view(ROUTE))
    [flowed] = [f for f in result.answer.findings if "Flow: " in f.message]
    chain = flowed.message.split("Flow: ", 1)[1]
    assert chain.startswith("route parameter `uid` (line 5)")
    assert chain.endswith("reaches `db.execute` (line 6).")
    explanation = result.answer.explanation
    assert explanation.startswith("**Data flows the analyzer proved**")
    assert "  1. route parameter `uid` (line 5)" in explanation
    assert "reaches `db.execute` (line 6)" in explanation


async def test_review_security_without_flows_has_no_flow_explanation() -> None:
    selected = APP[APP.index("def recent") :]
    result = await run("review-security", view(selected))
    assert result.answer.explanation == ""
    assert not any("Flow: " in f.message for f in result.answer.findings)
