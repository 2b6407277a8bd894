# blind: pathtrav tp
from flask import Flask, request, send_file, send_from_directory

app = Flask(__name__)


@app.get("/theme.css")
def theme_css():
    theme = request.headers.get("X-Theme", "light")
    css_path = "static/themes/{}.css".format(theme)
    return send_file(css_path, mimetype="text/css")
