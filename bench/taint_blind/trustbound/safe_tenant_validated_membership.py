# blind: trustbound safe
from flask import Flask, abort, g, request, session

app = Flask(__name__)


@app.post("/tenant/switch")
def switch_tenant():
    wanted = int(request.form["tenant"])
    if wanted not in {m.tenant_id for m in g.user.memberships}:
        abort(403)
    session["tenant_id"] = wanted
    return "", 204
