"""BE004: models on a project base class, resolved from the file's own Django fields.

``class Prefix(PrimaryModel)`` is not recognised as a model by the workspace schema (the
base is the project's own), so ``self.children`` had no known row model and every relation
name anywhere in the file counted: ``child.prefix`` (a property of Prefix, while another
model has a ``prefix`` foreign key) was taken for a per-row query. The file's own fields say
where ``children`` leads (``parent = ForeignKey("self", related_name="children")``); a real
foreign key of those rows read per row stays a finding.
"""

from __future__ import annotations

from perf_helpers import flagged, run

MODELS = """
import netaddr
from django.db import models

from nautobot.core.models import BaseModel, PrimaryModel


class Prefix(PrimaryModel):
    network = models.CharField(max_length=39)
    prefix_length = models.IntegerField()
    parent = models.ForeignKey(
        "self", blank=True, null=True, related_name="children", on_delete=models.PROTECT
    )
    vrf = models.ForeignKey("ipam.VRF", null=True, on_delete=models.PROTECT)

    @property
    def prefix(self):
        return netaddr.IPNetwork(f"{self.network}/{self.prefix_length}")

    def reparent_children(self):
        for child in self.children.filter(prefix_length__gt=self.prefix_length + 1):
            child.parent = self.children.get_closest_parent(child.prefix)
            child.save()

    def child_vrfs(self):
        return [child.vrf.name for child in self.children.all()]


class VRFPrefixAssignment(BaseModel):
    vrf = models.ForeignKey("ipam.VRF", on_delete=models.CASCADE)
    prefix = models.ForeignKey("ipam.Prefix", on_delete=models.CASCADE)


class IPAddressRange(PrimaryModel):
    start_host = models.CharField(max_length=39)
    end_host = models.CharField(max_length=39)
    parent = models.ForeignKey("ipam.Prefix", on_delete=models.PROTECT, related_name="ranges")

    def overlaps_a_sibling(self):
        range_set = netaddr.IPSet(netaddr.IPRange(self.start_host, self.end_host))
        for child in self.parent.children.all():
            if range_set & netaddr.IPSet([child.prefix]):
                return True
        return False
"""


def test_rows_of_a_local_related_manager_are_judged_by_that_models_fields() -> None:
    findings = run("BE004", MODELS, "nautobot/ipam/models.py")
    # child.prefix is Prefix's property, not a relation of the children rows
    assert [flagged(f, MODELS) for f in findings] == ["child.vrf"]
