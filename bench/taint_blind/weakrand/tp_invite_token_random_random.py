# blind: weakrand tp
import random

from django.http import JsonResponse
from django.views import View

from .models import Invitation


class InviteCreateView(View):
    def post(self, request):
        invite_token = str(random.random())[2:]
        Invitation.objects.create(email=request.POST["email"], token=invite_token)
        return JsonResponse({"token": invite_token})
