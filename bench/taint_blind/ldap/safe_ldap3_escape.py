# blind: ldap safe
from fastapi import FastAPI
from ldap3 import SUBTREE, Connection, Server
from ldap3.utils.conv import escape_filter_chars

app = FastAPI()
server = Server("ldap://ldap.example.com")


@app.get("/groups/{group}/members")
def members(group: str):
    conn = Connection(server, auto_bind=True)
    conn.search(
        "dc=example,dc=com", f"(&(objectClass=group)(cn={escape_filter_chars(group)}))", SUBTREE
    )
    return {"entries": [str(e) for e in conn.entries]}
