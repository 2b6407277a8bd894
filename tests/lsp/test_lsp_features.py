# mypy: disable-error-code="index"
# (command results and CodeAction.data are LSPAny: Any | None; indexing them is the test)
"""Pull diagnostics, encodings, code actions + resolve, hover."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsp_testkit import SWALLOW, capabilities, open_doc, session, wait_for
from lsprotocol import types
from pytest_lsp import LanguageClient

PREFIX = 'x = "é😀"; '  # 2-byte and 4-byte UTF-8 characters; the emoji is 2 UTF-16 units
BODY = PREFIX + "\n" + SWALLOW


def ident(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def hover_until(client: LanguageClient, uri: str, pos: types.Position) -> types.Hover:
    for _ in range(250):
        hov = await client.text_document_hover_async(
            types.HoverParams(text_document=ident(uri), position=pos)
        )
        if hov is not None:
            return hov
        await asyncio.sleep(0.02)
    raise AssertionError("no hover")


async def test_pull_mode_never_pushes(tmp_path: Path) -> None:
    async with session(tmp_path, capabilities(pull=True)) as (client, result):
        assert result.capabilities.diagnostic_provider is not None
        uri = (tmp_path / "a.py").as_uri()
        open_doc(client, uri, SWALLOW)
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=ident(uri))
        )
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert [d.code for d in report.items] == ["BE015"]
        again = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(
                text_document=ident(uri), previous_result_id=report.result_id
            )
        )
        assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
        await asyncio.sleep(0.2)
        assert uri not in client.diagnostics


@pytest.mark.parametrize("utf8", [True, False])
async def test_position_encoding(tmp_path: Path, utf8: bool) -> None:
    async with session(tmp_path, capabilities(utf8=utf8)) as (client, result):
        expected = "utf-8" if utf8 else "utf-16"
        assert result.capabilities.position_encoding == expected
        uri = (tmp_path / "enc.py").as_uri()
        open_doc(client, uri, BODY)
        await wait_for(lambda: client.diagnostics.get(uri))
        # Insert after the non-ASCII text on line 0, in the negotiated units. If the server
        # misread the units, the insertion would land inside the string literal.
        col = len(PREFIX.encode()) if utf8 else len(PREFIX.encode("utf-16-le")) // 2
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=0, character=col),
                            end=types.Position(line=0, character=col),
                        ),
                        text="z = 1  # é\ntry:\n    a()\nexcept Exception: pass",
                    )
                ],
            )
        )
        await wait_for(lambda: len(client.diagnostics.get(uri, [])) == 2)
        first = client.diagnostics[uri][0]
        assert first.code == "BE015"
        assert first.range.start == types.Position(line=3, character=0)
        # hover on line 3 (after 'except') finds the finding; columns past the end are clamped
        hov = await hover_until(client, uri, types.Position(line=3, character=3))
        assert "BE015" in hov.contents.value  # type: ignore[union-attr]
        far = await client.text_document_hover_async(
            types.HoverParams(
                text_document=ident(uri), position=types.Position(line=999, character=999)
            )
        )
        assert far is None or isinstance(far, types.Hover)


NOQA_TWICE = "import requests\n\ndef f(url):\n    requests.get(url, verify=False)  # noqa: E501\n"


@pytest.mark.parametrize("resolve", [True, False])
async def test_ignore_on_this_line_extends_the_noqa_comment_and_silences_the_finding(
    tmp_path: Path, resolve: bool
) -> None:
    async with session(tmp_path, capabilities(resolve=resolve)) as (client, _result):
        uri = (tmp_path / "calls.py").as_uri()
        open_doc(client, uri, NOQA_TWICE)
        diags = await wait_for(lambda: client.diagnostics.get(uri))
        codes = sorted(str(d.code) for d in diags)
        assert "BE007" in codes and "BE012" in codes
        be007 = next(d for d in diags if d.code == "BE007")
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=ident(uri),
                range=types.Range(start=types.Position(3, 0), end=types.Position(3, 0)),
                context=types.CodeActionContext(diagnostics=[be007]),
            )
        )
        assert actions is not None
        ignore = next(
            a
            for a in actions
            if isinstance(a, types.CodeAction) and a.title == "Ignore BE007 on this line"
        )
        assert ignore.kind == "quickfix.backend.ignore" and not ignore.is_preferred
        if resolve:
            assert ignore.edit is None
            ignore = await client.code_action_resolve_async(ignore)
        assert ignore.edit is not None and ignore.edit.document_changes
        change = ignore.edit.document_changes[0]
        assert isinstance(change, types.TextDocumentEdit)
        (edit,) = change.edits
        assert isinstance(edit, types.TextEdit) and edit.new_text == "# noqa: E501, BE007"
        line = NOQA_TWICE.splitlines()[3]
        assert edit.range.start == types.Position(3, line.index("# noqa"))
        assert edit.range.end == types.Position(3, len(line))
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)
                ],
            )
        )
        # BE007 is silenced on that line; BE012 on the same line is not.
        left = await wait_for(
            lambda: (
                (d := client.diagnostics.get(uri)) is not None
                and all(x.code != "BE007" for x in d)
                and d
            )
        )
        assert [str(d.code) for d in left] == ["BE012"]


@pytest.mark.parametrize("resolve", [True, False])
async def test_quick_fix_resolve(tmp_path: Path, resolve: bool) -> None:
    async with session(tmp_path, capabilities(resolve=resolve)) as (client, result):
        assert result.capabilities.code_action_provider.resolve_provider  # type: ignore[union-attr]
        uri = (tmp_path / "fix.py").as_uri()
        open_doc(client, uri, SWALLOW)
        diags = await wait_for(lambda: client.diagnostics.get(uri))
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=ident(uri),
                range=diags[0].range,
                context=types.CodeActionContext(diagnostics=list(diags)),
            )
        )
        assert actions is not None
        fixes = [a for a in actions if a.kind != "quickfix.backend.ignore"]
        ignores = [a for a in actions if a.kind == "quickfix.backend.ignore"]
        assert len(fixes) == 1 and [a.title for a in ignores] == ["Ignore BE015 on this line"]
        action = fixes[0]
        assert isinstance(action, types.CodeAction)
        assert action.kind == "quickfix.backend.be015"
        assert action.is_preferred
        if resolve:
            assert action.edit is None and action.data["source"] == "finding"
            action = await client.code_action_resolve_async(action)
        assert action.edit is not None and action.edit.document_changes
        change = action.edit.document_changes[0]
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.version == 1
        edit = change.edits[0]
        assert isinstance(edit, types.TextEdit) and "logging" in edit.new_text
        # only `refactor` wanted: no quick fixes
        none = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=ident(uri),
                range=diags[0].range,
                context=types.CodeActionContext(diagnostics=[], only=["refactor"]),
            )
        )
        assert not none


async def test_plain_changes_without_document_changes(tmp_path: Path) -> None:
    caps = capabilities(resolve=False, document_changes=False)
    async with session(tmp_path, caps) as (client, _):
        uri = (tmp_path / "fix.py").as_uri()
        open_doc(client, uri, SWALLOW)
        diags = await wait_for(lambda: client.diagnostics.get(uri))
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=ident(uri),
                range=diags[0].range,
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        assert actions
        edit = actions[0].edit  # type: ignore[union-attr]
        assert edit is not None and edit.document_changes is None and uri in (edit.changes or {})


async def test_stale_resolve_is_content_modified(tmp_path: Path) -> None:
    async with session(tmp_path) as (client, _):
        uri = (tmp_path / "fix.py").as_uri()
        open_doc(client, uri, SWALLOW)
        diags = await wait_for(lambda: client.diagnostics.get(uri))
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=ident(uri),
                range=diags[0].range,
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        assert actions
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text="# gone\n")],
            )
        )
        with pytest.raises(Exception, match=r"changed|gone"):
            await client.code_action_resolve_async(actions[0])  # type: ignore[arg-type]
        await wait_for(lambda: uri in client.diagnostics and not client.diagnostics[uri])


FETCH = (
    "import requests\n\n\n"
    "def fetch_rates(url: str) -> dict:\n"
    "    rates = requests.get(url, verify=False).json()\n"
    "    return rates\n"
)


async def test_every_diagnostic_sent_with_the_request_gets_its_quick_fix(tmp_path: Path) -> None:
    # Neovim sends all diagnostics of the cursor's line, wherever the cursor is on it.
    async with session(tmp_path, capabilities(resolve=False)) as (client, _):
        uri = (tmp_path / "rates.py").as_uri()
        open_doc(client, uri, FETCH)
        diags = await wait_for(lambda: client.diagnostics.get(uri))
        on_line = [d for d in diags if d.range.start.line == 4 and d.data["fix"]]
        assert len({d.code for d in on_line}) >= 2, diags
        assert all(d.range.start.character > 4 for d in on_line)  # the cursor is not on them
        cursor = types.Position(line=4, character=2)
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=ident(uri),
                range=types.Range(start=cursor, end=cursor),
                context=types.CodeActionContext(diagnostics=on_line),
            )
        )
        fixed = {a.kind for a in actions or [] if isinstance(a, types.CodeAction)}
        assert fixed >= {f"quickfix.backend.{str(d.code).lower()}" for d in on_line}
        alone = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=ident(uri),
                range=types.Range(start=cursor, end=cursor),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        assert not [a for a in alone or [] if str(a.kind).startswith("quickfix")]
