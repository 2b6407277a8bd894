# blind: ldap safe
import ldap
from flask import Flask, request
from ldap.filter import escape_filter_chars

app = Flask(__name__)


@app.post("/lookup")
def lookup():
    names = request.get_json()["names"]
    parts = "".join(f"(cn={escape_filter_chars(n)})" for n in names)
    conn = ldap.initialize("ldap://ldap.example.com")
    return {"n": len(conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(|" + parts + ")"))}
