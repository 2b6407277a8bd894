"""``check`` with per-path settings, ``--exclude`` and baselines, on a small Flask-style app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend_lsp.cli import main

CLIENT = """\
import requests


def fetch_invoice(invoice_id):
    return requests.get(f"https://billing.internal/invoices/{invoice_id}")


def fetch_customer(customer_id):
    return requests.get(f"https://crm.internal/customers/{customer_id}")
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'shop'\n", encoding="utf-8")
    for folder in ("shop", "tests"):
        (tmp_path / folder).mkdir()
    (tmp_path / "shop" / "billing.py").write_text(CLIENT, encoding="utf-8")
    (tmp_path / "tests" / "test_billing.py").write_text(CLIENT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def paths_in(out: str) -> set[str]:
    return {entry["path"] for entry in json.loads(out)}


def test_per_file_ignores_from_pyproject(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'shop'\n\n[tool.backend-lsp.per-file-ignores]\n"
        '"tests/**" = ["BE007"]\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", ".", "--format", "json")
    assert code == 1
    assert paths_in(out) == {"shop/billing.py"}


def test_extend_exclude_from_pyproject_and_cli(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'shop'\n\n[tool.backend-lsp.analysis]\nextend-exclude = ['tests/']\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", ".", "--format", "json")
    assert paths_in(out) == {"shop/billing.py"}
    code, out, _ = run(capsys, "check", ".", "--exclude", "shop/billing.py")
    assert code == 0
    assert "No files checked" in out


def test_explicit_file_that_cannot_be_analysed_says_why(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "notes.txt").write_text("hello\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "notes.txt")
    assert code == 0
    assert "notes.txt: not checked (no analyzer for this file type)" in err
    assert "No problems found in 0 files" not in out
    code, out, err = run(capsys, "check", "tests/test_billing.py", "--exclude", "tests/")
    assert "test_billing.py: not checked (excluded by the exclude settings)" in err


def test_baseline_hides_known_findings_across_a_line_shift(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", "shop", "--write-baseline", "baseline.json")
    assert code == 0
    assert "wrote 2 finding(s)" in err
    assert run(capsys, "check", "shop", "--baseline", "baseline.json")[0] == 0

    billing = project / "shop" / "billing.py"
    shifted = '"""Billing client."""\n\nTIMEOUT_NOTE = "see ADR-12"\n\n' + CLIENT
    billing.write_text(shifted, encoding="utf-8")
    code, out, err = run(capsys, "check", "shop", "--baseline", "baseline.json")
    assert code == 0, out
    assert "2 finding(s) hidden by baseline" in err

    added = shifted + (
        "\n\ndef fetch_refund(refund_id):\n"
        '    return requests.get(f"https://billing.internal/refunds/{refund_id}")\n'
    )
    billing.write_text(added, encoding="utf-8")
    code, out, _ = run(capsys, "check", "shop", "--baseline", "baseline.json", "--format", "json")
    assert code == 1
    [new] = json.loads(out)
    assert new["line"] == added.count("\n")  # the refund call, the last line


def test_bad_baseline_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "baseline.json").write_text("[1, 2]", encoding="utf-8")
    code, _, err = run(capsys, "check", "shop", "--baseline", "baseline.json")
    assert code == 2
    assert "not a backend-lsp baseline" in err
    code, _, err = run(capsys, "check", "shop", "--baseline", "missing.json")
    assert code == 2
    assert "cannot read baseline" in err


def test_rules_lists_every_code_and_rule_prints_its_doc(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "rules", "--json")
    listed = [entry["code"] for entry in json.loads(out)]
    assert code == 0
    assert listed == [f"BE{n:03d}" for n in range(1, 29)] + ["BE100"]
    for rule_code in listed:
        code, out, _ = run(capsys, "rule", rule_code.lower())
        assert code == 0
        for section in ("## What it finds", "## Why it matters", "## Example", "## Fix"):
            assert section in out, (rule_code, section)
        assert f"# noqa: {rule_code}" in out or rule_code == "BE100"
    code, out, _ = run(capsys, "rule", "n-plus-one", "--json")
    assert json.loads(out)["code"] == "BE004"


def test_unknown_rule_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "rule", "BE999")
    assert code == 2
    assert "unknown rule" in err


def test_run_help_lists_the_action_ids(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", "--help")
    assert code == 0
    assert "optimize-query" in out and "write-tests" in out
