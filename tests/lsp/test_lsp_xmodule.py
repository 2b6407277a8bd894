"""A flow into an imported helper reaches the editor, and editing the helper re-checks its
open importers (after the helper's change, without touching the importer)."""

from __future__ import annotations

from pathlib import Path

from lsp_testkit import open_doc, session, wait_for
from lsprotocol import types

HELPER = "import subprocess\n\n\ndef run_cmd(cmd):\n    return subprocess.run(cmd, shell=True)\n"
FIXED = "import subprocess\n\n\ndef run_cmd(cmd):\n    return subprocess.run(['echo', cmd])\n"
VIEWS = """from flask import Flask, request

from app.services import run_cmd

app = Flask(__name__)


@app.route("/run")
def run():
    run_cmd(request.args["cmd"])
    return "ok"
"""


def flagged(client: object, uri: str) -> list[types.Diagnostic]:
    diagnostics = getattr(client, "diagnostics", {}).get(uri, [])
    return [d for d in diagnostics if d.code == "BE016"]


async def test_helper_flow_and_helper_edit(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    helper = tmp_path / "app" / "services.py"
    helper.write_text(HELPER)
    views = tmp_path / "app" / "views.py"
    views.write_text(VIEWS)
    async with session(tmp_path) as (client, _):
        views_uri, helper_uri = views.as_uri(), helper.resolve().as_uri()
        open_doc(client, views_uri, VIEWS)
        [diagnostic] = await wait_for(lambda: flagged(client, views_uri))
        assert diagnostic.range.start.line == 9
        related = diagnostic.related_information or []
        assert related[0].location.uri == views_uri
        assert related[-1].location.uri == helper_uri
        assert related[-1].location.range.start.line == 4  # subprocess.run in the helper
        open_doc(client, helper.as_uri(), HELPER)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=helper.as_uri(), version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=FIXED)],
            )
        )
        await wait_for(lambda: not flagged(client, views_uri) and views_uri in client.diagnostics)
