# blind: cookie tp
from django.http import JsonResponse

from .auth import issue_token


def api_login(request):
    token = issue_token(request.user)
    response = JsonResponse({"ok": True})
    response.set_cookie("auth_token", token, max_age=3600, samesite="Lax")
    return response
