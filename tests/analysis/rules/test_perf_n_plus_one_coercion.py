"""BE004: loops that query for an item only to turn a name into an instance, loops over
configured settings, and a dict walk whose query sits under one key.

Shapes from Django permission code (a perm spec keyed by group names or Group objects),
search-index settings and metadata setters; each beside the N+1 that still gets reported.
"""

from __future__ import annotations

from perf_helpers import flagged, run


def _flagged(source: str, path: str = "geonode/security/models.py") -> list[str]:
    return [flagged(f, source) for f in run("BE004", source, path)]


def test_perm_spec_keys_coerced_from_names_to_groups() -> None:
    source = """
from django.contrib.auth.models import Group


def fixup_perm_spec(perm_spec):
    fixed = {"groups": {}}
    for group, perms in perm_spec["groups"].items():
        if not isinstance(group, Group):
            if perms and Group.objects.filter(name=group).count() == 1:
                fixed["groups"][Group.objects.get(name=group)] = perms
    return fixed


def group_perms(groups):
    out = {}
    for key in groups:
        if isinstance(key, str):
            key = Group.objects.get(name=key)
        out[key.name] = groups[key]
    return out


def managers(groups):
    found = []
    for group in groups:
        group = group if hasattr(group, "group") else GroupProfile.objects.get(group=group)
        found.extend(group.get_managers())
    return found


def every_group(names):
    return [Group.objects.get(name=name) for name in names]
"""
    assert _flagged(source) == ["Group.objects.get(name=name)"]


def test_an_instance_check_that_queries_for_instances_is_still_flagged() -> None:
    source = """
from django.contrib.auth.models import Group


def refresh(groups):
    for group in groups:
        if isinstance(group, Group):
            group = Group.objects.get(pk=group.pk)
        yield group
"""
    assert _flagged(source) == ["Group.objects.get(pk=group.pk)"]


def test_loop_over_a_configured_setting_is_a_fixed_handful() -> None:
    source = """
from django.conf import settings


def update_index(resource_id):
    for index_name, fields in settings.METADATA_INDEXES.items():
        ResourceIndex.objects.filter(resource_id=resource_id, name=index_name).delete()


def reindex_all(resource_ids):
    for resource_id in resource_ids:
        ResourceIndex.objects.filter(resource_id=resource_id).delete()
"""
    assert _flagged(source, "geonode/indexing/manager.py") == [
        "ResourceIndex.objects.filter(resource_id=resource_id).delete()"
    ]


def test_query_under_one_key_of_a_dict_walk_runs_once() -> None:
    source = """
def set_resource_values(resource, vals):
    for key, value in vals.items():
        if key == "spatial_representation_type":
            value = SpatialRepresentationType.objects.filter(identifier=value).first()
        elif key == "topic_category":
            value = TopicCategory.objects.get(identifier=value)
        setattr(resource, key, value)


def set_keywords(resource, vals):
    for key, value in vals.items():
        if key.startswith("keyword_"):
            resource.keywords.add(HierarchicalKeyword.objects.get(slug=value))
"""
    assert _flagged(source, "geonode/resource/utils.py") == [
        "HierarchicalKeyword.objects.get(slug=value)"
    ]


def test_relation_read_only_to_word_a_log_line_for_a_bad_row() -> None:
    source = """
import json
import logging

from django.db import models

logger = logging.getLogger(__name__)


class SparseField(models.Model):
    resource = models.ForeignKey("base.ResourceBase", on_delete=models.CASCADE)
    name = models.CharField(max_length=64)
    value = models.TextField(null=True)


def extra_metadata(resource_ids):
    fields = SparseField.objects.filter(name__startswith="extra_")
    values = []
    for sf in fields:
        try:
            values.append(json.loads(sf.value))
        except (json.JSONDecodeError, TypeError):
            logger.warning(f"Bad ExtraMetadata {sf.name} for resource {sf.resource.title}")
            continue
    return values


def repair_metadata():
    for sf in SparseField.objects.filter(name__startswith="extra_"):
        try:
            json.loads(sf.value)
        except (json.JSONDecodeError, TypeError):
            notify_owner(sf.resource.owner, sf.name)
"""
    assert _flagged(source, "geonode/api/resourcebase_api.py") == ["sf.resource"]
