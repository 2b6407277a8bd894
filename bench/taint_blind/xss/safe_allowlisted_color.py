# blind: xss safe
from flask import Flask, make_response, request

app = Flask(__name__)
COLORS = {"red", "green", "blue"}


@app.get("/swatch")
def swatch():
    color = request.args.get("c", "red")
    if color not in COLORS:
        color = "red"
    return make_response(f"<div style='background:{color}'>swatch</div>")
