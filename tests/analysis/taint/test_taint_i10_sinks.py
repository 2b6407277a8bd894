"""Sinks the tables lacked (branch i10-sinks): async file opens, jinja2 environments'
``from_string`` and xml.sax, each with look-alikes that are not the sink."""

from __future__ import annotations

import pytest
from rule_helpers import run


def _codes(code: str, source: str) -> list[str]:
    return [f.code for f in run(code, source, path="app/views.py")]


AIOFILES_TP = [
    """\
import aiofiles
from fastapi import FastAPI, Request

app = FastAPI()

@app.get("/exports")
async def export(request: Request):
    name = request.query_params["name"]
    async with aiofiles.open(f"/srv/exports/{name}", "rb") as fh:
        return await fh.read()
""",
    """\
import os
import aiofiles
from flask import Flask, request

app = Flask(__name__)

@app.post("/notes")
async def save_note():
    path = os.path.join("/var/notes", request.form["title"])
    fh = await aiofiles.open(path, "w")
    await fh.write(request.form["body"])
    return "", 204
""",
    """\
import aiofiles.os
from django.http import JsonResponse

async def delete_upload(request):
    await aiofiles.os.remove("/srv/uploads/" + request.POST["file"])
    return JsonResponse({"ok": True})
""",
]
AIOFILES_SAFE = [
    """\
import aiofiles
from fastapi import FastAPI
from werkzeug.utils import secure_filename

app = FastAPI()

@app.get("/exports/{name}")
async def export(name: str):
    async with aiofiles.open("/srv/exports/" + secure_filename(name), "rb") as fh:
        return await fh.read()
""",
    """\
import aiofiles
from flask import Flask, request

app = Flask(__name__)
REPORTS = {"daily": "/srv/daily.csv", "weekly": "/srv/weekly.csv"}

@app.get("/report")
async def report():
    async with aiofiles.open(REPORTS.get(request.args["kind"], "/srv/daily.csv")) as fh:
        return await fh.read()
""",
    """\
import aiofiles
from flask import Flask, request

app = Flask(__name__)

@app.post("/log")
async def log():
    async with aiofiles.open("/var/log/app/client.log", "a") as fh:
        await fh.write(request.form["line"] + "\\n")
    return "", 204
""",
]


@pytest.mark.parametrize("source", AIOFILES_TP)
def test_async_file_open_of_request_path_is_path_traversal(source: str) -> None:
    assert _codes("BE018", source) == ["BE018"]


@pytest.mark.parametrize("source", AIOFILES_SAFE)
def test_async_file_open_of_fixed_or_reduced_path_is_not_reported(source: str) -> None:
    assert _codes("BE018", source) == []


JINJA_TP = [
    """\
from flask import Flask, request
from jinja2 import Environment

app = Flask(__name__)

@app.post("/preview")
def preview():
    env = Environment(autoescape=True)
    return env.from_string(request.form["template"]).render(user="x")
""",
    """\
from flask import Flask, request

app = Flask(__name__)

@app.post("/mail/preview")
def mail_preview():
    body = request.get_json()["body"]
    return app.jinja_env.from_string(body).render()
""",
    """\
from jinja2 import Template
from rest_framework.decorators import api_view
from rest_framework.response import Response

@api_view(["POST"])
def render_snippet(request):
    return Response({"html": Template(request.data["snippet"]).render()})
""",
]
JINJA_SAFE = [
    """\
from flask import Flask, request
from jinja2.sandbox import SandboxedEnvironment

app = Flask(__name__)

@app.post("/preview")
def preview():
    env = SandboxedEnvironment()
    return env.from_string(request.form["template"]).render()
""",
    """\
from flask import Flask, request
from jinja2 import Environment

app = Flask(__name__)
env = Environment(autoescape=True)
GREETING = env.from_string("Hello {{ name }}")

@app.get("/hello")
def hello():
    return GREETING.render(name=request.args["name"])
""",
    """\
from decimal import Decimal
from flask import Flask, request
from money import Money

app = Flask(__name__)

@app.post("/price")
def price():
    amount = Money.from_string(request.form["amount"])
    return str(amount)
""",
]


@pytest.mark.parametrize("source", JINJA_TP)
def test_request_text_compiled_as_jinja_template_is_code_injection(source: str) -> None:
    assert _codes("BE017", source) == ["BE017"]


@pytest.mark.parametrize("source", JINJA_SAFE)
def test_sandbox_fixed_template_and_other_from_string_are_not_reported(source: str) -> None:
    assert _codes("BE017", source) == []


SAX_TP = [
    """\
import xml.sax
from flask import Flask, request

app = Flask(__name__)

@app.post("/import")
def import_feed():
    handler = xml.sax.ContentHandler()
    xml.sax.parse(request.files["feed"], handler)
    return "ok"
""",
    """\
import xml.sax
from xml.sax.handler import feature_external_ges
from django.http import HttpResponse

def import_catalog(request):
    reader = xml.sax.make_parser()
    reader.setFeature(feature_external_ges, True)
    reader.parse(request.FILES["catalog"])
    return HttpResponse("ok")
""",
    """\
from xml.sax import parseString, ContentHandler
from fastapi import FastAPI, Request

app = FastAPI()

@app.post("/soap")
async def soap(request: Request):
    parseString(await request.body(), ContentHandler())
    return {"ok": True}
""",
]
SAX_SAFE = [
    """\
import xml.sax
from django.http import HttpResponse

def import_catalog(request):
    reader = xml.sax.make_parser()
    reader.parse(request.FILES["catalog"])
    return HttpResponse("ok")
""",
    """\
from dateutil import parser
from flask import Flask, request

app = Flask(__name__)

@app.get("/since")
def since():
    return parser.parse(request.args["since"]).isoformat()
""",
    """\
import xml.sax
from defusedxml.sax import parse as safe_parse
from flask import Flask, request

app = Flask(__name__)

@app.post("/import")
def import_feed():
    safe_parse(request.files["feed"], xml.sax.ContentHandler())
    xml.sax.parse("/srv/feeds/default.xml", xml.sax.ContentHandler())
    return "ok"
""",
]


@pytest.mark.parametrize("source", SAX_TP)
def test_sax_parse_of_request_data_is_xxe(source: str) -> None:
    assert _codes("BE022", source) == ["BE022"]


@pytest.mark.parametrize("source", SAX_SAFE)
def test_default_reader_dateutil_and_defusedxml_are_not_reported(source: str) -> None:
    assert _codes("BE022", source) == []
