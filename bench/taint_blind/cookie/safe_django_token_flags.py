# blind: cookie safe
from django.http import JsonResponse

from .auth import issue_token


def api_login(request):
    response = JsonResponse({"ok": True})
    response.set_cookie(
        "auth_token",
        issue_token(request.user),
        max_age=3600,
        secure=True,
        httponly=True,
        samesite="Lax",
    )
    return response
