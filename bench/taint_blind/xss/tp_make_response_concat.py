# blind: xss tp
from flask import Flask, make_response, request

app = Flask(__name__)


@app.get("/search")
def search():
    term = request.args.get("q", "")
    resp = make_response("<p>No results for " + term + "</p>")
    resp.headers["Content-Type"] = "text/html"
    return resp
