# blind: xxe tp
from django.http import JsonResponse
from lxml import etree


def upload_invoice(request):
    parser = etree.XMLParser(resolve_entities=True, no_network=False)
    tree = etree.parse(request.FILES["invoice"], parser)
    return JsonResponse({"total": tree.findtext("total")})
