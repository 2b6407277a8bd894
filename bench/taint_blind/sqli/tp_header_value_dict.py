# blind: sqli tp
from flask import Flask, request

from .db import get_cursor

app = Flask(__name__)


@app.get("/audit")
def audit_log():
    ctx = {"tenant": request.headers.get("X-Tenant", "public")}
    cur = get_cursor()
    cur.execute("SELECT * FROM audit WHERE tenant = '%(tenant)s'" % ctx)
    return {"entries": cur.fetchall()}
