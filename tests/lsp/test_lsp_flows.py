"""A taint finding's flow reaches the editor: relatedInformation per step, and hover at the sink."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsp_testkit import capabilities, open_doc, session, wait_for
from lsprotocol import types

HANDLER = """import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host")
    command = "ping -c1 " + host
    return subprocess.check_output(command, shell=True)


@app.route("/version")
def version():
    return subprocess.check_output("git describe", shell=True)
"""
SOURCE_LINE, STEP_LINE, SINK_LINE = 8, 9, 10  # 0-based lines of the flow in HANDLER


def _check_flow(diagnostic: types.Diagnostic, uri: str) -> None:
    related = diagnostic.related_information
    assert related, "a flow finding carries its steps"
    assert {r.location.uri for r in related} == {uri}
    lines = [r.location.range.start.line for r in related]
    assert lines[0] == SOURCE_LINE and "request data" in related[0].message
    assert STEP_LINE in lines
    assert lines[-1] == SINK_LINE and "reaches" in related[-1].message
    assert lines == sorted(lines)


@pytest.mark.parametrize("pull", [False, True])
async def test_flow_is_related_information(tmp_path: Path, pull: bool) -> None:
    async with session(tmp_path, capabilities(pull=pull)) as (client, _):
        uri = (tmp_path / "views.py").as_uri()
        open_doc(client, uri, HANDLER)
        if pull:
            report = await client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
            diagnostics = report.items
        else:
            diagnostics = await wait_for(lambda: client.diagnostics.get(uri))
        flagged = [d for d in diagnostics if d.code == "BE016"]
        assert len(flagged) == 1, "the constant command is not flagged"
        assert flagged[0].range.start.line == SINK_LINE
        _check_flow(flagged[0], uri)
        others = [d for d in diagnostics if d.code != "BE016"]
        assert all(not d.related_information for d in others)


async def test_hover_at_the_sink_shows_the_path(tmp_path: Path) -> None:
    async with session(tmp_path) as (client, _):
        uri = (tmp_path / "views.py").as_uri()
        open_doc(client, uri, HANDLER)
        await wait_for(lambda: client.diagnostics.get(uri))
        column = HANDLER.splitlines()[SINK_LINE].index("(command") + 1
        position = types.Position(line=SINK_LINE, character=column)
        hover = None
        for _ in range(100):
            hover = await client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri), position=position
                )
            )
            if hover is not None:
                break
            await asyncio.sleep(0.02)
        assert hover is not None
        assert isinstance(hover.contents, types.MarkupContent)
        text = hover.contents.value
        assert "BE016" in text
        assert "1. request data `request.args` (line 9)" in text
        assert "assigned to `command` (line 10)" in text
        assert "reaches `subprocess.check_output` (line 11)" in text
