"""Context gathering: scopes, references, findings, budget, privacy, JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend_lsp.analysis.model import Finding, Severity
from backend_lsp.context import (
    ContextError,
    context_to_json,
    gather_context,
    open_document,
    render_bundle,
    render_item,
)
from backend_lsp.context import gather as gather_module
from backend_lsp.files import IgnoreRules
from backend_lsp.syntax import ParsedDocument

APP = '''\
"""Orders API."""
import sqlite3
from fastapi import APIRouter, HTTPException

router = APIRouter()
PAGE_SIZE = 50
UNUSED_LIMIT = 7


def row_to_order(row):
    return {"id": row[0], "total": row[1]}


def never_called():
    return "not context"


class OrderRepo:
    table = "orders"

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def _check(self, order_id: int) -> None:
        if order_id <= 0:
            raise HTTPException(400, "bad id")

    def unrelated(self) -> int:
        return 42

    def list_for(self, user_id):
        self._check(user_id)
        rows = self.db.execute(f"SELECT * FROM orders WHERE user_id = {user_id}").fetchall()
        return [row_to_order(r) for r in rows][:PAGE_SIZE]


@router.get("/orders/{user_id}")
def list_orders(user_id: int):
    return OrderRepo(sqlite3.connect("app.db")).list_for(user_id)
'''


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _finding(text: str, needle: str, code: str = "BE001") -> Finding:
    start = len(text[: text.index(needle)].encode())
    return Finding(
        code,
        "sql-injection",
        Severity.ERROR,
        "SQL built with an f-string",
        start,
        start + len(needle.encode()),
        "https://example.invalid/BE001",
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP)
    return tmp_path


def _gather(
    root: Path, start: int, end: int, budget: int = 4000, findings: list[Finding] | None = None
):  # type: ignore[no-untyped-def]
    document = ParsedDocument(APP, "python")
    return gather_context(
        root,
        root / "app.py",
        document,
        start,
        end,
        budget_tokens=budget,
        findings=findings if findings is not None else [],
    )


def test_selection_in_method_gets_scope_imports_helpers_and_findings(workspace: Path) -> None:
    first = _line_of(APP, "        self._check(user_id)")
    last = _line_of(APP, "        return [row_to_order")
    outside = _finding(APP, "def never_called")
    inside = _finding(APP, 'f"SELECT * FROM orders WHERE user_id = {user_id}"')
    bundle = _gather(workspace, first, last, findings=[outside, inside])

    assert bundle.selection.path == "app.py"
    assert (bundle.selection.start_line, bundle.selection.end_line) == (first, last)
    assert bundle.selection.text.startswith("        self._check(user_id)")
    by_reason = {item.reason: item for item in bundle.items}
    assert by_reason["enclosing function"].text.startswith("    def list_for(self, user_id):")
    assert (
        by_reason["imports"].text == "import sqlite3\nfrom fastapi import APIRouter, HTTPException"
    )
    outline = by_reason["enclosing class (outline)"].text
    assert outline.startswith("class OrderRepo:") and 'table = "orders"' in outline
    assert "def unrelated(self) -> int: ..." in outline and "return 42" not in outline
    assert "raise HTTPException" in by_reason["method/field `_check` used by the selection"].text
    assert (
        "def row_to_order" in by_reason["definition of `row_to_order` used by the selection"].text
    )
    assert by_reason["definition of `PAGE_SIZE` used by the selection"].text == "PAGE_SIZE = 50"
    findings = by_reason["offline analyzer findings"].text
    assert f"line {_line_of(APP, 'rows = self.db')}: BE001" in findings
    assert findings.count("\n- ") == 0  # only the finding inside the selection
    everything = render_bundle(bundle)
    for absent in ("never_called", "UNUSED_LIMIT", "return 42"):
        assert absent not in everything
    assert bundle.tokens == bundle.selection.tokens + sum(i.tokens for i in bundle.items)
    # Ranking: findings, function, referenced definitions, imports, class outline.
    reasons = [item.reason for item in bundle.items]
    assert reasons[0] == "offline analyzer findings" and reasons[1] == "enclosing function"
    assert reasons[-2:] == ["imports", "enclosing class (outline)"]


def test_cursor_line_expands_to_decorated_function(workspace: Path) -> None:
    line = _line_of(APP, "    return OrderRepo(")
    bundle = _gather(workspace, line, line)
    assert bundle.selection.reason.startswith("selection (expanded")
    assert bundle.selection.text.startswith('@router.get("/orders/{user_id}")\ndef list_orders')
    assert bundle.selection.start_line == _line_of(APP, "@router.get")
    reasons = [item.reason for item in bundle.items]
    assert "definition of `OrderRepo` used by the selection" in reasons
    assert "definition of `router` used by the selection" in reasons
    assert "enclosing function" not in reasons


def test_budget_drops_lowest_ranked_items_first(workspace: Path) -> None:
    first = _line_of(APP, "        self._check(user_id)")
    last = _line_of(APP, "        return [row_to_order")
    full = _gather(workspace, first, last)
    keep = {"enclosing function"}
    budget = full.selection.tokens + sum(i.tokens for i in full.items if i.reason in keep)
    bundle = _gather(workspace, first, last, budget=budget + 5)
    assert [i.reason for i in bundle.items] == ["enclosing function"]
    assert bundle.tokens <= bundle.budget == budget + 5
    # A little more room: the small helpers come back before imports and the class outline.
    roomier = _gather(workspace, first, last, budget=budget + 60)
    reasons = [i.reason for i in roomier.items]
    assert "enclosing class (outline)" not in reasons
    assert any(r.startswith("method/field `_check`") for r in reasons)


def test_selection_is_never_dropped_but_truncated_with_marker(workspace: Path) -> None:
    bundle = _gather(workspace, 1, APP.count("\n"), budget=60)
    assert bundle.items == []
    assert bundle.selection.tokens <= 60 and bundle.tokens <= 60
    assert "[truncated:" in bundle.selection.text
    assert bundle.selection.text.startswith('"""Orders API."""\nimport sqlite3\n')


def test_private_files_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("DATABASE_URL=postgres://u:Zq8vR2kLm9xP@db/app\n")
    (tmp_path / ".gitignore").write_text("secrets/\n")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "keys.py").write_text("KEY = 'x'\n")
    (tmp_path / ".backend-lsp-ignore").write_text("vendor_config.py\n")
    (tmp_path / "vendor_config.py").write_text("TOKEN = 'x'\n")
    reads: list[Path] = []
    monkeypatch.setattr(
        gather_module, "read_source", lambda path, max_bytes: reads.append(path) or "x = 1\n"
    )
    rules = IgnoreRules(tmp_path)
    for name in (".env", "secrets/keys.py", "vendor_config.py"):
        with pytest.raises(ContextError, match="never sent to the model"):
            open_document(tmp_path / name, root=tmp_path, ignore=rules)
        with pytest.raises(ContextError):
            gather_context(
                tmp_path,
                tmp_path / name,
                ParsedDocument("x = 1\n", "python"),
                1,
                1,
                budget_tokens=1000,
                findings=[],
            )
    assert reads == []


def test_open_document_reads_normal_files_and_reports_bad_ones(workspace: Path) -> None:
    document = open_document(workspace / "app.py", root=workspace)
    assert document.language_id == "python" and document.text == APP
    (workspace / "blob.py").write_bytes(b"\x00\x01binary")
    with pytest.raises(ContextError, match="binary"):
        open_document(workspace / "blob.py", root=workspace)


def test_json_shape_matches_the_cli_contract(workspace: Path) -> None:
    bundle = _gather(workspace, _line_of(APP, "rows = self.db"), _line_of(APP, "rows = self.db"))
    data = context_to_json(bundle, workspace)
    assert set(data) == {"root", "items", "tokens", "budget"}
    assert data["root"] == str(workspace)
    assert data["items"][0]["reason"].startswith("selection")
    for item in data["items"]:
        assert set(item) == {"path", "start_line", "end_line", "reason", "tokens"}
        assert isinstance(item["start_line"], int) and item["start_line"] <= item["end_line"]
    assert data["tokens"] == sum(i["tokens"] for i in data["items"])
    assert data["budget"] == 4000
    json.dumps(data)  # serialisable as is


def test_render_item_fences_code_that_contains_backticks(workspace: Path) -> None:
    bundle = _gather(workspace, 2, 3)
    text = render_item(bundle.selection)
    assert text.startswith("app.py:2-3 (selection, ~")
    assert "\n```\nimport sqlite3\n" in text
    document = ParsedDocument("DOC = '```'\n", "python")
    fenced = render_item(
        gather_context(None, Path("x.py"), document, 1, 1, budget_tokens=500, findings=[]).selection
    )
    assert "\n````\n" in fenced


def test_analyzer_runs_when_findings_not_given(workspace: Path) -> None:
    line = _line_of(APP, "rows = self.db")
    document = ParsedDocument(APP, "python")
    bundle = gather_context(
        workspace, workspace / "app.py", document, line - 1, line, budget_tokens=4000
    )
    items = [i for i in bundle.items if i.reason == "offline analyzer findings"]
    assert items and f"line {line}:" in items[0].text


def test_out_of_range_and_reversed_lines_are_clamped(workspace: Path) -> None:
    bundle = _gather(workspace, 10_000, 9_000)
    assert bundle.selection.start_line == bundle.selection.end_line == APP.count("\n")
    reversed_bundle = _gather(workspace, 3, 2)
    assert (reversed_bundle.selection.start_line, reversed_bundle.selection.end_line) == (2, 3)
