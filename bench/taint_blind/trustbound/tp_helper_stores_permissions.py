# blind: trustbound tp
from rest_framework.response import Response
from rest_framework.views import APIView


def remember(session, name: str, value):
    session[name] = value


class ScopeView(APIView):
    def post(self, request):
        remember(request.session, "permissions", request.data.get("permissions", []))
        return Response({"ok": True})
