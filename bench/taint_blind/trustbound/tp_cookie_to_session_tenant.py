# blind: trustbound tp
from flask import Flask, request, session

app = Flask(__name__)


@app.before_request
def pick_tenant():
    if "tenant_id" not in session:
        session["tenant_id"] = request.cookies.get("tenant")
