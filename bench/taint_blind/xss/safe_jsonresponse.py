# blind: xss safe
from django.http import JsonResponse


def echo(request):
    return JsonResponse({"echo": request.GET.get("msg", "")})
