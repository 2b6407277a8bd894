# blind: redirect safe
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View


class LogoutView(View):
    def post(self, request):
        request.session.flush()
        return redirect(reverse("home") + "?bye=" + ("1" if request.POST.get("after") else "0"))
