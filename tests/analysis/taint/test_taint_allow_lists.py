"""Allow-lists kept as ``frozenset({...})`` constants guard like set literals do, and a
redirect check named for what it proves (``is_local``, ``is_local_url``) guards like
``is_safe_url``. An allow-list built from the request, or a check with a name that
proves nothing, is no guard."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

HEAD = """
import requests
from flask import Flask, abort, redirect, request
app = Flask(__name__)
PARTNERS = frozenset({"partner-a.example.com", "partner-b.example.com"})
"""

FLAGGED = {
    "allow-list from the request": (
        "BE019",
        """
@app.get("/fetch")
def fetch():
    host = request.args["host"]
    allowed = frozenset(request.args.getlist("allowed"))
    if host not in allowed:
        abort(400)
    return requests.get(f"https://{host}/status", timeout=5).text
""",
    ),
    "a check whose name proves nothing": (
        "BE021",
        """
def looks_fine(path):
    return len(path) < 200

@app.get("/continue")
def cont():
    nxt = request.args.get("next", "/")
    if not looks_fine(nxt):
        abort(400)
    return redirect(nxt)
""",
    ),
}

SAFE = {
    "frozenset allow-list": (
        "BE019",
        """
@app.get("/fetch")
def fetch():
    host = request.args["host"]
    if host not in PARTNERS:
        abort(400)
    return requests.get(f"https://{host}/status", timeout=5).text
""",
    ),
    "is_local guard": (
        "BE021",
        """
def is_local(path):
    return path.startswith("/") and not path.startswith("//") and "\\\\" not in path

@app.get("/continue")
def cont():
    nxt = request.args.get("next", "/")
    if not is_local(nxt):
        abort(400)
    return redirect(nxt)
""",
    ),
    "is_local_url guard, positive branch": (
        "BE021",
        """
from .security import is_local_url

@app.get("/continue")
def cont():
    nxt = request.args.get("next", "/")
    if is_local_url(nxt):
        return redirect(nxt)
    return redirect("/")
""",
    ),
}


@pytest.mark.parametrize(("code", "body"), FLAGGED.values(), ids=FLAGGED.keys())
def test_flagged(code: str, body: str) -> None:
    assert code in [f.code for f in run(code, HEAD + body, "app/views.py")]


@pytest.mark.parametrize(("code", "body"), SAFE.values(), ids=SAFE.keys())
def test_safe(code: str, body: str) -> None:
    assert run(code, HEAD + body, "app/views.py") == []
