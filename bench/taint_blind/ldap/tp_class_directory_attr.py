# blind: ldap tp
from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)


class Directory:
    base = "ou=staff,dc=example,dc=com"

    def __init__(self):
        self.conn = Connection(Server("ldap://dir.example.com"), auto_bind=True)

    def by_department(self, dept: str):
        self.conn.search(self.base, "(department=" + dept + ")")
        return self.conn.entries


@app.get("/staff")
def staff():
    return {"n": len(Directory().by_department(request.args.get("dept", "")))}
