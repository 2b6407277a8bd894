"""BE005: a site's own configuration tables (roles, ranks, plugins, languages...) and rows
kept in a hand-set order (``order_by("position")``) are listed whole by design: a permission
matrix needs every role, a forum's tabs are the ranks an admin flagged. Tables that grow with
the site's users (posts, orders, users) stay findings, however they are sorted."""

from __future__ import annotations

from perf_helpers import flagged, run

DJANGO_VIEWS = """
from django.shortcuts import render

from forum.models import Post, Rank, Role, Thread


def permissions(request):
    forms = [RoleForm(role=role) for role in Role.objects.order_by("name")]
    return render(request, "admin/permissions.html", {"forms": forms})


def member_tabs(request):
    tabs = [rank for rank in Rank.objects.filter(is_tab=True).order_by("order")]
    return render(request, "members.html", {"tabs": tabs})


def pinned(request):
    threads = list(Thread.objects.filter(pinned=True).order_by("-position"))
    return render(request, "pinned.html", {"threads": threads})


def posts(request):
    rows = list(Post.objects.filter(hidden=False).order_by("-created"))
    return render(request, "posts.html", {"posts": rows})
"""


def test_django_configuration_and_hand_ordered_rows_are_not_findings() -> None:
    found = run("BE005", DJANGO_VIEWS, path="forum/views.py")
    assert [flagged(f, DJANGO_VIEWS) for f in found] == [
        'Post.objects.filter(hidden=False).order_by("-created")'
    ]


FLASK_VIEWS = """
from flask import Blueprint, render_template
from sqlalchemy import desc

from .models import Category, Language, PluginRegistry, Slide, Topic

admin = Blueprint("admin", __name__)


@admin.route("/plugins")
def plugins():
    return render_template("plugins.html", plugins=PluginRegistry.query.all())


@admin.route("/forums")
def forums():
    categories = Category.query.order_by(Category.position.asc()).all()
    return render_template("forums.html", categories=categories)


@admin.route("/languages")
def languages():
    return render_template("languages.html", languages=Language.query.all())


@admin.route("/slides")
def slides():
    return render_template("slides.html", slides=Slide.query.order_by(desc(Slide.sort_order)).all())


@admin.route("/topics")
def topics():
    return render_template("topics.html", topics=Topic.query.order_by(Topic.title.asc()).all())
"""


def test_sqlalchemy_configuration_and_hand_ordered_rows_are_not_findings() -> None:
    found = run("BE005", FLASK_VIEWS, path="forum/management/views.py")
    assert [flagged(f, FLASK_VIEWS) for f in found] == [
        "Topic.query.order_by(Topic.title.asc()).all()"
    ]
