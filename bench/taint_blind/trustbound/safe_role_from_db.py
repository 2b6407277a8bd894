# blind: trustbound safe
from django.http import HttpResponse
from django.views import View

from .models import Membership


class SsoView(View):
    def get(self, request):
        membership = Membership.objects.get(user=request.user)
        request.session["role"] = membership.role
        return HttpResponse("ok")
