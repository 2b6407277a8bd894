# blind: ldap safe
import ldap
from django.http import JsonResponse
from ldap.dn import escape_dn_chars


def ldap_login(request):
    user = escape_dn_chars(request.POST["username"])
    conn = ldap.initialize("ldaps://ldap.example.com")
    conn.simple_bind_s(f"uid={user},ou=people,dc=example,dc=com", request.POST["password"])
    return JsonResponse({"ok": True})
