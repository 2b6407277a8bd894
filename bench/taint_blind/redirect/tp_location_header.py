# blind: redirect tp
from flask import Flask, Response, request

app = Flask(__name__)


@app.get("/out")
def outbound():
    resp = Response(status=302)
    resp.headers["Location"] = request.args["to"]
    return resp
