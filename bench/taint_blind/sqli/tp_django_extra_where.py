# blind: sqli tp
from django.http import JsonResponse
from shop.models import Order


def recent_orders(request, customer):
    orders = Order.objects.extra(where=[f"customer_code = '{customer}'"])
    return JsonResponse({"n": orders.count()})
