# blind: trustbound safe
from django.http import JsonResponse
from django.views import View


class CartAddView(View):
    def post(self, request):
        cart = request.session.get("cart", [])
        cart.append(int(request.POST["product_id"]))
        request.session["cart"] = cart
        return JsonResponse({"items": len(cart)})
