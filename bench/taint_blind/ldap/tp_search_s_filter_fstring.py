# blind: ldap tp
import ldap
from flask import Flask, request

app = Flask(__name__)


@app.get("/directory")
def directory_lookup():
    uid = request.args["uid"]
    conn = ldap.initialize("ldap://ldap.corp.example.com")
    results = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={uid})")
    return {"count": len(results)}
