# blind: cookie tp
from rest_framework.response import Response
from rest_framework.views import APIView

from .tokens import make_refresh


class RefreshView(APIView):
    def post(self, request):
        resp = Response({"detail": "refreshed"})
        resp.set_cookie("refresh_token", make_refresh(request.user), secure=True)
        return resp
