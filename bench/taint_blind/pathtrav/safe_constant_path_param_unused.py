# blind: pathtrav safe
from flask import Flask, request, send_file

app = Flask(__name__)
TERMS_PDF = "/srv/static/terms.pdf"


@app.get("/terms")
def terms():
    version = request.args.get("v", "latest")
    resp = send_file(TERMS_PDF)
    resp.headers["X-Terms-Requested"] = version[:20]
    return resp
