from django.db import transaction

from shop.models import Order, Product


class OutOfStock(Exception):
    pass


@transaction.atomic
def place_order(product: Product, quantity: int) -> Order:
    locked = Product.objects.select_for_update().get(pk=product.pk)
    if locked.stock < quantity:
        raise OutOfStock(locked.name)
    locked.stock -= quantity
    locked.save(update_fields=["stock"])
    return Order.objects.create(product=locked, quantity=quantity)
