# blind: codei tp
from flask import Flask, request
from jinja2 import Environment

app = Flask(__name__)
env = Environment()


@app.post("/render")
def render_custom():
    body = request.form.get("layout", "")
    return env.from_string(body).render(title="Report")
