"""A helper whose every return of request data is guarded by a host check hands its caller
a clean redirect target (issue 10, false-positive class "guard inside a local helper")."""

from __future__ import annotations

from pathlib import Path

from tests.analysis.rule_helpers import run
from tests.analysis.taint.test_taint_xmodule import findings, project

DJANGO = """
from django.conf import settings
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
"""

SAFE_REFERRER = """
def safe_referrer(request, default):
    referrer = request.META.get("HTTP_REFERER")
    if referrer and url_has_allowed_host_and_scheme(referrer, allowed_hosts={request.get_host()}):
        return referrer
    return resolve_url(default) if default else "/"
"""


def test_a_referrer_helper_guarding_its_only_request_return_is_quiet() -> None:
    source = (
        DJANGO
        + SAFE_REFERRER
        + """
def basket_add(request):
    return redirect(safe_referrer(request, "basket:summary"))
"""
    )
    assert run("BE021", source, path="basket/views.py") == []


def test_a_helper_that_returns_early_when_the_host_check_fails_is_quiet() -> None:
    source = (
        DJANGO
        + """
def next_url(request):
    url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=settings.ALLOWED_HOSTS):
        return settings.LOGIN_REDIRECT_URL
    return url

def choose_url(request):
    url = request.GET.get("next")
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else "/"

def login_done(request):
    return redirect(next_url(request))

def pick(request):
    return redirect(choose_url(request))
"""
    )
    assert run("BE021", source, path="accounts/views.py") == []


def test_an_imported_guarded_helper_is_quiet(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/utils.py": DJANGO + SAFE_REFERRER,
            "shop/views.py": "from django.shortcuts import redirect\n\n"
            "from shop.utils import safe_referrer\n\n\n"
            "def wishlist_add(request, key):\n"
            "    return redirect(safe_referrer(request, 'wishlist:list'))\n",
        },
    )
    assert findings(root, "shop/views.py", "BE021") == []


# Flagged: one return path, or another value, escapes the guard ----------------------------


def test_a_helper_with_an_unguarded_return_path_is_flagged() -> None:
    source = (
        DJANGO
        + """
def back_url(request):
    referrer = request.META.get("HTTP_REFERER")
    if url_has_allowed_host_and_scheme(referrer, allowed_hosts=None):
        return referrer
    if request.GET.get("back"):
        return request.GET["back"]
    return "/"

def cancel(request):
    return redirect(back_url(request))
"""
    )
    assert len(run("BE021", source, path="orders/views.py")) == 1


def test_a_helper_guarding_one_value_and_returning_another_is_flagged() -> None:
    source = (
        DJANGO
        + """
def target(request):
    candidate = request.GET.get("next")
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts=None):
        return request.GET.get("back")
    return "/"

def go(request):
    return redirect(target(request))
"""
    )
    assert len(run("BE021", source, path="orders/views.py")) == 1


def test_request_data_given_as_the_helpers_default_is_flagged() -> None:
    source = (
        DJANGO
        + """
def safe_or_default(request, default):
    referrer = request.META.get("HTTP_REFERER")
    if referrer and url_has_allowed_host_and_scheme(referrer, allowed_hosts=None):
        return referrer
    return default

def done(request):
    return redirect(safe_or_default(request, request.GET["fallback"]))
"""
    )
    assert len(run("BE021", source, path="orders/views.py")) == 1
