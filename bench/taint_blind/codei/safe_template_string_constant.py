# blind: codei safe
from flask import Flask, render_template_string, request

app = Flask(__name__)
GREETING = "<p>Hello {{ name }}</p>"


@app.get("/greeting")
def greeting():
    return render_template_string(GREETING, name=request.args.get("name", "friend"))
