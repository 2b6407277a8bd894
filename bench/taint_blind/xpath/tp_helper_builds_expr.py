# blind: xpath tp
from lxml import etree
from rest_framework.response import Response
from rest_framework.views import APIView

DOC = etree.parse("/app/staff.xml")


def staff_query(dept: str, role: str) -> str:
    return "//staff[dept='%s' and role='%s']/name" % (dept, role)


class StaffView(APIView):
    def get(self, request):
        expr = staff_query(request.query_params["dept"], request.query_params.get("role", "dev"))
        return Response([n.text for n in DOC.xpath(expr)])
