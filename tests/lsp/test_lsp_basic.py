"""Initialize, push diagnostics, hover, code actions with resolve."""

from __future__ import annotations

from pathlib import Path

from lsp_testkit import SWALLOW, open_doc, session, wait_for
from lsprotocol import types


async def test_push_diagnostics_and_capabilities(tmp_path: Path) -> None:
    async with session(tmp_path) as (client, result):
        caps = result.capabilities
        assert caps.diagnostic_provider is None  # push client: never both
        assert caps.hover_provider
        assert caps.position_encoding in ("utf-16", types.PositionEncodingKind.Utf16)
        uri = (tmp_path / "a.py").as_uri()
        open_doc(client, uri, SWALLOW)
        diags = await wait_for(lambda: client.diagnostics.get(uri))
        d = diags[0]
        assert d.code == "BE015"
        assert d.source == "backend-lsp"
        assert d.severity in set(types.DiagnosticSeverity)
        assert d.code_description is not None and d.code_description.href.startswith("http")
        assert d.data["code"] == "BE015"
        assert d.range.start == types.Position(line=3, character=4)
