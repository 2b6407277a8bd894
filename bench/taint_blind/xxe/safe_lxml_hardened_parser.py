# blind: xxe safe
from django.http import JsonResponse
from lxml import etree

SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def upload_invoice(request):
    tree = etree.parse(request.FILES["invoice"], SAFE_PARSER)
    return JsonResponse({"total": tree.findtext("total")})
