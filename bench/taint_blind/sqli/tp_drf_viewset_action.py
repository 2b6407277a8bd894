# blind: sqli tp
from django.db import connection
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response


class StatsViewSet(viewsets.ViewSet):
    @action(detail=False, methods=["post"])
    def by_label(self, request):
        label = request.data.get("label")
        cursor = connection.cursor()
        cursor.execute("SELECT COUNT(*) FROM tickets WHERE label = '%s'" % (label,))
        return Response({"count": cursor.fetchone()[0]})
