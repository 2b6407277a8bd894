"""``backend-lsp doctor``: useful facts, config problems, never a secret."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from backend_lsp.cli import main
from backend_lsp.doctor import mask_url, run_doctor

FAKE_KEY = "sk-ant-api03-FAKEFAKEFAKE0123456789abcdefTESTONLY"


def doctor(root: Path, env: dict[str, str]) -> tuple[int, str]:
    out = io.StringIO()
    code = run_doctor(root, env, out)
    return code, out.getvalue()


def test_reports_versions_grammars_and_provider(tmp_path: Path) -> None:
    code, text = doctor(tmp_path, {"ANTHROPIC_API_KEY": FAKE_KEY})
    assert code == 0
    assert "backend-lsp" in text and "python" in text
    for language in ("python", "javascript", "typescript", "go", "java", "sql"):
        assert f"grammar {language}" in text
    assert "ANTHROPIC_API_KEY" in text
    assert FAKE_KEY not in text
    assert FAKE_KEY[:12] not in text
    assert "set" in text.split("ANTHROPIC_API_KEY", 1)[1].splitlines()[0]
    assert text.rstrip().endswith("All good.")


def test_missing_key_says_not_set(tmp_path: Path) -> None:
    _, text = doctor(tmp_path, {})
    line = next(line for line in text.splitlines() if "ANTHROPIC_API_KEY" in line)
    assert "not set" in line


def test_cache_dir_override(tmp_path: Path) -> None:
    _, text = doctor(tmp_path, {"BACKEND_LSP_CACHE_DIR": str(tmp_path / "c")})
    assert str(tmp_path / "c") in text


def test_config_problems_are_listed(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.backend-lsp]\nlog-level = 'loud'\n[tool.backend-lsp.agent]\nmax-tokens = 3\n",
        encoding="utf-8",
    )
    (tmp_path / ".backend-lsp-ignore").write_text("secret/\n", encoding="utf-8")
    code, text = doctor(tmp_path, {})
    assert code == 1
    assert "[tool.backend-lsp] found" in text
    assert "log_level" in text and "agent.max_tokens" in text
    ignore_line = next(line for line in text.splitlines() if ".backend-lsp-ignore" in line)
    assert ignore_line.split()[-1] == "found"


def test_unparseable_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.backend-lsp\n", encoding="utf-8")
    code, text = doctor(tmp_path, {})
    assert code == 1
    assert "cannot be read" in text


def test_base_url_credentials_are_masked(tmp_path: Path) -> None:
    env = {"ANTHROPIC_BASE_URL": "https://alice:hunter2@gateway.internal:8443/anthropic"}
    _, text = doctor(tmp_path, env)
    assert "hunter2" not in text and "alice" not in text
    assert "https://***@gateway.internal:8443/anthropic" in text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("https://tok@host/x?y=1", "https://***@host/x?y=1"),
    ],
)
def test_mask_url(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_cli_doctor_never_prints_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    monkeypatch.chdir(tmp_path)
    code = main(["--log-level", "debug", "doctor"])
    out, err = capsys.readouterr()
    assert code == 0
    assert FAKE_KEY not in out + err
    assert str(tmp_path) in out
