# blind: ldap tp
from fastapi import FastAPI
from ldap3 import SUBTREE, Connection, Server

app = FastAPI()
server = Server("ldap://ldap.example.com")


@app.get("/groups/{group}/members")
def members(group: str):
    conn = Connection(server, auto_bind=True)
    conn.search(
        "dc=example,dc=com",
        "(&(objectClass=group)(cn={}))".format(group),
        SUBTREE,
        attributes=["member"],
    )
    return {"entries": [str(e) for e in conn.entries]}
