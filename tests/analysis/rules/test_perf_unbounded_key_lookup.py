"""BE005: a filter on a primary key (``id``/``pk``/``uuid``) or on the username of Django's
``User`` matches at most one row, however the view returns it (a list comprehension for a
service API, a queryset handed to a template). Filters on ordinary fields (an email is not
unique in Django's ``User``) stay findings."""

from __future__ import annotations

from perf_helpers import flagged, run

VIEWS = """
from django.contrib.auth.models import User
from django.http import JsonResponse
from django.shortcuts import render

from maps.models import Dataset


def dataset_capabilities(request):
    layers = Dataset.objects.filter(id=request.GET["layer"])
    return render(request, "capabilities.xml", {"layers": layers})


def user_service(request):
    name = request.GET["user"]
    users = [user for user in User.objects.filter(username=name)]
    return JsonResponse({"users": [{"name": u.username, "staff": u.is_staff} for u in users]})


def by_uuid(request, token):
    layers = Dataset.objects.filter(uuid=token).select_related("owner")
    return render(request, "layer.html", {"layers": layers})


def by_title(request):
    layers = Dataset.objects.filter(title=request.GET["title"])
    return render(request, "layers.html", {"layers": layers})


def same_email(request):
    users = [user for user in User.objects.filter(email=request.GET["email"])]
    return JsonResponse({"users": [u.username for u in users]})
"""


def test_key_lookups_are_one_row_and_other_filters_stay_findings() -> None:
    found = run("BE005", VIEWS, path="maps/views.py")
    assert [flagged(f, VIEWS) for f in found] == [
        'Dataset.objects.filter(title=request.GET["title"])',
        'User.objects.filter(email=request.GET["email"])',
    ]
