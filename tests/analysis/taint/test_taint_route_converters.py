"""A URL converter decides what a view parameter can hold: Flask's ``<int:order_id>`` and
Django's ``path("<int:pk>/", view)`` reject any other text before the view runs, so the
parameter carries no caller text; ``<name>``, ``<path:...>``, ``<slug:...>`` still do
(issue 10, false-positive class "typed route parameter")."""

from __future__ import annotations

from pathlib import Path

from tests.analysis.rule_helpers import run
from tests.analysis.taint.test_taint_xmodule import findings, line_of, project

from backend_lsp.analysis.model import Finding
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import IncrementalAnalyzer
from backend_lsp.syntax.document import ParsedDocument, TextChange

FLASK = """import subprocess

from flask import Blueprint, Flask, request
from myapp.db import get_db

app = Flask(__name__)
bp = Blueprint("reports", __name__)
"""


def flagged_lines(source: str, found: list[Finding]) -> list[str]:
    data = source.encode()
    return [
        data[: f.start].decode().rsplit("\n", 1)[-1] + data[f.start : f.end].decode() for f in found
    ]


def test_flask_int_and_uuid_converters_make_the_parameter_clean() -> None:
    source = (
        FLASK
        + """

@app.route("/orders/<int:order_id>")
def order(order_id):
    row = get_db().execute(f"SELECT * FROM orders WHERE id = {order_id}").fetchone()
    return dict(row)


@bp.get("/exports/<uuid:export_id>/download")
def download(export_id):
    subprocess.run(f"tar czf /tmp/{export_id}.tgz /srv/exports/{export_id}", shell=True)
    return "ok"


@app.route("/reports/<any(daily, weekly):period>")
def report(period):
    return get_db().execute("SELECT * FROM report_" + period).fetchall()
"""
    )
    assert run("BE001", source) == []
    assert run("BE016", source) == []


def test_flask_untyped_path_and_string_converters_stay_request_text() -> None:
    source = (
        FLASK
        + """

@app.route("/orders/<order_ref>")
def order(order_ref):
    return get_db().execute(f"SELECT * FROM orders WHERE ref = '{order_ref}'").fetchone()


@app.route("/files/<path:name>")
def archive(name):
    subprocess.run(f"tar czf /tmp/out.tgz {name}", shell=True)
    return "ok"


@app.route("/tags/<string(length=8):tag>")
def tag(tag):
    return get_db().execute("SELECT * FROM tags WHERE name = '%s'" % tag).fetchall()
"""
    )
    assert len(run("BE001", source)) == 2
    assert len(run("BE016", source)) == 1


def test_stacked_routes_convert_a_parameter_only_if_every_route_that_captures_it_does() -> None:
    source = (
        FLASK
        + """

@app.route("/history/", defaults={"page": 1})
@app.route("/history/<int:page>")
def history(page):
    return get_db().execute(f"SELECT * FROM events LIMIT 50 OFFSET {page * 50}").fetchall()


@app.route("/users/<int:user>")
@app.route("/users/<user>")
def profile(user):
    return get_db().execute(f"SELECT * FROM users WHERE id = {user}").fetchone()
"""
    )
    found = run("BE001", source)
    assert [line.strip() for line in flagged_lines(source, found)] == [
        'return get_db().execute(f"SELECT * FROM users WHERE id = {user}"'
    ]


def test_django_path_converters_in_the_same_module() -> None:
    source = """from django.db import connection
from django.http import JsonResponse
from django.urls import path, re_path


def order_detail(request, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT total FROM shop_order WHERE id = {pk}")
        return JsonResponse({"total": cursor.fetchone()[0]})


def archive(request, year):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM shop_order WHERE EXTRACT(year FROM created) = %s" % year)
        return JsonResponse({"rows": cursor.fetchall()})


def by_slug(request, slug):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM shop_product WHERE slug = '{slug}'")
        return JsonResponse({"rows": cursor.fetchall()})


urlpatterns = [
    path("orders/<int:pk>/", order_detail),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", archive),
    path("products/<slug:slug>/", by_slug),
]
"""
    found = run("BE001", source, path="shop/views.py")
    assert [line.strip() for line in flagged_lines(source, found)] == [
        "cursor.execute(f\"SELECT * FROM shop_product WHERE slug = '{slug}'\""
    ]


VIEWS = """from django.db import connection
from django.http import JsonResponse


def monthly(request, year, month):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM billing_invoice WHERE year = {year} AND month = {month}"
        )
        return JsonResponse({"count": cursor.fetchone()[0]})


def by_code(request, code):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM billing_invoice WHERE code = '{code}'")
        return JsonResponse({"rows": cursor.fetchall()})
"""


def test_django_converters_in_the_workspace_urls_module(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "billing/__init__.py": "",
            "billing/views.py": VIEWS,
            "billing/urls.py": (
                "from django.urls import path, re_path\n\nfrom . import views\n\n"
                "urlpatterns = [\n"
                '    path("<int:year>/<int:month>/", views.monthly),\n'
                '    re_path(r"^code/(?P<code>\\w+)/$", views.by_code),\n'
                "]\n"
            ),
        },
    )
    found = findings(root, "billing/views.py", "BE001")
    assert [line_of(root, "billing/views.py", f).strip() for f in found] == [
        "cursor.execute(f\"SELECT * FROM billing_invoice WHERE code = '{code}'\")"
    ]


def test_a_view_routed_twice_with_different_converters_stays_request_text(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        {
            "billing/__init__.py": "",
            "billing/views.py": VIEWS,
            "billing/urls.py": (
                "from django.urls import path\n\nfrom . import views\n\n"
                "urlpatterns = [\n"
                '    path("<int:year>/<int:month>/", views.monthly),\n'
                '    path("legacy/<year>/<int:month>/", views.monthly),\n'
                "]\n"
            ),
        },
    )
    found = findings(root, "billing/views.py", "BE001")
    assert [f.message.split(" reaches")[0] for f in found if f.flow] == [
        "`route parameter year` (line 5)"
    ]


def test_editing_the_converter_on_the_decorator_rejudges_the_view() -> None:
    """The function's own text does not change, only its decorator: the remembered
    parameter kinds must not be reused."""
    source = (
        FLASK
        + """

@app.route("/orders/<int:order_id>")
def order(order_id):
    return get_db().execute(f"SELECT * FROM orders WHERE id = {order_id}").fetchone()
"""
    )
    settings = AnalysisSettings(select=["BE001"])
    document = ParsedDocument(source, "python")
    analyzer = IncrementalAnalyzer()

    def be001() -> list[Finding]:
        return [
            f for f in analyzer.analyze("app/views.py", document, settings) if f.code == "BE001"
        ]

    assert be001() == []
    at = source.index("<int:order_id>")
    document.apply(TextChange(at + 1, at + len("<int:"), ""), 2)
    assert len(be001()) == 1
    document.apply(TextChange(at + 1, at + 1, "int:"), 3)
    assert be001() == []
