# blind: cmdi tp
import subprocess

from rest_framework import viewsets
from rest_framework.response import Response


class ExportViewSet(viewsets.ViewSet):
    def create(self, request):
        fmt = request.data.get("format", "csv")
        subprocess.check_call("export-tool --format " + fmt, shell=True)
        return Response(status=202)
