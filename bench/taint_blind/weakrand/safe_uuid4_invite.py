# blind: weakrand safe
import uuid

from django.http import JsonResponse
from django.views import View

from .models import Invitation


class InviteCreateView(View):
    def post(self, request):
        invite_token = uuid.uuid4().hex
        Invitation.objects.create(email=request.POST["email"], token=invite_token)
        return JsonResponse({"token": invite_token})
