# blind: cookie tp
from flask import Flask, make_response

from .sessions import new_session

app = Flask(__name__)


@app.post("/signin")
def signin():
    sid = new_session()
    resp = make_response("", 204)
    resp.set_cookie("sid", sid, secure=False, httponly=False)
    return resp
