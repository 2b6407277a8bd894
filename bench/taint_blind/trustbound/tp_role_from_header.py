# blind: trustbound tp
from django.http import HttpResponse
from django.views import View


class SsoView(View):
    def get(self, request):
        role = request.headers.get("X-Remote-Role", "viewer")
        request.session["role"] = role
        return HttpResponse("ok")
