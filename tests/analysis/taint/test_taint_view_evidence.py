"""A function with ``request`` first is a view only on evidence; a helper's parameters
come from its caller (issue 10, false-positive class "helper taken for a view")."""

from __future__ import annotations

from pathlib import Path

from tests.analysis.rule_helpers import run
from tests.analysis.taint.test_taint_xmodule import findings, line_of, project

DOWNLOADS = """import os

from django.conf import settings
from django.http import FileResponse


def fetch(request, name):
    return FileResponse(open(os.path.join(settings.MEDIA_ROOT, name), "rb"))
"""

SENDFILE = """import os

from django.http import FileResponse, Http404


def sendfile(request, filename, attachment=False, attachment_filename=None):
    if not os.path.exists(filename):
        raise Http404("file not found")
    response = FileResponse(open(filename, "rb"))
    if attachment:
        response["Content-Disposition"] = f"attachment; filename={attachment_filename}"
    return response
"""

SHOP_VIEWS = """from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils._os import safe_join

from shop.utils.sendfile import sendfile


def document(request, path):
    return sendfile(request, safe_join("/srv/documents", path))


def raw_document(request, path):
    return sendfile(request, "/srv/documents/" + path)


def build_response(request, full_path):
    return FileResponse(open(full_path, "rb"))
"""

SHOP_URLS = """from django.urls import path, re_path

from shop import downloads, views

urlpatterns = [
    path("documents/<path:path>", views.document, name="document"),
    re_path(r"^raw/(?P<path>.+)$", views.raw_document),
    path("media/<path:name>", view=downloads.fetch),
]
"""


def shop(tmp_path: Path) -> Path:
    return project(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/utils/__init__.py": "",
            "shop/utils/sendfile.py": SENDFILE,
            "shop/views.py": SHOP_VIEWS,
            "shop/downloads.py": DOWNLOADS,
            "shop/urls.py": SHOP_URLS,
        },
    )


# Views keep their URL kwargs as request data ------------------------------------------------


def test_a_function_routed_from_urls_py_is_a_view_wherever_it_lives(tmp_path: Path) -> None:
    root = shop(tmp_path)
    [finding] = findings(root, "shop/downloads.py", "BE018")
    assert "route parameter name" in finding.message


def test_a_routed_view_passing_its_kwarg_raw_to_a_helper_is_flagged_at_the_call(
    tmp_path: Path,
) -> None:
    root = shop(tmp_path)
    [finding] = findings(root, "shop/views.py", "BE018")
    assert 'sendfile(request, "/srv/documents/" + path)' in line_of(root, "shop/views.py", finding)


def test_view_decorators_make_a_view_without_a_route() -> None:
    source = """
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

@login_required
def report(request, report_id):
    return open("/srv/reports/" + report_id).read()

@require_POST
def leave(request, next_url):
    return redirect(next_url)
"""
    assert len(run("BE018", source, path="reports/handlers.py")) == 1
    assert len(run("BE021", source, path="reports/handlers.py")) == 1


def test_a_views_module_is_a_view_when_no_route_is_known() -> None:
    source = """
from django.http import HttpResponse

def preview(request, slug):
    return HttpResponse(open("/srv/previews/" + slug).read(), content_type="text/plain")
"""
    assert len(run("BE018", source, path="blog/views.py")) == 1
    assert len(run("BE018", source, path="blog/views/preview.py")) == 1


def test_class_based_view_methods_stay_views() -> None:
    source = """
from django.views import View
from django.http import FileResponse

class ExportView(View):
    def get(self, request, filename):
        return FileResponse(open("/srv/exports/" + filename, "rb"))
"""
    assert len(run("BE018", source, path="exports/api.py")) == 1


def test_the_request_object_stays_a_source_inside_a_helper() -> None:
    source = """
from django.shortcuts import redirect

def finish_login(request, user):
    return redirect(request.GET["next"])
"""
    assert len(run("BE021", source, path="accounts/functions/login.py")) == 1


# Helpers: the caller says where their arguments come from -------------------------------


def test_a_helper_with_request_first_outside_a_views_module_is_quiet() -> None:
    source = """
from django.contrib.auth import login
from django.shortcuts import redirect

def save_user(request, next_page, user_form):
    user = user_form.save()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if "organization_pk" in request.session:
        request.session.pop("organization_pk")
    redirect_url = next_page if next_page else "/projects/"
    return redirect(redirect_url)
"""
    assert run("BE021", source, path="users/functions/common.py") == []


def test_a_storage_backend_sendfile_is_not_a_view(tmp_path: Path) -> None:
    root = shop(tmp_path)
    assert findings(root, "shop/utils/sendfile.py", "BE018") == []


def test_an_unrouted_helper_in_views_py_is_quiet_when_the_workspace_has_routes(
    tmp_path: Path,
) -> None:
    root = shop(tmp_path)
    found = findings(root, "shop/views.py", "BE018")
    assert [line_of(root, "shop/views.py", f).strip() for f in found] == [
        'return sendfile(request, "/srv/documents/" + path)'
    ]


def test_a_referrer_helper_taking_a_default_is_not_a_view() -> None:
    source = """
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

def safe_referrer(request, default):
    referrer = request.META.get("HTTP_REFERER")
    if referrer and url_has_allowed_host_and_scheme(referrer, request.get_host()):
        return referrer
    if default:
        return resolve_url(default)
    return default

def redirect_to_referrer(request, default):
    return redirect(safe_referrer(request, default))
"""
    assert run("BE021", source, path="core/utils.py") == []
