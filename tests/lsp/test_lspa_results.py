# mypy: disable-error-code="index"
# (command results and CodeAction.data are LSPAny: Any | None; indexing them is the test)
"""Review findings as backend-agent diagnostics with quick fixes; explanations in hover."""

from __future__ import annotations

from pathlib import Path

import fake_anthropic as fa
from lsp_testkit import wait_for
from lspa_support import PRODUCTS, cursor, editor_session, run_args, whole_line
from lsprotocol import types

from backend_lsp.analysis.model import AGENT_SOURCE, Edit, Finding, Fix, Severity
from backend_lsp.lsp.agent_results import AgentResults, Explanation, line_span
from backend_lsp.lsp.documents import DocumentStore
from backend_lsp.text import Encoding, LineIndex

URI = "file:///work/shop/app/models.py"

QUOTE = "text(f\"SELECT id FROM products WHERE name ILIKE '%{q}%' ORDER BY name LIMIT 20\")"
FIXED = (
    'text("SELECT id FROM products WHERE name ILIKE :pattern ORDER BY name LIMIT 20"), '
    '{"pattern": f"%{q}%"}'
)


def _agent_diagnostics(client: object, uri: str) -> list[types.Diagnostic]:
    found = client.diagnostics.get(uri, [])  # type: ignore[attr-defined]
    return [d for d in found if d.source == "backend-agent"]


async def test_lspa_review_security_diagnostics_and_quick_fix(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    answer = {
        "findings": [
            {
                "search": QUOTE,
                "message": "SQL injection through q",
                "severity": "error",
                "fix": {"search": QUOTE, "replace": FIXED},
            }
        ],
        "summary": "one injection",
    }
    fake.push(fa.tool_stream(answer))
    uri = (shop / PRODUCTS).as_uri()
    text = (shop / PRODUCTS).read_text()
    async with editor_session(shop, tmp_path / "cache", fake_url=fake.base_url) as editor:
        client = editor.client
        editor.open(uri, text)
        rng = types.Range(
            start=types.Position(line=32, character=0), end=types.Position(line=39, character=0)
        )
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="backend-lsp.runAction",
                arguments=[run_args(uri, 1, "review-security", rng)],
            )
        )
        assert result["ok"] and result["findings"] == 1
        [diag] = await wait_for(lambda: _agent_diagnostics(client, uri))
        assert diag.severity == types.DiagnosticSeverity.Error
        assert diag.range.start.line == 35
        assert diag.code == "review-security" and diag.data["fix"] is True
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=diag.range,
                context=types.CodeActionContext(diagnostics=[diag], only=["quickfix"]),
            )
        )
        # analyzer findings on these lines also offer "Ignore CODE on this line"
        [fix] = [
            a
            for a in actions or []
            if isinstance(a, types.CodeAction) and a.kind != "quickfix.backend.ignore"
        ]
        assert fix.kind == "quickfix.backend.agent" and fix.edit is None
        fix = await client.code_action_resolve_async(fix)
        assert fix.edit is not None
        assert editor.apply(fix.edit).applied
        assert editor.text(uri) == text.replace(QUOTE, FIXED)
        # the fixed lines changed: the agent's finding is gone
        await wait_for(lambda: not _agent_diagnostics(client, uri))
    assert len(fake.message_requests) == 1  # the fix needed no second model call


async def test_lspa_explain_opens_a_document_and_hovers(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    markdown = "## get_product\n\nLoads one `Product` by id; **404** when it is missing."
    fake.push(fa.tool_stream({"explanation": markdown, "summary": "explained"}))
    uri = (shop / PRODUCTS).as_uri()
    text = (shop / PRODUCTS).read_text()
    cache = tmp_path / "cache"
    async with editor_session(shop, cache, fake_url=fake.base_url) as editor:
        client = editor.client
        editor.open(uri, text)
        line = text.splitlines().index("    product = db.get(Product, product_id)")
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="backend-lsp.runAction",
                arguments=[run_args(uri, 1, "explain", whole_line(line))],
            )
        )
        assert result["ok"] and result["explanation"] == markdown
        [shown] = client.shown_documents
        assert shown.uri == result["uri"]
        written = Path(shown.uri.removeprefix("file://"))
        assert written.is_relative_to(cache.resolve()) and not written.is_relative_to(shop)
        assert markdown in written.read_text()
        await wait_for(lambda: uri in client.diagnostics)
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line, character=8),
            )
        )
        assert hover is not None and markdown in hover.contents.value  # type: ignore[union-attr]
        editor.replace(uri, cursor(line, 4), "x = 1; ")
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line, character=8),
            )
        )
        assert hover is None or markdown not in hover.contents.value  # type: ignore[union-attr]


def _results_with(text: str, anchor: str) -> tuple[AgentResults, bytes]:
    data = text.encode()
    index = LineIndex(data)
    start = data.index(anchor.encode())
    end = start + len(anchor.encode())
    results = AgentResults()
    item = Finding(
        code="review-security",
        name="review-security",
        severity=Severity.WARNING,
        message="m",
        start=start,
        end=end,
        doc_url="",
        fix=Fix("Apply the agent's fix", (Edit(start, end, "fixed"),)),
        source=AGENT_SOURCE,
    )
    results.set_diagnostics(URI, (0, len(data)), [item], index)
    results.add_explanation(URI, Explanation(start, end, "md", None, line_span(index, start, end)))
    return results, data


class _Followed:
    """The agent's results following a real DocumentStore, as the server wires them."""

    def __init__(self, text: str, anchor: str) -> None:
        self.results, self.data = _results_with(text, anchor)
        self.store = DocumentStore()
        self.store.open(URI, "python", text, 1)
        self.dropped: list[bool] = []
        self.store.subscribe(
            lambda uri, applied: self.dropped.append(self.results.follow(uri, applied))
        )

    def change(self, *changes: tuple[tuple[int, int, int, int] | None, str]) -> bool:
        version = self.store.get(URI).document.version + 1  # type: ignore[union-attr]
        self.store.change(URI, version, list(changes), Encoding.UTF16)
        return self.dropped[-1]


def test_lspa_results_shift_with_edits_elsewhere() -> None:
    text = "a = 1\nb = danger()\nc = 3\n"
    doc = _Followed(text, "danger()")
    results = doc.results
    # insert a line above (UTF-16 positions): everything moves down by the inserted bytes
    assert not doc.change(((0, 0, 0, 0), "# é\n"))
    [item] = results.diagnostics(URI)
    moved = ("# é\n" + text).encode()
    assert moved[item.start : item.end] == b"danger()"
    assert item.fix is not None and item.data["id"]
    assert moved[item.fix.edits[0].start : item.fix.edits[0].end] == b"danger()"
    assert results.explanation_at(URI, item.start) is not None
    # an edit on a later line leaves it alone
    assert not doc.change(((3, 0, 3, 1), "d"))
    assert results.diagnostics(URI) == [item]


def test_lspa_results_dropped_when_their_lines_change() -> None:
    doc = _Followed("a = 1\nb = danger()\nc = 3\n", "danger()")
    generation = doc.results.generation(URI)
    # typing at the end of the finding's line touches it
    assert doc.change(((1, 12, 1, 12), "  # ok"))
    assert doc.results.diagnostics(URI) == [] and doc.results.explanation_at(URI, 8) is None
    assert doc.results.generation(URI) > generation


def test_lspa_results_second_change_in_one_event_and_full_sync() -> None:
    doc = _Followed("a = 1\nb = danger()\nc = 3\n", "danger()")
    # first change adds a line on top, second (read against the new text) edits that line 1
    assert not doc.change(((0, 0, 0, 0), "x\n"), ((1, 0, 1, 1), "A"))
    assert len(doc.results.diagnostics(URI)) == 1
    assert doc.change((None, "whatever"))
    assert doc.results.diagnostics(URI) == []


async def test_lspa_hover_lists_a_finding_once(tmp_path: Path) -> None:
    from lsp_testkit import SWALLOW

    uri = (tmp_path / "swallow.py").as_uri()
    async with editor_session(tmp_path, tmp_path / "cache", key=None) as editor:
        editor.open(uri, SWALLOW)
        await wait_for(lambda: editor.client.diagnostics.get(uri))
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=3, character=6),
            )
        )
        assert hover is not None
        assert hover.contents.value.count("BE015") == 1  # type: ignore[union-attr]
