# mypy: disable-error-code="index"
# (command results and CodeAction.data are LSPAny: Any | None; indexing them is the test)
"""Bad input: binary, huge, syntax errors, unknown languages, config errors, raw garbage."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

from lsp_testkit import SERVER, SWALLOW, capabilities, open_doc, session, wait_for
from lsprotocol import types


async def test_large_binary_unknown_and_broken_documents(tmp_path: Path) -> None:
    opts = {"analysis": {"maxFileBytes": 20_000, "debounceMs": 10}}
    async with session(tmp_path, capabilities(), init_options=opts) as (client, _):
        big = (tmp_path / "big.py").as_uri()
        open_doc(client, big, SWALLOW * 2000)
        binary = (tmp_path / "blob.py").as_uri()
        open_doc(client, binary, "\x00\x01\x02 except Exception: pass \x00")
        other = (tmp_path / "notes.txt").as_uri()
        open_doc(client, other, "except Exception: pass", language="plaintext")
        broken = (tmp_path / "broken.py").as_uri()
        open_doc(client, broken, SWALLOW + "def broken(:\n    return (\n")
        await wait_for(lambda: big in client.diagnostics and binary in client.diagnostics)
        assert not client.diagnostics[big]
        assert not client.diagnostics[binary]
        await wait_for(lambda: client.diagnostics.get(broken))
        assert client.diagnostics[broken][0].code == "BE015"
        await wait_for(lambda: any("max_file_bytes" in m.message for m in client.log_messages))
        start = time.perf_counter()
        for uri in (big, binary, other):
            await client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=types.Position(line=10**6, character=-1 + 10**6),
                )
            )
            await client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=types.Range(
                        start=types.Position(line=50, character=0),
                        end=types.Position(line=3, character=10**6),
                    ),
                    context=types.CodeActionContext(diagnostics=[]),
                )
            )
        assert time.perf_counter() - start < 2.0
        status = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="backend-lsp.status")
        )
        assert len(status["openDocuments"]) == 4


async def test_bad_config_value_is_reported_and_default_used(tmp_path: Path) -> None:
    config = {"analysis": {"debounceMs": "soon"}, "agent": {"apiKey": "sk-ant-secret-value"}}
    async with session(tmp_path, capabilities(), config=config) as (client, _):
        msg = await wait_for(
            lambda: [m for m in client.messages if "analysis.debounce_ms" in m.message]
        )
        assert msg[0].type == types.MessageType.Warning
        status = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="backend-lsp.status")
        )
        # the bad value is dropped: the next layer down (initializationOptions) applies
        assert status["settings"]["analysis"]["debounce_ms"] == 10
        assert status["settings"]["agent"]["api_key"] == "set"
        dumped = json.dumps(status) + " ".join(m.message for m in client.log_messages)
        assert "sk-ant-secret-value" not in dumped
        # the server still works
        uri = (tmp_path / "a.py").as_uri()
        open_doc(client, uri, SWALLOW)
        await wait_for(lambda: client.diagnostics.get(uri))


async def test_did_change_configuration_republishes(tmp_path: Path) -> None:
    async with session(tmp_path, capabilities()) as (client, _):
        uri = (tmp_path / "a.py").as_uri()
        open_doc(client, uri, SWALLOW)
        await wait_for(lambda: client.diagnostics.get(uri))
        client.set_configuration({"analysis": {"ignore": ["BE015"]}}, section="backendLsp")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await wait_for(lambda: uri in client.diagnostics and not client.diagnostics[uri])


async def test_pull_refresh_after_configuration(tmp_path: Path) -> None:
    async with session(tmp_path, capabilities(pull=True)) as (client, _):
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await wait_for(lambda: client.diagnostic_refresh_count >= 1)


def _frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_garbage_gets_json_rpc_errors(tmp_path: Path) -> None:
    init = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"capabilities": {}, "rootUri": tmp_path.as_uri()},
        }
    ).encode()
    unknown = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "nope/nothing", "params": {}})
    bad_params = json.dumps(
        {"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": {"x": 1}}
    )
    shutdown = json.dumps({"jsonrpc": "2.0", "id": 4, "method": "shutdown"})
    payload = (
        _frame(init)
        + _frame(b"{this is not json")
        + _frame(unknown.encode())
        + _frame(bad_params.encode())
        + _frame(shutdown.encode())
        + _frame(b'{"jsonrpc": "2.0", "method": "exit"}')
    )
    proc = subprocess.run(SERVER, input=payload, capture_output=True, timeout=30)
    out = proc.stdout
    messages = []
    while out:
        header, _, rest = out.partition(b"\r\n\r\n")
        length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        messages.append(json.loads(rest[:length]))
        out = rest[length:]
    by_id = {m.get("id"): m for m in messages if "id" in m and "method" not in m}
    assert "result" in by_id[1]
    assert by_id[None]["error"]["code"] == -32700
    assert by_id[2]["error"]["code"] == -32601
    assert by_id[3]["error"]["code"] in (-32602, -32603)
    assert "result" in by_id[4]


async def test_initialize_is_fast(tmp_path: Path) -> None:
    start = time.perf_counter()
    async with session(tmp_path, capabilities()):
        elapsed = time.perf_counter() - start
    assert elapsed < 3.0  # generous for CI; the benchmark measures the real number
    await asyncio.sleep(0)
    assert sys.executable
