# blind: xpath safe
from lxml import etree
from rest_framework.response import Response
from rest_framework.views import APIView

DOC = etree.parse("/app/staff.xml")


class StaffView(APIView):
    def get(self, request):
        pos = int(request.query_params.get("pos", 1))
        return Response([n.text for n in DOC.xpath(f"//staff[{pos}]/name")])
