# blind: cookie tp
from django.http import HttpResponse
from django.views import View


class ImpersonateView(View):
    def post(self, request, user_id):
        resp = HttpResponse("ok")
        resp.set_cookie(
            "impersonation_session", f"{request.user.pk}:{user_id}", httponly=True, secure=False
        )
        return resp
