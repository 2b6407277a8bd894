"""Every byte the CLI writes and the fake API receives, with secrets all around: none leaks.

The CLI runs as a real subprocess (so its own logging set-up is what runs),
with ``--log-level debug``, ``ANTHROPIC_LOG=debug``, the API key wrapped in
stray whitespace and a base URL carrying a gateway password. The workspace
holds every Python-shaped secret of the redaction corpus in the file the
action works on. Captured: stdout, stderr, and every request body and
non-credential header the fake Messages API receives. The key and the
gateway password do go to the (fake) API in its auth headers; that is the
one place they belong, so those two headers are left out of the check.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import fake_anthropic as fa
import pytest
from redaction_corpus import secret_cases

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
KEY = "sk-ant-api03-BYTECAPTUREKEY0123456789-abcdefghijklmnopqrstuvwxyzABCDEF"
GATEWAY_PASSWORD = "gwP4ss-w0rd-91"  # URL-safe: "@" or "#" would need percent-encoding
TARGET = "app/secret_store.py"
AUTH_HEADERS = {"x-api-key", "authorization"}


def _python_snippets() -> tuple[str, list[str]]:
    cases = [c for c in secret_cases() if c.language == "python"]
    body = "".join(f"# case {i}\n{c.text}" for i, c in enumerate(cases))
    return body, [c.secret for c in cases]


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, list[str]]:
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    body, secrets = _python_snippets()
    (root / TARGET).write_text(
        '"""Settings that should have been environment variables."""\n\n'
        "def lookup(db, name):\n    return db.query(name).all()\n\n" + body,
        encoding="utf-8",
    )
    (root / ".env").write_text(f"ANTHROPIC_API_KEY={KEY}\nDB_PASSWORD=Xk29#pq!77\n", "utf-8")
    return root, [*secrets, "Xk29#pq!77"]


def _run(root: Path, env: dict[str, str], *argv: str) -> tuple[int, bytes, bytes]:
    done = subprocess.run(
        [sys.executable, "-m", "backend_lsp", "--log-level", "debug", *argv],
        cwd=root,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_no_secret_key_or_gateway_password_in_any_captured_byte(
    workspace: tuple[Path, list[str]], tmp_path: Path
) -> None:
    root, secrets = workspace
    with fa.FakeAnthropic() as fake:
        fake.push(fa.tool_stream({"edits": [], "summary": "nothing to change"}))
        fake.push(fa.text_stream("An explanation."))
        host = fake.base_url.removeprefix("http://")
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("ANTHROPIC", "BACKEND_LSP"))
            },
            "ANTHROPIC_API_KEY": f"  {KEY}\n",
            "ANTHROPIC_BASE_URL": f"http://gateway:{GATEWAY_PASSWORD}@{host}",
            "ANTHROPIC_LOG": "debug",
            "BACKEND_LSP_CACHE_DIR": str(tmp_path / "cache"),
        }
        runs = [
            _run(root, env, "context", f"{TARGET}:1-40"),
            _run(root, env, "run", "optimize-query", f"{TARGET}:3-4", "--json"),
            _run(root, env, "check", "."),
            _run(root, env, "doctor"),
            _run(root, env, "context", ".env:1"),
        ]
        requests = list(fake.requests)
    captured: list[tuple[str, bytes]] = []
    for index, (_code, out, err) in enumerate(runs):
        captured += [(f"run {index} stdout", out), (f"run {index} stderr", err)]
    for index, record in enumerate(requests):
        headers = {k: v for k, v in record.headers.items() if k.lower() not in AUTH_HEADERS}
        captured.append((f"request {index}", json.dumps(headers).encode() + record.body))
    # The runs did what they are for: the action reached the API, the context was shown.
    assert runs[1][0] == 0, runs[1][2].decode()[-2000:]
    # token counting may reach the fake before or after the action's request, or not at all
    messages = [r for r in requests if r.path.split("?")[0] == "/v1/messages"]
    assert messages and b"<<SECRET_" in messages[0].body
    assert b"<<SECRET_" in runs[0][1]
    assert b"debug" in runs[1][2].lower()  # debug logging was really on
    forbidden = [KEY, GATEWAY_PASSWORD, *secrets]
    leaks = [
        (where, secret[:6] + "...")
        for where, data in captured
        for secret in forbidden
        if secret.encode() in data
    ]
    assert leaks == []


def test_key_with_control_characters_is_refused_clearly(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC", "BACKEND_LSP"))},
        "ANTHROPIC_API_KEY": KEY[:20] + "\x1b[0m" + KEY[20:],
        "BACKEND_LSP_CACHE_DIR": str(tmp_path / "cache"),
    }
    _code, out, err = _run(tmp_path, env, "doctor")
    text = (out + err).decode()
    assert "control characters" in text
    assert KEY[:20] not in text and KEY[20:] not in text
