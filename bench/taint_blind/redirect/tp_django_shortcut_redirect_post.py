# blind: redirect tp
from django.shortcuts import redirect
from django.views import View


class LogoutView(View):
    def post(self, request):
        target = request.POST.get("after", "/")
        request.session.flush()
        return redirect(target)
