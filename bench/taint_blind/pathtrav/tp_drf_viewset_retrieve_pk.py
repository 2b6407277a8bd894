# blind: pathtrav tp
from rest_framework import viewsets
from rest_framework.response import Response


class ExportFileViewSet(viewsets.ViewSet):
    def retrieve(self, request, pk=None):
        with open(f"/srv/exports/{pk}.csv", encoding="utf-8") as fh:
            return Response({"csv": fh.read()})
