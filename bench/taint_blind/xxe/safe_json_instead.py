# blind: xxe safe
from rest_framework.response import Response
from rest_framework.views import APIView


class ConfigUpload(APIView):
    def post(self, request):
        cfg = request.data
        return Response({"name": cfg.get("name")})
