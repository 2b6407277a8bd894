"""BE020: a route's HTML page filled from a template kept in a name (``PAGE =
"<html>..."`` at module level, or a local) with ``.format()`` of request data is built
text like a literal's ``.format()``; a JSON dict or a template filled with constants is not."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

HEAD = """
from html import escape
from flask import Flask, request
app = Flask(__name__)
PAGE = "<html><title>{title}</title><body>{content}</body></html>"
"""

FLAGGED = {
    "module template, keyword values": """
@app.get("/page")
def page():
    return PAGE.format(title="Notes", content=request.args.get("note", ""))
""",
    "module template, values from a dict": """
@app.get("/page")
def page():
    ctx = {"title": "Notes", "content": request.args.get("note", "")}
    return PAGE.format(**ctx)
""",
    "local template": """
@app.get("/hello")
def hello():
    template = "<p>Hello {}</p>"
    return template.format(request.args["name"])
""",
}

SAFE = {
    "escaped value": """
@app.get("/page")
def page():
    return PAGE.format(title="Notes", content=escape(request.args.get("note", "")))
""",
    "constants only": """
@app.get("/page")
def page():
    return PAGE.format(title="Notes", content="Nothing yet")
""",
    "a name that is no string": """
TEMPLATES = {"page": "<p>{}</p>"}

@app.get("/page")
def page():
    return {"body": TEMPLATES["page"], "note": request.args.get("note", "")}
""",
}


@pytest.mark.parametrize("body", FLAGGED.values(), ids=FLAGGED.keys())
def test_flagged(body: str) -> None:
    assert [f.code for f in run("BE020", HEAD + body, "app/views.py")] == ["BE020"]


@pytest.mark.parametrize("body", SAFE.values(), ids=SAFE.keys())
def test_safe(body: str) -> None:
    assert run("BE020", HEAD + body, "app/views.py") == []
