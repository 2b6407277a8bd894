# blind: codei tp
from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.get("/greeting")
def greeting():
    name = request.args.get("name", "friend")
    return render_template_string("<p>Hello " + name + "</p>")
