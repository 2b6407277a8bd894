"""BE021: a redirect back to the path the router matched for this request stays on the site.

``request.path`` reached the view only by matching one of the app's routes, so it is a
path on this host (Werkzeug's ``path`` converter never starts with ``/``, Django's resolver
matches a route's literal prefix, both quote ``\\`` in ``Location``). It is still request
data for every other category (a reflected path is XSS), and anything else the target
is built from keeps its own taint.
"""

from __future__ import annotations

from tests.analysis.rule_helpers import flagged, run

DJANGO_VIEWS = """
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.generic import View


class LocationListView(View):
    def get(self, request):
        if request.GET:
            return render(request, "dcim/location_list.html", {})
        query = request.GET.copy()
        query["max_depth"] = 2
        return redirect(request.path + "?" + query.urlencode())


class ContactAssociationView(View):
    def post(self, request):
        messages.success(request, "Saved")
        if "_addanother" in request.POST:
            url = f"{request.path}?contact={request.POST.get('contact', '')}"
            return redirect(url)
        return HttpResponseRedirect(request.path)
"""

FLASK_APP = """
from flask import Flask, flash, redirect, request

app = Flask(__name__)


@app.route("/settings/<path:section>", methods=["POST"])
def save_settings(section):
    flash("Settings saved")
    return redirect(request.full_path)
"""


def test_redirect_to_the_current_request_path_is_not_an_open_redirect() -> None:
    assert run("BE021", DJANGO_VIEWS, path="dcim/views.py") == []
    assert run("BE021", FLASK_APP, path="app/views.py") == []


def test_a_target_the_request_chooses_stays_flagged_next_to_the_path() -> None:
    source = """
from django.shortcuts import redirect


def set_language(request):
    target = request.GET.get("next", request.path)
    return redirect(target)


def back(request):
    return redirect(request.POST["return_url"] + request.path)
"""
    findings = run("BE021", source, path="core/views.py")
    assert [flagged(f, source) for f in findings] == [
        "target",
        'request.POST["return_url"] + request.path',
    ]


def test_the_request_path_is_still_request_data_for_other_rules() -> None:
    source = """
from django.http import HttpResponse


def not_found(request):
    return HttpResponse("<h1>No page at " + request.path + "</h1>")
"""
    assert run("BE020", source, path="core/views.py")
