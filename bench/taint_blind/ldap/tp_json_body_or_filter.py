# blind: ldap tp
import ldap
from flask import Flask, request

app = Flask(__name__)


@app.post("/lookup")
def lookup():
    names = request.get_json()["names"]
    parts = "".join(f"(cn={n})" for n in names)
    conn = ldap.initialize("ldap://ldap.example.com")
    res = conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(|" + parts + ")")
    return {"n": len(res)}
