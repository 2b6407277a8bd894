# blind: xpath safe
from django.http import JsonResponse
from django.views import View
from lxml import etree

INVENTORY = etree.parse("/app/inventory.xml")


class SearchView(View):
    def get(self, request):
        color = request.GET.get("color", "")
        size = request.GET.get("size", "")
        hits = INVENTORY.xpath("//item[color=$c and size=$s]", c=color, s=size)
        return JsonResponse({"n": len(hits)})
