# blind: ldap tp
from fastapi import FastAPI
from ldap3 import Connection, Server
from pydantic import BaseModel

app = FastAPI()


class Login(BaseModel):
    username: str
    password: str


@app.post("/ldap-login")
async def ldap_login(creds: Login):
    dn = f"cn={creds.username},ou=users,dc=example,dc=com"
    conn = Connection(Server("ldap://ldap.example.com"), user=dn, password=creds.password)
    ok = conn.bind()
    conn.search("dc=example,dc=com", f"(cn={creds.username})")
    return {"ok": ok}
