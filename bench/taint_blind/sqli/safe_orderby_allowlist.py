# blind: sqli safe
from django.db import connection
from rest_framework.response import Response
from rest_framework.views import APIView

SORTABLE = {"name": "name", "price": "price", "newest": "created_at DESC"}


class ProductListView(APIView):
    def get(self, request):
        order = SORTABLE.get(request.query_params.get("sort", "name"), "name")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, name, price FROM catalog_product ORDER BY {order}")
            return Response(cursor.fetchall())
