# blind: ldap safe
from django.http import JsonResponse
from django.views import View
from ldap3 import Connection, Server

DEPTS = {"eng", "sales", "ops"}


class DeptView(View):
    def get(self, request):
        dept = request.GET.get("dept", "eng")
        if dept not in DEPTS:
            return JsonResponse({"error": "unknown"}, status=400)
        conn = Connection(Server("ldap://dir.example.com"), auto_bind=True)
        conn.search("dc=example,dc=com", f"(department={dept})")
        return JsonResponse({"n": len(conn.entries)})
