# blind: ldap tp
import ldap
from django.http import JsonResponse


def ldap_login(request):
    user = request.POST["username"]
    conn = ldap.initialize("ldaps://ldap.example.com")
    conn.simple_bind_s("uid=" + user + ",ou=people,dc=example,dc=com", request.POST["password"])
    return JsonResponse({"ok": True})
