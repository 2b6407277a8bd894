# blind: redirect safe
from django.http import HttpResponseRedirect

LOGIN_URL = "/accounts/login/"


def require_login(request):
    request.session["wanted"] = request.get_full_path()[:200]
    return HttpResponseRedirect(LOGIN_URL)
