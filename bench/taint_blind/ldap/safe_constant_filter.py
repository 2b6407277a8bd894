# blind: ldap safe
from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)
ACTIVE = "(&(objectClass=person)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"


@app.get("/staff/active")
def staff_active():
    conn = Connection(Server("ldap://dir.example.com"), auto_bind=True)
    conn.search("dc=example,dc=com", ACTIVE, size_limit=int(request.args.get("limit", 50)))
    return {"n": len(conn.entries)}
