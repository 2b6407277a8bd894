"""BE004 classes seen on held-out real apps: rows of a related manager reached through
``self`` are rows of the model the schema says it leads to; a per-row fallback after the
bulk statement over the same items failed. Each beside the N+1 of the same look."""

from __future__ import annotations

import textwrap
from pathlib import Path

from perf_helpers import flagged, run

from backend_lsp.analysis.schema_discovery import discover_schema

PREFIX_MODELS = """
import netaddr
from django.core.exceptions import ValidationError
from django.db import models


class Site(models.Model):
    name = models.CharField(max_length=100)


class Prefix(models.Model):
    network = models.CharField(max_length=50)
    depth = models.PositiveSmallIntegerField(default=0)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.SET_NULL
    )
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL)

    @property
    def cidr(self):
        return netaddr.IPNetwork(self.network)

    def reparent_children(self):
        moved = []
        for child in self.children.filter(depth__gt=self.depth + 1):
            if child.cidr not in self.cidr:
                child.parent = self.parent
                moved.append(child)
        Prefix.objects.bulk_update(moved, ["parent"])

    def child_site_names(self):
        return [child.site.name for child in self.children.all()]


class PrefixAssignment(models.Model):
    cidr = models.ForeignKey(Prefix, related_name="assignments", on_delete=models.CASCADE)
    site = models.ForeignKey(Site, on_delete=models.CASCADE)


class IPRange(models.Model):
    start = models.CharField(max_length=50)
    end = models.CharField(max_length=50)
    parent = models.ForeignKey(Prefix, related_name="ranges", on_delete=models.CASCADE)

    def clean(self):
        covered = netaddr.IPSet(netaddr.IPRange(self.start, self.end))
        for child in self.parent.children.all():
            if covered & netaddr.IPSet([child.cidr]):
                raise ValidationError("The range overlaps a child prefix")
            if child.site.name == "retired":
                raise ValidationError("A child prefix sits in a retired site")
"""


def test_rows_of_a_related_manager_on_self_are_rows_of_its_target_model(
    tmp_path: Path,
) -> None:
    models = tmp_path / "ipam" / "models.py"
    models.parent.mkdir()
    models.write_text(textwrap.dedent(PREFIX_MODELS), encoding="utf-8")
    known = discover_schema([models])
    findings = run("BE004", PREFIX_MODELS, "ipam/models.py", known)
    # ``cidr`` is a property of Prefix (a relation only of PrefixAssignment); ``site`` is
    # Prefix's foreign key: one query per child
    assert [flagged(f, PREFIX_MODELS) for f in findings] == ["child.site", "child.site"]


PURGE = """
import logging

from django.db import IntegrityError, connection
from django.db.models import ProtectedError

log = logging.getLogger(__name__)


def purge_tasks(candidates, limit=1000):
    failed = []
    while True:
        pk_list = list(candidates.exclude(pk__in=failed).values_list("pk", flat=True)[:limit])
        if not pk_list:
            return failed
        try:
            Task.objects.filter(pk__in=pk_list).delete()
        except ProtectedError:
            # one protected row fails the batch: delete the rest one by one
            for pk in pk_list:
                try:
                    Task.objects.get(pk=pk).delete()
                except ProtectedError as error:
                    failed.append(pk)
                    log.debug(error)


def store_readings(rows):
    try:
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO reading (sensor, value) VALUES (%s, %s)", rows)
    except IntegrityError:
        for sensor, value in rows:
            Reading.objects.filter(sensor=sensor).update(value=value)
"""


def test_a_per_row_fallback_after_the_bulk_statement_failed_is_deliberate() -> None:
    assert run("BE004", PURGE, "core/tasks/purge.py") == []


def test_per_row_queries_without_a_failed_bulk_statement_stay_findings() -> None:
    source = """
from django.db.models import ProtectedError


def purge_tasks(pk_list):
    for pk in pk_list:
        Task.objects.get(pk=pk).delete()


def purge_with_cleanup(pk_list, orphans):
    try:
        Task.objects.filter(pk__in=pk_list).delete()
    except ProtectedError:
        for pk in orphans:  # not the items of the statement that failed
            Artifact.objects.get(pk=pk).delete()
    try:
        Task.objects.filter(pk__in=pk_list).delete()
        for pk in pk_list:  # in the try itself: runs on success too
            Task.objects.get(pk=pk).touch()
    except ProtectedError:
        pass
"""
    assert [flagged(f, source) for f in run("BE004", source, "core/tasks/purge.py")] == [
        "Task.objects.get(pk=pk).delete()",
        "Artifact.objects.get(pk=pk).delete()",
        "Task.objects.get(pk=pk)",
    ]
