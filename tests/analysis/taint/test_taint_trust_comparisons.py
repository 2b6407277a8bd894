"""BE028: a privilege flag stored from a test of request data (``form.get("is_admin") ==
"1"``) is still the client's say-so: the comparison is clean text, but the client chose its
outcome. Preferences stored that way, and tests of values the server looked up, are fine."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

FLASK = """
from flask import Flask, request, session
app = Flask(__name__)
"""

FLAGGED = {
    "admin flag from a form field": """
@app.post("/preferences")
def save():
    session["is_admin"] = request.form.get("is_admin") == "1"
    return "", 204
""",
    "negated, through parentheses": """
@app.post("/login")
def login():
    session["verified"] = not (request.args.get("skip_check") in ("1", "yes"))
    return "", 204
""",
    "role test through update()": """
@app.post("/switch")
def switch():
    session.update(staff=request.json["role"] == "staff")
    return "", 204
""",
}

SAFE = {
    "a preference flag": """
@app.post("/preferences")
def save():
    session["dark_mode"] = request.form.get("theme") == "dark"
    return "", 204
""",
    "a test of what the server looked up": """
from .models import User

@app.post("/login")
def login():
    user = User.query.get(session["uid"])
    session["is_admin"] = user.role == "admin"
    return "", 204
""",
    "a constant flag": """
@app.post("/logout")
def logout():
    session["authenticated"] = False
    return "", 204
""",
}


@pytest.mark.parametrize("body", FLAGGED.values(), ids=FLAGGED.keys())
def test_flagged(body: str) -> None:
    assert [f.code for f in run("BE028", FLASK + body, "app/views.py")] == ["BE028"]


@pytest.mark.parametrize("body", SAFE.values(), ids=SAFE.keys())
def test_safe(body: str) -> None:
    assert run("BE028", FLASK + body, "app/views.py") == []
