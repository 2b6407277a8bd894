"""BE004 on real-code shapes: hand-written upserts, loops that only report errors, loops
that copy each row; each next to the N+1 of the same look that stays a finding."""

from __future__ import annotations

from perf_helpers import flagged, run


def _flagged(source: str, path: str = "shop/services.py") -> list[str]:
    return [flagged(f, source) for f in run("BE004", source, path)]


MODELS = """
from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class ContentType(models.Model):
    name = models.CharField(max_length=80)


class Workflow(models.Model):
    name = models.CharField(max_length=80)
    active = models.BooleanField(default=True)


class WorkflowContentType(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    workflow = models.ForeignKey(Workflow, related_name="assignments", on_delete=models.CASCADE)
"""


def test_a_lookup_that_only_decides_insert_or_update_is_an_upsert() -> None:
    # SQLAlchemy: the get_or_create of a payload item, written out by hand.
    source = """
from sqlalchemy.orm import Session


class PermissionStore:
    def grant(self, session: Session, role, grants):
        for resource, permission in grants:
            existing = (
                session.query(RolePermission)
                .filter(RolePermission.role_id == role.id, RolePermission.resource == resource)
                .first()
            )
            if existing is None:
                session.add(RolePermission(role_id=role.id, resource=resource, level=permission))
            else:
                existing.permission = permission

    def tag_all(self, session: Session, run, tags):
        for key, value in tags.items():
            tag = session.query(Tag).filter(Tag.run_id == run.id, Tag.key == key).one_or_none()
            if not tag:
                session.add(Tag(run_id=run.id, key=key, value=value))
"""
    assert _flagged(source) == []


def test_an_upsert_over_every_row_of_a_query_and_a_plain_lookup_stay_findings() -> None:
    source = """
from sqlalchemy.orm import Session


def sync_all(session: Session):
    for user in session.query(User).all():
        profile = session.query(Profile).filter(Profile.user_id == user.id).first()
        if profile is None:
            session.add(Profile(user_id=user.id))


def tags_by_name(session: Session, names):
    found = []
    for name in names:
        tag = session.query(Tag).filter(Tag.name == name).first()
        found.append(tag)
    return found
"""
    assert _flagged(source) == [
        "session.query(Profile).filter(Profile.user_id == user.id).first()",
        "session.query(Tag).filter(Tag.name == name).first()",
    ]


def test_a_loop_that_only_adds_form_errors_runs_on_invalid_input() -> None:
    source = (
        MODELS
        + """

class WorkflowContentTypeForm(forms.Form):
    def clean(self):
        content_types = self.cleaned_data.get("content_types")
        conflicts = WorkflowContentType.objects.filter(
            content_type__in=content_types, workflow__active=True
        )
        for assignment in conflicts:
            self.add_error(
                "content_types",
                ValidationError(
                    "%(type)s already has workflow %(name)s."
                    % {"type": assignment.content_type.name, "name": assignment.workflow.name}
                ),
            )


def check_names(assignments):
    errors = []
    for assignment in WorkflowContentType.objects.filter(workflow__active=False):
        errors.append(ValidationError(assignment.content_type.name))
    return errors
"""
    )
    assert _flagged(source) == []


def test_a_loop_that_builds_data_beside_its_errors_stays_a_finding() -> None:
    source = (
        MODELS
        + """

def summary():
    rows, errors = [], []
    for assignment in WorkflowContentType.objects.filter(workflow__active=True):
        rows.append({"type": assignment.content_type.name})
        if not assignment.workflow_id:
            errors.append(ValidationError("no workflow"))
    return rows, errors


class ReportForm(forms.Form):
    def clean(self):
        for assignment in WorkflowContentType.objects.all():
            if assignment.content_type.name == self.cleaned_data["name"]:
                self.add_error("name", "taken")
"""
    )
    assert _flagged(source) == ["assignment.content_type", "assignment.content_type"]


COPY_MODELS = """
from django.contrib.auth.models import Group
from django.db import models


class Page(models.Model):
    title = models.CharField(max_length=255)


class PageViewRestriction(models.Model):
    page = models.ForeignKey(Page, related_name="view_restrictions", on_delete=models.CASCADE)
    password = models.CharField(max_length=255)
    groups = models.ManyToManyField(Group)
"""


def test_a_loop_that_builds_a_copy_of_each_row_is_an_object_graph_copy() -> None:
    source = (
        COPY_MODELS
        + """

class CreatePageAliasAction:
    def execute(self, page, alias):
        for restriction in page.view_restrictions.all():
            restriction_copy = PageViewRestriction(page=alias, password=restriction.password)
            restriction_copy.save()
            restriction_copy.groups.set(restriction.groups.all())
        return alias


def restriction_payloads(page, base):
    payloads = []
    for restriction in page.view_restrictions.all():
        payload_copy = dict(base)
        payload_copy["groups"] = [g.name for g in restriction.groups.all()]
        payloads.append(payload_copy)
    return payloads


def restriction_summary(page):
    return [
        (restriction.password, list(restriction.groups.all()))
        for restriction in page.view_restrictions.all()
    ]
"""
    )
    assert _flagged(source) == ["restriction.groups", "restriction.groups"]


def test_content_type_for_each_row_is_served_by_the_manager_cache() -> None:
    """``ContentType.objects.get_for_model(obj)`` per row is answered from the
    ContentType manager's per-process cache; the plain ``get`` per name is a query each."""
    source = """
from django.contrib.contenttypes.models import ContentType


def describe(items, owner_names):
    types = []
    for obj in items:
        types.append(ContentType.objects.get_for_model(obj))
    owners = []
    for name in owner_names:
        owners.append(Owner.objects.get(name=name))
    return types, owners
"""
    assert _flagged(source, "tags/services.py") == ["Owner.objects.get(name=name)"]


def test_related_querysets_or_ed_together_run_one_query() -> None:
    """``qs |= member.interfaces.filter(...)`` builds one lazy queryset across the loop; the
    ``count()`` per member beside it is a query each."""
    source = """
from django.db import models


class Chassis(models.Model):
    name = models.CharField(max_length=80)


class Device(models.Model):
    chassis = models.ForeignKey(Chassis, related_name="members", on_delete=models.CASCADE)


class Interface(models.Model):
    device = models.ForeignKey(Device, related_name="interfaces", on_delete=models.CASCADE)
    mgmt_only = models.BooleanField(default=False)


def chassis_interfaces(device):
    qs = device.interfaces.all()
    for member in device.chassis.members.exclude(pk=device.pk):
        qs |= member.interfaces.filter(mgmt_only=False)
    return qs


def chassis_interface_counts(device):
    counts = {}
    for member in device.chassis.members.exclude(pk=device.pk):
        counts[member.pk] = member.interfaces.filter(mgmt_only=False).count()
    return counts
"""
    assert _flagged(source, "dcim/models.py") == ["member.interfaces"]
