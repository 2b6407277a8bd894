"""BE021: a redirect written by hand, request data set as the ``Location`` header of a
response (Flask/Starlette ``resp.headers[...]``, Django ``response[...]``)."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

HEAD = """
from django.http import HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from flask import Flask, Response, request, url_for
app = Flask(__name__)
"""

FLAGGED = {
    "flask response headers": """
@app.get("/out")
def outbound():
    resp = Response(status=302)
    resp.headers["Location"] = request.args["to"]
    return resp
""",
    "django response item, lower-case key": """
def bounce(request):
    response = HttpResponse(status=303)
    response["location"] = request.GET.get("next", "/")
    return response
""",
}

SAFE = {
    "a URL of the app's own": """
@app.get("/out")
def outbound():
    resp = Response(status=302)
    resp.headers["Location"] = url_for("home")
    return resp
""",
    "host checked first": """
def bounce(request):
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponse(status=303)
    response["Location"] = target
    return response
""",
    "a dict that is no response": """
@app.get("/where")
def where():
    data = {}
    data["location"] = request.args["city"]
    return data
""",
    "another header": """
@app.get("/out")
def outbound():
    resp = Response(status=200)
    resp.headers["X-Next"] = request.args["to"]
    return resp
""",
}


@pytest.mark.parametrize("body", FLAGGED.values(), ids=FLAGGED.keys())
def test_flagged(body: str) -> None:
    assert [f.code for f in run("BE021", HEAD + body, "app/views.py")] == ["BE021"]


@pytest.mark.parametrize("body", SAFE.values(), ids=SAFE.keys())
def test_safe(body: str) -> None:
    assert run("BE021", HEAD + body, "app/views.py") == []
