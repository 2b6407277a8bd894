# blind: ssrf tp
import urllib.request

from rest_framework import viewsets
from rest_framework.response import Response


class FeedViewSet(viewsets.ViewSet):
    def create(self, request):
        req = urllib.request.Request(request.data["feed"], headers={"User-Agent": "feedbot"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return Response({"bytes": len(resp.read())})
