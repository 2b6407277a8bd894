# blind: xpath tp
from django.http import JsonResponse
from django.views import View
from lxml import etree

INVENTORY = etree.parse("/app/inventory.xml")


class SearchView(View):
    def get(self, request):
        preds = []
        for field in ("color", "size"):
            if request.GET.get(field):
                preds.append(f"{field}='{request.GET[field]}'")
        expr = "//item[" + " and ".join(preds or ["true()"]) + "]"
        return JsonResponse({"n": len(INVENTORY.xpath(expr))})
