# blind: sqli tp
from django.db import connection
from rest_framework.response import Response
from rest_framework.views import APIView


class ProductListView(APIView):
    def get(self, request):
        sort = request.query_params.get("sort", "name")
        sql = f"SELECT id, name, price FROM catalog_product ORDER BY {sort}"
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return Response(cursor.fetchall())
