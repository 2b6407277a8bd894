# blind: cmdi tp
import os

from flask import Flask, request

app = Flask(__name__)


@app.get("/locale")
def set_locale():
    lang = request.cookies.get("lang", "en")
    os.system("locale-gen %s.UTF-8" % lang)
    return "done"
