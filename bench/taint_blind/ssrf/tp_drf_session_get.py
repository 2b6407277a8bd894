# blind: ssrf tp
import requests
from rest_framework.response import Response
from rest_framework.views import APIView


class AvatarImportView(APIView):
    http = requests.Session()

    def post(self, request):
        image_url = request.data.get("image_url")
        resp = self.http.get(image_url, timeout=10)
        return Response({"bytes": len(resp.content)})
