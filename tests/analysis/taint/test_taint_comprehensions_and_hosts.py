"""Three shapes a hand-written suite of handlers showed the engine losing or misjudging:
a generator passed as a call's only argument (``",".join(str(i) for i in ids)``), a sink in
a comprehension's ``if`` filter, and an allow-list test on a URL's parsed host, which bounds
where the URL itself points."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

FLASK = """
import os
import psycopg2
import requests
from urllib.parse import urlparse, urlsplit
from flask import Flask, abort, redirect, request
app = Flask(__name__)
ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}
"""

FLAGGED = {
    "generator joined into SQL": (
        "BE001",
        """
@app.post("/bulk-delete")
def bulk_delete():
    ids = ",".join(str(i) for i in request.get_json()["ids"])
    cur = psycopg2.connect("dbname=app").cursor()
    cur.execute("DELETE FROM notes WHERE id IN (" + ids + ")")
""",
    ),
    "generator filter over request data": (
        "BE016",
        """
@app.get("/run")
def run_all():
    script = "; ".join(part for part in request.args.getlist("step") if part)
    os.system(script)
""",
    ),
    "sink in a comprehension's filter": (
        "BE017",
        """
@app.get("/metrics")
def metrics():
    rule = request.args["where"]
    return {"rows": [m for m in range(100) if eval(rule, {}, {"m": m})]}
""",
    ),
    "host read but never tested": (
        "BE019",
        """
@app.get("/preview")
def preview():
    target = request.args["url"]
    host = urlparse(target).hostname
    app.logger.info("preview of %s", host)
    return {"status": requests.get(target, timeout=5).status_code}
""",
    ),
    "host tested on another URL": (
        "BE019",
        """
@app.get("/preview")
def preview():
    target = request.args["url"]
    if urlparse(request.args["other"]).hostname not in ALLOWED_HOSTS:
        abort(400)
    return {"status": requests.get(target, timeout=5).status_code}
""",
    ),
    "scheme tested, host not": (
        "BE019",
        """
@app.get("/preview")
def preview():
    target = request.args["url"]
    parts = urlparse(target)
    if parts.scheme != "https":
        abort(400)
    return {"status": requests.get(target, timeout=5).status_code}
""",
    ),
    "the parts were rebound before the test": (
        "BE019",
        """
@app.get("/preview")
def preview():
    target = request.args["url"]
    parts = urlparse(target)
    parts = urlparse("https://images.example.com/")
    if parts.hostname not in ALLOWED_HOSTS:
        abort(400)
    return {"status": requests.get(target, timeout=5).status_code}
""",
    ),
}

SAFE = {
    "generator over constants": (
        "BE001",
        """
COLUMNS = ("id", "title")

@app.get("/notes")
def notes():
    cols = ", ".join(c for c in COLUMNS)
    cur = psycopg2.connect("dbname=app").cursor()
    cur.execute("SELECT " + cols + " FROM notes WHERE owner = %s", (request.args["owner"],))
""",
    ),
    "comprehension filter keeps allowed values": (
        "BE016",
        """
STEPS = {"build", "test"}

@app.get("/run")
def run_all():
    steps = [s for s in request.args.getlist("step") if s in STEPS]
    for step in steps:
        os.system("make " + step)
""",
    ),
    "parsed host in an allow-list, then abort": (
        "BE019",
        """
@app.get("/preview")
def preview():
    target = request.args["url"]
    parsed = urlparse(target)
    if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:
        abort(400)
    return {"status": requests.get(target, timeout=5).status_code}
""",
    ),
    "inline split, positive branch": (
        "BE019",
        """
@app.get("/preview")
def preview():
    target = request.args["url"]
    if urlsplit(target).netloc in ALLOWED_HOSTS:
        return {"status": requests.get(target, timeout=5).status_code}
    abort(400)
""",
    ),
    "referer kept only on our own host": (
        "BE021",
        """
@app.post("/cart/add")
def add_to_cart():
    back = request.headers.get("Referer") or "/cart"
    if urlparse(back).netloc not in ("", "shop.example.com"):
        back = "/cart"
    return redirect(back)
""",
    ),
}


@pytest.mark.parametrize(("code", "body"), FLAGGED.values(), ids=FLAGGED.keys())
def test_flagged(code: str, body: str) -> None:
    assert [f.code for f in run(code, FLASK + body, "app/views.py")] == [code]


@pytest.mark.parametrize(("code", "body"), SAFE.values(), ids=SAFE.keys())
def test_safe(code: str, body: str) -> None:
    assert run(code, FLASK + body, "app/views.py") == []
