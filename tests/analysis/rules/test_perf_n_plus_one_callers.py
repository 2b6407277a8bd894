"""BE004: a helper iterating the rows its parameter names (``Iterable[PageContent]``) and
touching a relation is an N+1 unless every caller in the file loads that relation on the
rows it passes. One caller that does not keeps the finding."""

from __future__ import annotations

from perf_helpers import flagged, run

HELPER = """
from collections.abc import Iterable

from django.db import models


class Page(models.Model):
    path = models.CharField(max_length=255)


class PageContent(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE)
    language = models.CharField(max_length=15)


def visible_ids(contents: Iterable[PageContent]) -> set[int]:
    return {content.page.pk for content in contents}
"""


def test_every_caller_selects_the_relation() -> None:
    source = (
        HELPER
        + """

def menu(site, languages):
    qs = PageContent.objects.filter(language__in=languages)
    contents = qs.filter(page__site=site).select_related("page").order_by("page__path")
    return visible_ids(contents)


def sitemap(site):
    return visible_ids(contents=PageContent.objects.select_related("page", "owner"))
"""
    )
    assert run("BE004", source) == []


def test_one_caller_without_it_keeps_the_finding() -> None:
    source = (
        HELPER
        + """

def menu(site):
    return visible_ids(PageContent.objects.filter(page__site=site).select_related("page"))


def feed(site):
    return visible_ids(PageContent.objects.filter(page__site=site))
"""
    )
    assert [flagged(f, source) for f in run("BE004", source)] == ["content.page"]
