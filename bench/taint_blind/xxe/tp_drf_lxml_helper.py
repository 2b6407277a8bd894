# blind: xxe tp
from lxml import etree
from rest_framework.response import Response
from rest_framework.views import APIView


def parse_config(blob: bytes):
    return etree.fromstring(blob, etree.XMLParser(load_dtd=True, resolve_entities=True))


class ConfigUpload(APIView):
    def post(self, request):
        cfg = parse_config(request.body)
        return Response({"name": cfg.get("name")})
