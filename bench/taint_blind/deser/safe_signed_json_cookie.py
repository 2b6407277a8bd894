# blind: deser safe
from django.core import signing
from django.http import JsonResponse


def cart(request):
    raw = request.COOKIES.get("cart")
    items = signing.loads(raw, salt="cart", max_age=86400) if raw else []
    return JsonResponse({"items": items})
