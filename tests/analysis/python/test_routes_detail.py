"""find_routes: which handlers serve one object rather than a collection."""

from __future__ import annotations

from backend_lsp.analysis.python.routes import find_routes
from backend_lsp.syntax import ParsedDocument

_VIEWSET = """
from rest_framework import decorators
from rest_framework.decorators import action
from rest_framework.viewsets import ModelViewSet


class DeviceViewSet(ModelViewSet):
    @action(detail=True, methods=["get"], url_path="config-context")
    def config_context(self, request, *args, **kwargs):
        return Response({})

    @decorators.action(detail=True)
    def napalm(self, request, pk=None):
        return Response({})

    @action(detail=False, url_path="stale")
    def stale(self, request, *args, **kwargs):
        return Response([])

    def list(self, request, *args, **kwargs):
        return Response([])
"""


def test_drf_detail_action_is_not_a_list_endpoint() -> None:
    doc = ParsedDocument(_VIEWSET, "python")
    assert doc.root is not None
    routes = {r.name: r for r in find_routes(doc.source, doc.root, "dcim/api/views.py")}
    assert {name for name, r in routes.items() if r.is_list_endpoint} == {"stale", "list"}
    assert routes["config_context"].detail and routes["napalm"].detail
