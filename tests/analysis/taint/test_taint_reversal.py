"""URL reversal settles a redirect's host: request data that only fills a named route's
path segments is not an open redirect, also through project helpers that wrap reverse
(issue 10, false-positive class "redirect to a reversed URL")."""

from __future__ import annotations

from pathlib import Path

from tests.analysis.rule_helpers import run
from tests.analysis.taint.test_taint_xmodule import findings, line_of, project

DJANGO = """
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
"""

URLREVERSE = """from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.urls import reverse

from shop.models import KnownDomain


def get_shop_domain(shop):
    domain = KnownDomain.objects.filter(shop=shop).values_list("domainname", flat=True).first()
    return domain


def shopreverse(obj, name, kwargs=None):
    cached = obj.cache.get("urlrev_{}".format(name)) if not kwargs else None
    if cached:
        return cached
    kwargs = kwargs or {}
    kwargs["shop"] = obj.slug
    domain = get_shop_domain(obj)
    if domain:
        path = reverse(name, kwargs=kwargs, urlconf="shop.urls_domain")
        scheme = urlsplit(settings.SITE_URL).scheme
        return urljoin("%s://%s" % (scheme, domain), path)
    return reverse(name, kwargs=kwargs)


def absolute(base, name, kwargs=None):
    return urljoin(base, reverse(name, kwargs=kwargs))
"""

CHECKOUT = """from django.shortcuts import redirect

from shop.multidomain.urlreverse import absolute, shopreverse


def confirm(request, *args, **kwargs):
    urlkwargs = {"step": "payment"}
    if "cart_namespace" in kwargs:
        urlkwargs["cart_namespace"] = kwargs["cart_namespace"]
    return redirect(shopreverse(request.shop, "presale:checkout", kwargs=urlkwargs))


def bounce(request, step):
    return redirect(absolute(request.GET["base"], "presale:checkout", {"step": step}))
"""


def shop(tmp_path: Path) -> Path:
    return project(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/multidomain/__init__.py": "",
            "shop/multidomain/urlreverse.py": URLREVERSE,
            "shop/views.py": CHECKOUT,
        },
    )


# Quiet: the request value only fills a route -------------------------------------------


def test_django_reverse_with_request_kwargs_is_not_an_open_redirect() -> None:
    source = (
        DJANGO
        + """
def order_detail(request):
    code = request.GET["code"]
    return redirect(reverse("presale:order", kwargs={"code": code, "secret": request.GET["s"]}))

def lazy(request, slug):
    return redirect(reverse_lazy("blog:post", args=[slug]))
"""
    )
    assert run("BE021", source, path="presale/views.py") == []


def test_a_same_file_helper_wrapping_reverse_on_a_configured_domain_is_quiet() -> None:
    helper = URLREVERSE.replace("from shop.models import KnownDomain\n", "")
    source = (
        helper
        + """
from django.shortcuts import redirect

def confirm(request, organizer, event):
    return redirect(shopreverse(request.shop, "presale:event.index", kwargs={"event": event}))
"""
    )
    assert run("BE021", source, path="presale/views.py") == []


def test_an_imported_helper_wrapping_reverse_keeps_the_redirect_clean(tmp_path: Path) -> None:
    root = shop(tmp_path)
    found = findings(root, "shop/views.py", "BE021")
    assert "confirm" not in " ".join(line_of(root, "shop/views.py", f) for f in found)
    assert all("shopreverse" not in line_of(root, "shop/views.py", f) for f in found)


def test_starlette_url_for_and_url_path_for_settle_the_redirect_host() -> None:
    source = """
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
app = FastAPI()

@app.get("/items/{item_id}/old")
def old_item(request: Request, item_id: str):
    return RedirectResponse(request.url_for("read_item", item_id=item_id))

@app.get("/go/{slug}")
def go(slug: str):
    return RedirectResponse(app.url_path_for("page", slug=slug), status_code=301)
"""
    assert run("BE021", source) == []


# Flagged: the request still picks where the redirect goes ------------------------------


def test_request_value_or_a_reversed_default_is_flagged() -> None:
    source = (
        DJANGO
        + """
def after_login(request):
    return redirect(request.GET.get("next") or reverse("home"))
"""
    )
    assert len(run("BE021", source, path="accounts/views.py")) == 1


def test_a_request_prefix_before_the_reversed_path_is_flagged() -> None:
    source = (
        DJANGO
        + """
def switch_host(request):
    return redirect(request.GET["host"] + reverse("presale:index"))

def joined(request):
    return redirect(urljoin(request.META["HTTP_X_ORIGIN"], reverse("presale:index")))
"""
    )
    assert len(run("BE021", source, path="presale/views.py")) == 2


def test_a_text_appended_after_a_reversed_path_is_flagged() -> None:
    # reverse("home") may be "/": "/" + "/evil.example" is a protocol-relative URL.
    source = (
        DJANGO
        + """
def home_tail(request):
    return redirect(reverse("home") + request.GET["rest"])
"""
    )
    assert len(run("BE021", source, path="presale/views.py")) == 1


def test_a_helper_whose_base_comes_from_the_request_is_flagged(tmp_path: Path) -> None:
    root = shop(tmp_path)
    [finding] = findings(root, "shop/views.py", "BE021")
    assert "absolute(request.GET" in line_of(root, "shop/views.py", finding)


def test_starlette_reversal_settles_only_the_redirect_not_the_markup() -> None:
    source = """
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
app = FastAPI()

@app.get("/share/{name}")
def share(request: Request, name: str):
    link = request.url_for("profile", name=name)
    return HTMLResponse(f"<a href='{link}'>profile</a>")
"""
    assert len(run("BE020", source)) == 1
