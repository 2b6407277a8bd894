# blind: cookie safe
from django.http import HttpResponse


def accept_cookies(request):
    resp = HttpResponse("thanks")
    resp.set_cookie("cookie_consent", "accepted", max_age=180 * 86400, samesite="Lax")
    return resp
