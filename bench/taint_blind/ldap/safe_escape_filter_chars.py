# blind: ldap safe
import ldap
from flask import Flask, request
from ldap.filter import escape_filter_chars

app = Flask(__name__)


@app.get("/directory")
def directory_lookup():
    uid = escape_filter_chars(request.args["uid"])
    conn = ldap.initialize("ldap://ldap.corp.example.com")
    results = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={uid})")
    return {"count": len(results)}
