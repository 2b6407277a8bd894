"""Flask and Quart send a ``str`` a route returns as ``text/html``, and FastAPI does for a
route declared ``response_class=HTMLResponse``: HTML built from request data and returned
is cross-site scripting even with no response call in sight (issue 10, BE020 miss class
"returned from a view"). A dict, a template, an escaped value or FastAPI's JSON default
stay quiet."""

from __future__ import annotations

from tests.analysis.rule_helpers import run

from backend_lsp.analysis.model import Finding
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import IncrementalAnalyzer
from backend_lsp.syntax.document import ParsedDocument, TextChange

FLASK = """from flask import Flask, jsonify, render_template, request
from markupsafe import escape

app = Flask(__name__)
"""


def flagged_lines(source: str, found: list[Finding]) -> list[str]:
    lines = source.splitlines()
    return [lines[source.encode()[: f.start].count(b"\n")].strip() for f in found]


def test_html_built_from_request_data_and_returned_by_a_flask_route_is_flagged() -> None:
    source = (
        FLASK
        + """

@app.route("/hello")
def hello():
    name = request.args.get("name", "world")
    return f"<h1>Hello {name}</h1>"


@app.get("/missing")
def missing():
    path = request.args["path"]
    return "<p>No page at " + path + "</p>", 404


@app.post("/search")
def search():
    term = request.form.get("q", "")
    return "<h2>Results for %s</h2>" % term


@app.route("/greet")
def greet():
    who = request.values.get("who")
    return "<p>Hi {}</p>".format(who)


@app.route("/tags")
def tags():
    html = "<ul>"
    for tag in request.args.getlist("tag"):
        html += f"<li>{tag}</li>"
    html += "</ul>"
    return html
"""
    )
    found = run("BE020", source)
    assert flagged_lines(source, found) == [
        'return f"<h1>Hello {name}</h1>"',
        'return "<p>No page at " + path + "</p>", 404',
        'return "<h2>Results for %s</h2>" % term',
        'return "<p>Hi {}</p>".format(who)',
        "return html",
    ]
    assert "text/html response" in found[0].message


def test_escaped_json_template_and_helper_returns_stay_quiet() -> None:
    source = (
        FLASK
        + """

@app.route("/hello")
def hello():
    name = request.args.get("name", "world")
    return f"<h1>Hello {escape(name)}</h1>"


@app.route("/api/echo")
def echo():
    return jsonify(message=request.args.get("message"))


@app.route("/api/profile")
def profile():
    data = request.get_json()
    return {"name": data["name"]}


@app.route("/api/raw")
def raw():
    payload = request.get_json()
    return payload


@app.route("/page")
def page():
    return render_template("page.html", title=request.args.get("title"))


def label(value):
    return f"<b>{value}</b>"
"""
    )
    assert run("BE020", source) == []


def test_fastapi_returns_json_unless_the_route_declares_an_html_response() -> None:
    source = """from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/greet")
def greet(name: str):
    return f"Hello {name}"


@app.get("/page", response_class=HTMLResponse)
def page(title: str):
    return f"<html><title>{title}</title></html>"
"""
    found = run("BE020", source)
    assert flagged_lines(source, found) == ['return f"<html><title>{title}</title></html>"']


def test_adding_the_html_response_class_to_the_decorator_rejudges_the_route() -> None:
    """Only the decorator changes, not the function's text: its remembered run must not
    be reused."""
    source = """from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/page")
def page(title: str):
    return f"<html><title>{title}</title></html>"
"""
    settings = AnalysisSettings(select=["BE020"])
    document = ParsedDocument(source, "python")
    analyzer = IncrementalAnalyzer()

    def be020() -> list[Finding]:
        found = analyzer.analyze("app/pages.py", document, settings)
        return [f for f in found if f.code == "BE020"]

    assert be020() == []
    at = source.index('"/page"') + len('"/page"')
    document.apply(TextChange(at, at, ", response_class=HTMLResponse"), 2)
    assert len(be020()) == 1
