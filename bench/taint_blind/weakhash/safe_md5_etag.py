# blind: weakhash safe
import hashlib

from flask import Flask, make_response

from .reports import render_report

app = Flask(__name__)


@app.get("/report")
def report():
    body = render_report()
    resp = make_response(body)
    resp.headers["ETag"] = hashlib.md5(body.encode()).hexdigest()
    return resp
