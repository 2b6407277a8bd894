# blind: pathtrav safe
from rest_framework import viewsets
from rest_framework.response import Response


class ExportFileViewSet(viewsets.ViewSet):
    def retrieve(self, request, pk=None):
        export_id = int(pk)
        with open(f"/srv/exports/{export_id}.csv", encoding="utf-8") as fh:
            return Response({"csv": fh.read()})
