# blind: ldap tp
import ldap
from django.http import JsonResponse
from django.views import View


class PhonebookView(View):
    def get(self, request):
        surname = request.GET.get("sn", "*")
        conn = ldap.initialize("ldap://ldap.example.com")
        entries = conn.search_s(
            "dc=example,dc=com", ldap.SCOPE_SUBTREE, "(sn=%s)" % surname, ["telephoneNumber"]
        )
        return JsonResponse({"n": len(entries)})
