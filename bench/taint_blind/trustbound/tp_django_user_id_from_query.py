# blind: trustbound tp
from django.http import JsonResponse


def switch_account(request):
    request.session["user_id"] = request.GET["account"]
    return JsonResponse({"switched": True})
