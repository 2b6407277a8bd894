# blind: codei safe
from flask import Flask, request
from jinja2 import Environment, FileSystemLoader, select_autoescape

app = Flask(__name__)
env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())


@app.post("/render")
def render_custom():
    tpl = env.get_template("layout.html")
    return tpl.render(body=request.form.get("layout", ""))
