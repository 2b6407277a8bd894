# blind: codei tp
from rest_framework import viewsets
from rest_framework.response import Response

from .models import Metric


class MetricViewSet(viewsets.ViewSet):
    def list(self, request):
        predicate = request.query_params.get("where", "True")
        rows = [m for m in Metric.objects.all()[:500] if eval(predicate, {}, {"m": m})]
        return Response({"n": len(rows)})
