# blind: cmdi safe
import os

from flask import Flask, request

app = Flask(__name__)


@app.get("/locale")
def set_locale():
    lang = request.cookies.get("lang", "en")
    lang = "en_US"
    os.system("locale-gen %s.UTF-8" % lang)
    return "done"
