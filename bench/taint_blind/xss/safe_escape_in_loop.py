# blind: xss safe
from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)


@app.post("/table")
def render_table():
    rows = request.get_json()["rows"]
    html = "<table>"
    for row in rows:
        html += "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
    return html + "</table>"
