# blind: xpath safe
from django.http import JsonResponse
from lxml import etree

CATALOG = etree.parse("/app/catalog.xml")
FIND_PRICE = etree.XPath("//product[sku=$sku]/price")


def product(request):
    prices = FIND_PRICE(CATALOG, sku=request.GET.get("sku", ""))
    return JsonResponse({"price": prices[0].text if prices else None})
