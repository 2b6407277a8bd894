"""BE025 (branch i10-sinks): session-like cookie names written together or inflected, and
values built with an f-string (not a literal flag)."""

from __future__ import annotations

import pytest
from rule_helpers import run

TP = [
    """\
from django.http import HttpResponse
from django.views import View

class ImpersonateView(View):
    def post(self, request, user_id):
        resp = HttpResponse("ok")
        resp.set_cookie("impersonation_session", f"{request.user.pk}:{user_id}", secure=False)
        return resp
""",
    """\
from flask import Flask, make_response

app = Flask(__name__)

@app.post("/login")
def login():
    resp = make_response("ok")
    resp.set_cookie("appsessionid", new_session_id())
    return resp
""",
    """\
from fastapi import FastAPI, Response

app = FastAPI()

@app.post("/login")
def login(response: Response, remember: bool = False):
    if remember:
        response.set_cookie("rememberme", issue_long_lived(), httponly=True)
    return {"ok": True}
""",
    """\
from flask import Flask, make_response

app = Flask(__name__)

@app.post("/api/login")
def api_login():
    resp = make_response({"ok": True})
    resp.set_cookie("authtoken", issue(), secure=True)
    return resp
""",
]
SAFE = [
    """\
from flask import Flask, make_response

app = Flask(__name__)

@app.get("/post/<slug>")
def post(slug):
    resp = make_response("ok")
    resp.set_cookie("author_filter", slug)
    return resp
""",
    """\
from django.http import HttpResponse

def set_theme(request):
    resp = HttpResponse("ok")
    resp.set_cookie("theme", f"{request.GET['theme']}")
    return resp
""",
    """\
from django.http import HttpResponse

def login_done(request):
    resp = HttpResponse("ok")
    resp.set_cookie(
        "impersonation_session", f"{request.user.pk}", secure=True, httponly=True
    )
    return resp
""",
    """\
from flask import Flask, make_response

app = Flask(__name__)

@app.post("/logout")
def logout():
    resp = make_response("bye")
    resp.set_cookie("appsessionid", "", expires=0)
    return resp
""",
]


@pytest.mark.parametrize("source", TP)
def test_session_like_cookie_without_flags_is_reported(source: str) -> None:
    assert [f.code for f in run("BE025", source, path="app/views.py")] == ["BE025"]


@pytest.mark.parametrize("source", SAFE)
def test_preference_flagged_or_deleted_cookies_are_not_reported(source: str) -> None:
    assert [f.code for f in run("BE025", source, path="app/views.py")] == []
