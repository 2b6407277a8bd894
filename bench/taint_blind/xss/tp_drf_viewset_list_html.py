# blind: xss tp
from django.http import HttpResponse
from rest_framework import viewsets


class BadgeViewSet(viewsets.ViewSet):
    def list(self, request):
        label = request.query_params.get("label", "build")
        svg = f'<svg xmlns="http://www.w3.org/2000/svg"><text x="5" y="15">{label}</text></svg>'
        return HttpResponse(svg, content_type="image/svg+xml")
