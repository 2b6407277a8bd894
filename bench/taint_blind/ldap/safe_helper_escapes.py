# blind: ldap safe
import ldap
from ldap.filter import filter_format
from rest_framework.response import Response
from rest_framework.views import APIView


def mail_filter(mail: str) -> str:
    return filter_format("(&(objectClass=person)(mail=%s))", [mail])


class PersonSearch(APIView):
    def get(self, request):
        conn = ldap.initialize("ldap://ldap.example.com")
        hits = conn.search_ext_s(
            "dc=example,dc=com", ldap.SCOPE_SUBTREE, mail_filter(request.query_params["mail"])
        )
        return Response({"n": len(hits)})
