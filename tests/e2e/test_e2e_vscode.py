# mypy: disable-error-code="index"
# (the driver's report is parsed JSON: indexing it is the test)
"""The VS Code extension in a real VS Code: code-server, driven by Debian's chromium.

The .vsix that ``npm run package`` builds is installed with ``--install-extension`` into a
code-server whose user data, extensions and config live in a temp folder. The playwright
driver (editors/vscode/e2e/e2e.mjs) opens a copy of examples/shop, waits for the server in
the status bar and the findings in the Problems view, applies a quick fix with Ctrl+., shows
a hover, and runs the Optimize query action against the fake Messages API; the assertions on
what changed on disk live here. Screenshots go to build/vscode-e2e/ (README images: copy
from there into docs/images/).
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fake_anthropic as fa
import pytest
from e2e_editors import NEW, OLD, REPO, isolated_env, require

EXTENSION = REPO / "editors" / "vscode"
E2E = EXTENSION / "e2e"
VSIX = EXTENSION / "backend-lsp.vsix"
CODE_SERVER = E2E / "node_modules" / ".bin" / "code-server"
NODE24 = E2E / "node24" / "node_modules" / ".bin"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("BACKEND_LSP_VSCODE_E2E_OUT", REPO / "build" / "vscode-e2e"))
KEY = "sk-ant-api03-VSCODEE2EKEYVSCODEE2EKEY-0123456789"
QUICK_FIX = "Add timeout=10"
USER_SETTINGS = {
    "security.workspace.trust.enabled": False,
    "workbench.startupEditor": "none",
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "workbench.tips.enabled": False,
    "chat.disableAIFeatures": True,
    "update.mode": "none",
    "extensions.autoUpdate": False,
    "extensions.autoCheckUpdates": False,
    "telemetry.telemetryLevel": "off",
    "git.enabled": False,
}


def _existing(path: Path) -> Path | None:
    return path if path.exists() else None


def _sources_newer_than(target: Path) -> bool:
    built = target.stat().st_mtime
    sources = [EXTENSION / "package.json", *(EXTENSION / "src").rglob("*.ts")]
    sources += (REPO / "server" / "backend_lsp").rglob("*.py")
    return any(p.stat().st_mtime > built for p in sources)


def _vsix() -> Path:
    """The packaged extension; rebuilt when a source is newer (scripts/vscode-test.sh builds it)."""
    require(_existing(EXTENSION / "node_modules" / ".bin" / "vsce"), "the extension's npm packages")
    if not VSIX.is_file() or _sources_newer_than(VSIX):
        env = {**os.environ, "PYTHON": sys.executable}
        subprocess.run(
            ["npm", "run", "--silent", "package"], cwd=EXTENSION, env=env, check=True,
            capture_output=True, timeout=300,
        )  # fmt: skip
    return VSIX


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"code-server exited: {log.read_text(errors='replace')[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"code-server did not listen on {port}: {log.read_text(errors='replace')[-2000:]}")


def _lines(text: str, first: str, last: str) -> tuple[int, int]:
    """1-based line numbers of ``first`` and the line after ``last`` (a whole-line selection)."""
    lines = text.splitlines()
    start = lines.index(first)
    return start + 1, lines.index(last, start) + 2


@pytest.fixture(scope="module")
def vscode(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    code_server = require(_existing(CODE_SERVER), "code-server (editors/vscode/e2e)")
    require(_existing(NODE24 / "node"), "Node 24 for code-server (editors/vscode/e2e/node24)")
    chromium = require(_existing(CHROMIUM), "Debian's chromium")
    vsix = _vsix()
    tmp = tmp_path_factory.mktemp("vscode")
    shop = tmp / "shop"
    shutil.copytree(REPO / "examples" / "shop", shop, ignore=shutil.ignore_patterns("__pycache__"))
    server = Path(sys.executable).with_name("backend-lsp")
    (shop / ".vscode").mkdir()
    (shop / ".vscode" / "settings.json").write_text(
        json.dumps({"backendLsp.server.path": str(server)}), encoding="utf-8"
    )
    user = tmp / "user-data"
    (user / "User").mkdir(parents=True)
    (user / "User" / "settings.json").write_text(json.dumps(USER_SETTINGS), encoding="utf-8")
    env = isolated_env(tmp)
    env["PATH"] = f"{NODE24}{os.pathsep}{env['PATH']}"
    # code-server asks open-vsx for extension updates: point it at a closed loopback port.
    env["EXTENSIONS_GALLERY"] = json.dumps({"serviceUrl": "http://127.0.0.1:9/vscode/gallery"})
    dirs = ["--user-data-dir", str(user), "--extensions-dir", str(tmp / "extensions")]
    started = time.monotonic()
    subprocess.run(
        [str(code_server), *dirs, "--install-extension", str(vsix)],
        env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    installed = time.monotonic() - started
    reporting = (shop / "app" / "services" / "reporting.py").read_text(encoding="utf-8")
    agent_lines = _lines(
        reporting,
        "def orders_by_status(db: Session, status: str) -> list[dict]:",
        "    return [dict(row) for row in rows]",
    )
    products = (shop / "app" / "routes" / "products.py").read_text(encoding="utf-8")
    route_line = (
        products.splitlines().index(
            "def export_products(db: Session = Depends(get_db)) -> list[Product]:"
        )
        + 1
    )
    out = ARTIFACTS
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    port = _free_port()
    log = tmp / "code-server.log"
    with fa.FakeAnthropic() as fake:
        fake.push(fa.tool_stream({"edits": [{"search": OLD, "replace": NEW}], "summary": "ok"}))
        # The key and the gateway reach the server through the extension host's environment.
        server_env = {**env, "ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": fake.base_url}
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [str(code_server), *dirs, "--auth", "none", "--disable-telemetry",
                 "--disable-update-check", "--disable-workspace-trust",
                 "--bind-addr", f"127.0.0.1:{port}", str(shop)],
                env=server_env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        try:
            _wait_for_port(port, process, log)
            config = {
                "url": f"http://127.0.0.1:{port}",
                "folder": str(shop),
                "out": str(out),
                "chromium": str(chromium),
                "quickFix": QUICK_FIX,
                "hover": {
                    "path": ["routes", "products.py"],
                    "word": "export_products",
                    "line": route_line,
                    "expect": "handler",
                },
                "agentLines": list(agent_lines),
                "agentAction": "Optimize query",
                "agentExpect": "SELECT id, status, total, created_at",
                "agentFixes": "BE002",
            }
            config_file = tmp / "driver.json"
            config_file.write_text(json.dumps(config), encoding="utf-8")
            driver = subprocess.run(
                [str(NODE24 / "node"), str(E2E / "e2e.mjs"), str(config_file)],
                cwd=E2E, env=env, capture_output=True, text=True, timeout=400,
            )  # fmt: skip
            result_file = out / "result.json"
            if not result_file.is_file():
                output = driver.stdout[-2000:] + driver.stderr[-2000:]
                pytest.fail(f"the driver wrote no result: {output}")
            result: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        result.update(
            _shop=shop, _fake=fake, _installed_s=installed, _log=log.read_text(errors="replace"),
            _cache=Path(env["BACKEND_LSP_CACHE_DIR"]),
            _requests=list(fake.message_requests),
        )  # fmt: skip
    print(f"vscode e2e: install-extension {installed:.1f} s, driver {result.get('total_ms')} ms")
    misses = result.get("quick_fix_misses")
    assert result["error"] is None, (
        result["error"],
        result["steps"],
        misses,
        result["_log"][-3000:],
    )
    yield result


def test_the_server_starts_and_its_findings_reach_the_problems_view(vscode: dict[str, Any]) -> None:
    steps = vscode["steps"]
    # The key and base URL came through the environment: the status bar names the gateway.
    assert steps["server_started"]["value"].startswith("backend-lsp: ")
    assert "offline" not in steps["server_started"]["value"]
    problems = "\n".join(steps["problems"]["value"])
    for code in ("BE007", "BE012", "BE015"):
        assert code in problems
    assert "has no timeout" in problems


def test_the_quick_fix_is_offered_and_changes_the_file(vscode: dict[str, Any]) -> None:
    assert any(QUICK_FIX in row for row in vscode["steps"]["quick_fix"]["value"])
    text = (vscode["_shop"] / "app" / "services" / "payments.py").read_text(encoding="utf-8")
    original = (REPO / "examples" / "shop" / "app" / "services" / "payments.py").read_text()
    # Exactly one line more: the argument, inside refund_payment's requests.post(...) call.
    diff = difflib.ndiff(original.splitlines(), text.splitlines())
    added = [line for line in diff if line[:2] != "  "]
    assert added == ["+         timeout=10,"]
    refund = text[text.index("def refund_payment") :]
    assert "timeout=10" in refund[: refund.index("response.raise_for_status()")]


def test_the_hover_explains_the_route(vscode: dict[str, Any]) -> None:
    hover = vscode["steps"]["hover"]["value"]
    # The server's markdown (not VS Code's own marker hover): the route, its handler, its finding.
    assert "Route" in hover and "GET" in hover and "handler export_products" in hover
    assert "BE005" in hover


def test_the_agent_action_edits_the_file_through_the_fake_api(vscode: dict[str, Any]) -> None:
    agent = vscode["steps"]["agent_edit"]["value"]
    assert any("Optimize query" in row for row in agent["offered"])
    target = vscode["_shop"] / "app" / "services" / "reporting.py"
    original = (REPO / "examples" / "shop" / "app" / "services" / "reporting.py").read_text()
    assert target.read_text(encoding="utf-8") == original.replace(OLD, NEW)
    [request] = [r for r in vscode["_requests"] if b"SELECT * FROM orders" in r.body]
    headers = request.headers
    assert headers.get("x-api-key") == KEY or headers.get("authorization") == f"Bearer {KEY}"
    assert "tok" in agent["status"]


def test_the_key_is_not_in_code_servers_log(vscode: dict[str, Any]) -> None:
    assert KEY not in vscode["_log"] and "VSCODEE2EKEY" not in vscode["_log"]


def test_show_context_lists_what_an_action_would_send(vscode: dict[str, Any]) -> None:
    text = vscode["steps"]["show_context"]["value"]
    assert "reporting.py:10-14" in text or "reporting.py:10-13" in text
    assert "tokens" in text and "selection" in text


def test_clear_cache_empties_the_response_cache(vscode: dict[str, Any]) -> None:
    # The agent's one answer was cached; the command removes it from the test's cache dir.
    message = vscode["steps"]["clear_cache"]["value"]
    assert "removed 1 cached response(s)" in message
    assert str(vscode["_cache"]) in message
