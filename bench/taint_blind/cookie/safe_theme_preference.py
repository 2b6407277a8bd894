# blind: cookie safe
from flask import Flask, make_response, request

app = Flask(__name__)


@app.post("/theme")
def set_theme():
    theme = "dark" if request.form.get("theme") == "dark" else "light"
    resp = make_response("", 204)
    resp.set_cookie("theme", theme, max_age=365 * 86400)
    return resp
