# blind: xss tp
from flask import Flask, request

app = Flask(__name__)


@app.get("/hello")
def hello():
    who = request.args.get("name", "guest")
    return f"<h1>Hello {who}!</h1>"
