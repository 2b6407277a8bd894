# blind: weakhash safe
from django.contrib.auth.hashers import make_password
from django.http import JsonResponse

from .models import Account


def signup(request):
    Account.objects.create(
        username=request.POST["username"], password=make_password(request.POST["password"])
    )
    return JsonResponse({"ok": True})
