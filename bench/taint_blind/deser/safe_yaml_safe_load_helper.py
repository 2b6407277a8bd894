# blind: deser safe
import yaml
from rest_framework.response import Response
from rest_framework.views import APIView


def read_manifest(text: str) -> dict:
    return yaml.safe_load(text) or {}


class ManifestView(APIView):
    def post(self, request):
        return Response({"keys": sorted(read_manifest(request.data["manifest"]))})
