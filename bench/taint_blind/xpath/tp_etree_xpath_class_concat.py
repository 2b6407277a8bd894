# blind: xpath tp
from django.http import JsonResponse
from lxml import etree

CATALOG = etree.parse("/app/catalog.xml")


def product(request):
    sku = request.GET.get("sku", "")
    finder = etree.XPath("//product[sku='" + sku + "']/price")
    prices = finder(CATALOG)
    return JsonResponse({"price": prices[0].text if prices else None})
