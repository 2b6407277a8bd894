# blind: xss safe
from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)


@app.get("/hello")
def hello():
    who = escape(request.args.get("name", "guest"))
    return f"<h1>Hello {who}!</h1>"
