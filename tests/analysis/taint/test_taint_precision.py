"""Noise classes found on real backends, each as a flagged case and its safe look-alike."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

DJANGO = """
from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
"""
FLASK = """
import pathlib
import requests
from flask import Flask, redirect, request, send_file
from urllib.parse import quote
app = Flask(__name__)
"""

# (rule, flagged source, safe look-alike): one pair per class of false positive.
PAIRS = {
    "value only in the query string of a redirect": (
        "BE021",
        DJANGO
        + """
def login_next(request):
    target = request.GET.get("next", "/")
    return redirect(target + "?welcome=1")
""",
        DJANGO
        + """
def page_redirect(request, page_id):
    url = reverse("api:detail_page", kwargs={"page_id": page_id})
    query = request.GET.copy()
    query.pop("id", None)
    return redirect(f"{url}?{query.urlencode()}")

def wishlist(request):
    redirect_url = "%s?next=%s" % (settings.LOGIN_URL, request.path)
    return redirect(redirect_url)
""",
    ),
    "value after a fixed host in a server-side request": (
        "BE019",
        FLASK
        + """
@app.route("/logo")
def logo():
    host = request.args["host"]
    return requests.get("https://" + host + "/logo.png").content
""",
        FLASK
        + """
API = "https://api.opencagedata.com"

@app.route("/geocode")
def geocode():
    q = request.args.get("q", "")
    first = requests.get(
        "https://api.opencagedata.com/geocode/v1/json?q={}&key={}".format(quote(q), "k")
    )
    second = requests.get(API + f"/reviews/{request.args['ext']}")
    return first.text + second.text
""",
    ),
    "guard on the same expression the branch redirects to": (
        "BE021",
        DJANGO
        + """
def back(request):
    if url_has_allowed_host_and_scheme(request.GET.get("next"), allowed_hosts=None):
        return redirect(request.GET.get("back"))
    return redirect("/")
""",
        DJANGO
        + """
def back(request):
    if "next" in request.GET and url_has_allowed_host_and_scheme(
        request.GET.get("next"), allowed_hosts=None
    ):
        return redirect(request.GET.get("next"))
    return redirect("/")
""",
    ),
    "guard in a conditional expression or kept in a variable": (
        "BE021",
        DJANGO
        + """
def set_locale(request):
    url = request.GET.get("next", "/")
    url = url if url.startswith("/") else "/"
    return HttpResponseRedirect(url)
""",
        DJANGO
        + """
def set_locale(request):
    url = request.GET.get("next", request.headers.get("Referer", "/"))
    url = url if url_has_allowed_host_and_scheme(url, allowed_hosts=[request.get_host()]) else "/"
    return HttpResponseRedirect(url)

def after_login(request):
    redirect_to = request.POST.get("next", "")
    url_is_safe = url_has_allowed_host_and_scheme(url=redirect_to, allowed_hosts=None)
    return HttpResponseRedirect(redirect_to if url_is_safe else "/")
""",
    ),
    "project guard named like a redirect check": (
        "BE021",
        FLASK
        + """
def log_url(url):
    return bool(url)

@app.route("/go")
def go():
    target = request.args.get("url")
    if log_url(target):
        return redirect(target)
    return redirect("/")
""",
        FLASK
        + """
from app.utils import is_safe_redirect_url

@app.route("/go")
def go():
    target = request.args.get("url")
    if is_safe_redirect_url(target):
        return redirect(target)
    return redirect("/")
""",
    ),
    "helper with a request parameter is not a view": (
        "BE018",
        """
import os
from django.http import FileResponse

def download(request, filename):
    audit.download(request.user, filename)  # a method of that name does not make a helper
    return FileResponse(open(os.path.join("/srv/media", filename), "rb"))
""",
        """
import os
from django.http import FileResponse
from django.utils._os import safe_join

def stream_file(request, full_path):
    return FileResponse(open(full_path, "rb"))

def serve(request, path):
    full_path = safe_join("/srv/media", path)
    return stream_file(request, full_path)

class ImportView:
    def get_process_url(self, request, cf, charset):
        return open(cf.path + charset)
""",
    ),
    "Path(x).name is a basename; Path() itself touches nothing": (
        "BE018",
        FLASK
        + """
@app.route("/notes/<name>")
def note(name):
    return pathlib.Path("/srv/notes", name).read_text()
""",
        FLASK
        + """
@app.route("/artifact")
def artifact():
    artifact_name = request.args["path"]
    response = send_file("/srv/artifacts/current.bin")
    response.headers["Content-Disposition"] = pathlib.Path(artifact_name).name
    target = pathlib.Path("/srv/uploads") / pathlib.Path(artifact_name).name
    return response if target else response
""",
    ),
    "bytes pickled by the same code": (
        "BE013",
        """
import pickle
from flask import request

def restore():
    return pickle.loads(request.get_data())
""",
        """
import pickle
import cloudpickle

def test_page_pickles(page):
    pickled = pickle.dumps(page)
    assert pickle.loads(pickled).title == page.title

class Wrapped:
    def __init__(self, fn):
        self._ctx_bytes = cloudpickle.dumps(fn)

    def __call__(self):
        return cloudpickle.loads(self._ctx_bytes)
""",
    ),
    "payload every caller in the module pickled": (
        "BE013",
        """
from functools import partial
import cloudpickle

def wrapped_call(fn, *args):
    payload = cloudpickle.dumps((fn, args))
    return partial(_run_serialized_call, payload)

def _run_serialized_call(payload):
    fn, args = cloudpickle.loads(payload)
    return cloudpickle.dumps(fn(*args))

def replay(message):
    return _run_serialized_call(message.body)
""",
        """
from functools import partial
import cloudpickle

def wrapped_call(fn, *args):
    payload = cloudpickle.dumps((fn, args))
    return partial(_run_serialized_call, payload)

def _run_serialized_call(payload: bytes) -> bytes:
    fn, args = cloudpickle.loads(payload)
    return cloudpickle.dumps(fn(*args))
""",
    ),
    "tensor file in a temp dir this function made": (
        "BE013",
        """
import os
import tempfile
import torch
from django.conf import settings

def infer_signature(trainer, name):
    with tempfile.TemporaryDirectory() as tempdir:
        trainer.fit(log_dir=tempdir)
        tensors = os.path.join(settings.MEDIA_ROOT, name)
        inputs, outputs = torch.load(tensors)
    return inputs, outputs
""",
        """
import os
import tempfile
from pathlib import Path
import torch

def infer_signature(trainer):
    with tempfile.TemporaryDirectory() as tempdir:
        trainer.fit(log_dir=tempdir)
        tensors = os.path.join(tempdir, "input_output.pt")
        if os.path.exists(tensors):
            inputs, outputs = torch.load(tensors)
    scratch = tempfile.mkdtemp()
    return torch.load(Path(scratch) / "state.pt")
""",
    ),
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_flagged_case_is_reported(name: str) -> None:
    code, flagged, _ = PAIRS[name]
    assert run(code, flagged, path="app/views.py"), name


@pytest.mark.parametrize("name", list(PAIRS))
def test_safe_look_alike_is_quiet(name: str) -> None:
    code, _, safe = PAIRS[name]
    assert run(code, safe, path="app/views.py") == [], name


def test_starlette_file_response_takes_a_path() -> None:
    source = """
from fastapi import FastAPI
from fastapi.responses import FileResponse
app = FastAPI()

@app.get("/static/{name}")
def static(name: str):
    return FileResponse("/srv/static/" + name)
"""
    assert run("BE018", source)
