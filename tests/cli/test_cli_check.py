"""``backend-lsp check``: exit codes, formats, selection, ignores, bad files."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from backend_lsp.cli import main, parse_tcp

SWALLOW = """\
import logging


def load(path, cache):
    try:
        cache.update(path, open(path).read())
    except Exception:
        pass
"""

CLEAN = """\
def add(a: int, b: int) -> int:
    return a + b
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "io.py").write_text(SWALLOW, encoding="utf-8")
    (tmp_path / "app" / "math.py").write_text(CLEAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_and_exit_one_on_findings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", ".")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("app/io.py:7:5: BE015 ")
    assert lines[-1].startswith("Found 1 problem (1 ")
    assert ") in 2 files." in lines[-1]


def test_exit_zero_flag_reports_findings_and_exits_zero(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", ".", "--exit-zero")
    assert code == 0
    assert out.splitlines()[0].startswith("app/io.py:7:5: BE015 ")
    assert run(capsys, "check", "missing-dir", "--exit-zero")[0] == 2


def test_exit_zero_without_findings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "app/math.py")
    assert code == 0
    assert out.strip() == "No problems found in 1 file."


def test_json_output_fields(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "app", "--format", "json")
    assert code == 1
    [item] = json.loads(out)
    assert set(item) == {
        "path",
        "line",
        "end_line",
        "column",
        "end_column",
        "code",
        "name",
        "severity",
        "message",
        "doc_url",
        "fix",
    }
    assert item["path"] == "app/io.py"
    assert (item["line"], item["column"], item["end_line"]) == (7, 5, 7)
    assert item["end_column"] > item["column"]
    assert (item["code"], item["name"]) == ("BE015", "swallowed-exception")
    assert item["severity"] in {"error", "warning", "info", "hint"}
    assert item["doc_url"].startswith("https://")
    if item["fix"] is not None:
        assert item["fix"]["title"]
        for edit in item["fix"]["edits"]:
            assert set(edit) == {"line", "column", "end_line", "end_column", "new_text"}


def test_json_empty_array_without_findings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "app/math.py", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_select_and_ignore(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", ".", "--select", "BE015")[0] == 1
    assert run(capsys, "check", ".", "--select", "be0")[0] == 1
    assert run(capsys, "check", ".", "--select", "swallowed-exception")[0] == 1
    assert run(capsys, "check", ".", "--ignore", "BE015")[0] == 0
    assert run(capsys, "check", ".", "--select", "BE015", "--ignore", "BE01")[0] == 0


def test_pyproject_settings_apply(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.backend-lsp.analysis]\nignore = ['BE015']\n", encoding="utf-8"
    )
    assert run(capsys, "check", ".")[0] == 0


def test_invalid_config_value_warns_and_keeps_going(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.backend-lsp.analysis]\nmax-file-bytes = 'lots'\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "check", ".")
    assert code == 1
    assert "analysis.max_file_bytes" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "does-not-exist"],
        ["check", ".", "--format", "xml"],
        ["check", ".", "--select", "BE999"],
        ["check", ".", "--select", "BE015,nonsense-rule"],
        ["check"],
        ["frobnicate"],
        [],
        ["serve", "--tcp", "nohost"],
        ["serve", "--stdio", "--tcp", "127.0.0.1:1"],
    ],
)
def test_usage_errors_exit_two(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.strip()


def test_unknown_ignore_code_only_warns(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", ".", "--ignore", "XX1")
    assert code == 1
    assert "--ignore XX1 matches no rule" in err


def test_gitignore_respected(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".gitignore").write_text("app/io.py\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", ".")
    assert code == 0
    assert "in 1 file." in out


def test_binary_and_huge_files_are_skipped_with_a_note(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.backend-lsp.analysis]\nmax-file-bytes = 4000\n", encoding="utf-8"
    )
    (project / "app" / "blob.py").write_bytes(b"\x00\x01\x02binary\x00")
    (project / "app" / "latin.py").write_bytes(b"name = '\xe9t\xe9'\n")
    (project / "app" / "huge.py").write_text("x = 1\n" * 2000, encoding="utf-8")
    code, out, err = run(capsys, "check", ".", "--format", "json")
    assert code == 1
    assert [item["path"] for item in json.loads(out)] == ["app/io.py"]
    assert "app/blob.py: skipped (binary file" in err
    assert "app/latin.py: skipped (not valid UTF-8" in err
    assert "app/huge.py: skipped (12,000 bytes is over the limit of 4,000)" in err


def test_syntax_errors_do_not_crash(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "app" / "broken.py").write_text("def f(:\n  try:\n    x(\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", ".")
    assert code == 1
    assert "in 3 files." in out


def test_output_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", ".", "--format", "json", "-o", "report.json")
    assert code == 1
    assert out == ""
    assert json.loads((project / "report.json").read_text())[0]["code"] == "BE015"


def test_paths_outside_cwd_are_absolute(
    tmp_path: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path.parent / (tmp_path.name + "-other")
    other.mkdir()
    (other / "x.py").write_text(SWALLOW, encoding="utf-8")
    _, out, _ = run(capsys, "check", str(other), "--format", "json")
    assert json.loads(out)[0]["path"] == (other / "x.py").as_posix()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from backend_lsp import __version__

    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"backend-lsp {__version__}")


def test_serve_passes_transport_and_logging(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[dict[str, Any]] = []
    fake = types.ModuleType("backend_lsp.lsp.server")
    fake.serve = lambda **kwargs: calls.append(kwargs)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "backend_lsp.lsp.server", fake)
    assert main(["serve"]) == 0
    assert main(["--log-level", "debug", "serve", "--tcp", "127.0.0.1:2087"]) == 0
    assert main(["serve", "--stdio", "--log-level", "error", "--log-file", "s.log"]) == 0
    assert calls == [
        {"tcp": None, "log_level": None, "log_file": None},
        {"tcp": ("127.0.0.1", 2087), "log_level": "debug", "log_file": None},
        {"tcp": None, "log_level": "error", "log_file": "s.log"},
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("localhost:80", ("localhost", 80)), ("[::1]:9000", ("::1", 9000))],
)
def test_parse_tcp(value: str, expected: tuple[str, int]) -> None:
    assert parse_tcp(value) == expected
