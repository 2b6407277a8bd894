# blind: pathtrav safe
from flask import Flask, request, send_file

app = Flask(__name__)
THEMES = {"light": "static/themes/light.css", "dark": "static/themes/dark.css"}


@app.get("/theme.css")
def theme_css():
    css_path = THEMES.get(request.headers.get("X-Theme", "light"), THEMES["light"])
    return send_file(css_path, mimetype="text/css")
