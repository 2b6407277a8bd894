# blind: ldap safe
import ldap
from fastapi import FastAPI

app = FastAPI()


@app.get("/employees/{number}")
def employee(number: int):
    conn = ldap.initialize("ldap://ldap.example.com")
    hits = conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(employeeNumber={number})")
    return {"n": len(hits)}
