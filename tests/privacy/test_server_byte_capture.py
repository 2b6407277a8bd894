"""A real server session (pytest-lsp) with secrets around: no secret, key or gateway password out.

Captured: every message the server sends the client (diagnostics, log and
progress messages, command results), the server's log file at debug level,
and every request body and non-credential header the fake Messages API
receives. The key is set with stray whitespace and the base URL carries a
gateway password; both may only travel in the auth headers to the API.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import fake_anthropic as fa
import pytest
from lspa_support import SERVER, agent_caps, run_args, server_env, whole_line
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from redaction_corpus import secret_cases

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
KEY = "sk-ant-api03-SERVERCAPTUREKEY0123456789-abcdefghijklmnopqrstuvwxyzAB"
GATEWAY_PASSWORD = "srvGw-9f3Kq2-pass"
TARGET = "app/secret_store.py"


def _secrets_file() -> tuple[str, list[str]]:
    cases = [c for c in secret_cases() if c.language == "python"]
    body = "".join(c.text for c in cases)
    head = "def lookup(db, name):\n    return db.query(name).all()\n\n"
    return head + body, [c.secret for c in cases]


async def test_server_session_leaks_nothing(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    text, secrets = _secrets_file()
    (root / TARGET).write_text(text, encoding="utf-8")
    log_file = tmp_path / "server.log"
    sent: list[str] = []
    with fa.FakeAnthropic() as fake:
        fake.push(fa.tool_stream({"edits": [], "summary": "nothing to change"}))
        host = fake.base_url.removeprefix("http://")
        env = server_env(f"http://gw:{GATEWAY_PASSWORD}@{host}", tmp_path / "cache", f" {KEY}\n")
        env["ANTHROPIC_LOG"] = "debug"
        env["BACKEND_LSP_LOG_LEVEL"] = "debug"
        command = [*SERVER, "--log-level", "debug", "--log-file", str(log_file)]
        config = ClientServerConfig(server_command=command, server_env=env)
        client = await config.start()
        assert isinstance(client, LanguageClient)
        original = client.protocol.handle_message

        def record(message: Any) -> Any:
            sent.append(repr(message))
            return original(message)

        client.protocol.handle_message = record  # type: ignore[method-assign]
        await client.initialize_session(
            types.InitializeParams(
                capabilities=agent_caps(),
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
                initialization_options={
                    "logLevel": "debug",
                    "logFile": str(log_file),
                    "analysis": {"debounceMs": 10},
                    "agent": {"maxRetries": 0, "timeoutS": 5},
                },
            )
        )
        uri = (root / TARGET).as_uri()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=text
                )
            )
        )
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="backend-lsp.runAction",
                arguments=[run_args(uri, 1, "optimize-query", whole_line(1))],
            )
        )
        sent.append(json.dumps(result))
        await client.shutdown_session()
        await client.stop()  # type: ignore[no-untyped-call]
        requests = list(fake.requests)
    assert requests, "the action never reached the fake API"
    assert b"<<SECRET_" in b"".join(r.body for r in requests)
    assert any("BE008" in s for s in sent)  # diagnostics about the secrets did reach the client
    captured = {"lsp messages": "\n".join(sent), "log file": log_file.read_text(encoding="utf-8")}
    for index, record_ in enumerate(requests):
        headers = {
            k: v
            for k, v in record_.headers.items()
            if k.lower() not in ("x-api-key", "authorization")
        }
        captured[f"request {index}"] = json.dumps(headers) + record_.body.decode("utf-8", "replace")
    assert "optimize-query" in captured["log file"]  # the log file did record the session
    leaks = [
        (where, secret[:6] + "...")
        for where, data in captured.items()
        for secret in (KEY, GATEWAY_PASSWORD, *secrets)
        if secret in data
    ]
    assert leaks == []


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
