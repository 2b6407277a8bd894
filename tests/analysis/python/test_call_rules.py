"""The table-driven checker behind BE007/BE011/BE012/BE014, exercised with a table of its own."""

from __future__ import annotations

import textwrap

import pytest

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding, RuleMeta, Severity
from backend_lsp.analysis.python import call_rules
from backend_lsp.analysis.python.call_rules import (
    FALSE,
    MISSING,
    NONE,
    CallRule,
    CallTable,
    Check,
    Instances,
    check_calls,
    item_string,
    key_is,
)
from backend_lsp.syntax.document import ParsedDocument

META = RuleMeta(
    code="BE999",
    name="test-table",
    severity=Severity.ERROR,
    summary="A table under test.",
    doc_url="https://example.invalid/",
)

TABLE = CallTable(
    (
        CallRule(
            (
                Check("{name}: retries None", keyword="retries", when=NONE, anchor="match"),
                Check(
                    "{qualified} without retries",
                    keyword="retries",
                    when=MISSING,
                    position=1,
                    anchor="function",
                    fix="insert",
                    fix_title="Add retries",
                    fix_text="retries={retries}",
                    severity=Severity.WARNING,
                ),
            ),
            callees=frozenset({"queue.client.publish"}),
            instances=Instances(
                frozenset({"queue.client.Producer"}),
                frozenset({"send"}),
                configured_by=frozenset({"set_policy"}),
            ),
            safe=(("fire_and_forget", FALSE),),
        ),
        CallRule(
            (
                Check("checks off", keyword="options", when=key_is("check", FALSE)),
                Check("plain listed", keyword="modes", when=item_string("plain"), anchor="match"),
            ),
            callees=frozenset({"queue.client.consume"}),
        ),
    ),
    never=("queue.client.testing.",),
)


def _findings(code: str) -> tuple[str, list[Finding]]:
    text = textwrap.dedent(code)
    ctx = AnalysisContext("app/tasks.py", ParsedDocument(text, "python"))
    return text, list(check_calls(ctx, META, TABLE, {"retries": "3"}))


def _spans(text: str, findings: list[Finding]) -> list[tuple[str, str]]:
    data = text.encode()
    return [(f.message, data[f.start : f.end].decode()) for f in findings]


def test_missing_keyword_resolved_through_an_import_alias_with_insert_fix() -> None:
    text, findings = _findings(
        """
        from queue import client as qc

        def emit(event):
            qc.publish(event)
            qc.publish(event, retries=None)
            qc.publish(event, fire_and_forget=False)
            qc.publish(event, 5)  # the positional slot carries retries
            qc.publish(event, **options)
        """
    )
    assert _spans(text, findings) == [
        ("queue.client.publish without retries", "qc.publish"),
        ("qc.publish: retries None", "None"),
    ]
    assert findings[0].severity is Severity.WARNING and findings[1].severity is Severity.ERROR
    fix = findings[0].fix
    assert fix is not None and fix.title == "Add retries"
    assert [edit.new_text for edit in fix.edits] == [", retries=3"]


def test_instances_count_unless_configured() -> None:
    text, findings = _findings(
        """
        from queue.client import Producer

        plain = Producer()
        tuned = Producer()
        tuned.set_policy(retries=5)

        def emit(event):
            plain.send()
            tuned.send()
            other.send()
        """
    )
    assert _spans(text, findings) == [("plain.send without retries", "plain.send")]


def test_value_tests_and_never_prefixes() -> None:
    text, findings = _findings(
        """
        import queue.client
        from queue.client import testing

        queue.client.consume("q", options={"check": False}, modes=["plain"])
        queue.client.consume("q", options=dict(check=True), modes=("tls", "Plain"))
        testing.publish("q")
        """
    )
    # the first row that matches ends the call's checks: options on the first call wins
    assert _spans(text, findings) == [
        ("checks off", 'options={"check": False}'),
        ("plain listed", '"Plain"'),
    ]


def test_needs_are_the_rows_names_and_keywords() -> None:
    # every segment of a resolved callee is text of the file (the call's or its import's);
    # the consume row reports only through its ``options``/``modes`` keywords
    alternatives = TABLE.needs.alternatives
    assert alternatives is not None
    assert {frozenset(tokens) for tokens in alternatives} == {
        frozenset({b"queue", b"client", b"publish"}),
        frozenset({b"queue", b"client", b"consume", b"modes"}),
        frozenset({b"queue", b"client", b"consume", b"options"}),
        frozenset({b"send", b"queue", b"client", b"Producer"}),
    }


def test_a_file_without_the_needs_is_not_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    def walked(source: bytes, root: object) -> list[object]:
        raise AssertionError("the calls of a file without the table's needs were read")

    monkeypatch.setattr(call_rules, "resolved_calls", walked)
    assert _findings("import queue\n\nqueue.client.consume('q', check=False)\n")[1] == []


def test_an_aliased_callee_meets_the_needs_through_its_import() -> None:
    text, findings = _findings(
        """
        from queue.client import publish as p

        def emit(event):
            p(event)
        """
    )
    assert _spans(text, findings) == [("queue.client.publish without retries", "p")]
