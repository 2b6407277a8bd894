"""A helper's sink is judged per parameter: a parameter the helper cleans before its sink
makes a call with only that argument tainted clean, while another parameter of the same
sink still carries request data (issue 10, per-parameter sanitizers in sink summaries)."""

from __future__ import annotations

from pathlib import Path

from tests.analysis.rule_helpers import run
from tests.analysis.taint.test_taint_xmodule import findings, project

RUNNER = """import shlex
import subprocess


def run_tool(target, flags):
    subprocess.run("nmap " + shlex.quote(target) + " " + flags, shell=True, check=False)
"""


def line_of(source: str, text: str) -> int:
    """1-based line of the first occurrence of ``text``."""
    return source[: source.index(text)].count("\n") + 1


FLASK = """from flask import Flask, request

app = Flask(__name__)
"""


def test_a_parameter_quoted_before_the_shell_is_clean_through_a_local_helper() -> None:
    source = (
        RUNNER
        + FLASK
        + """

@app.post("/scan")
def scan():
    run_tool(request.form["host"], "-sV")
    return "queued"
"""
    )
    assert run("BE016", source, path="scanner/views.py") == []


def test_the_unquoted_parameter_of_the_same_sink_still_reaches_the_shell() -> None:
    source = (
        RUNNER
        + FLASK
        + """

@app.post("/scan")
def scan():
    run_tool("example.org", request.form["flags"])
    return "queued"
"""
    )
    found = run("BE016", source, path="scanner/views.py")
    assert len(found) == 1
    assert "run_tool()" in " ".join(step.message for step in found[0].flow)


def test_both_parameters_tainted_report_once_for_the_unquoted_one() -> None:
    source = (
        RUNNER
        + FLASK
        + """

@app.post("/scan")
def scan():
    run_tool(request.form["host"], request.args.get("flags", ""))
    return "queued"
"""
    )
    found = run("BE016", source, path="scanner/views.py")
    assert len(found) == 1
    assert found[0].message.startswith("`request.args`")


def test_a_django_view_passing_the_quoted_slot_by_keyword_is_clean() -> None:
    source = (
        RUNNER
        + """
from django.http import HttpResponse


def scan(request):
    run_tool(flags="-Pn", target=request.POST["host"])
    return HttpResponse("queued")


def scan_raw(request):
    run_tool(target="localhost", flags=request.POST["flags"])
    return HttpResponse("queued")
"""
    )
    [finding] = run("BE016", source, path="scanner/views.py")
    assert f"(line {line_of(source, 'flags=request.POST')})" in finding.message


def test_a_helper_that_quotes_one_argument_of_several_sinks_keeps_each_apart() -> None:
    source = (
        FLASK
        + """
import os
import shlex


def archive(folder, name):
    os.system("tar czf /backups/" + name + ".tgz " + shlex.quote(folder))


@app.post("/archive")
def start():
    archive(request.form["folder"], "nightly")
    return "ok"


@app.post("/archive/named")
def start_named():
    archive("/srv/data", request.form['name'])
    return "ok"
"""
    )
    [finding] = run("BE016", source, path="backups/views.py")
    assert f"(line {line_of(source, 'request.form[' + repr('name'))})" in finding.message


def test_an_imported_helper_keeps_its_per_parameter_cleaning(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "scanner/__init__.py": "",
            "scanner/tools.py": RUNNER,
            "scanner/views.py": FLASK
            + """from scanner.tools import run_tool


@app.post("/scan")
def scan():
    run_tool(request.form["host"], "-sV")
    return "queued"


@app.post("/scan/raw")
def scan_raw():
    run_tool("example.org", request.form["flags"])
    return "queued"
""",
        },
    )
    found = findings(root, "scanner/views.py", "BE016")
    source = (root / "scanner/views.py").read_text()
    assert [source[f.start : f.end] for f in found] == ['request.form["flags"]']
