# blind: xss tp
from flask import Flask, request

app = Flask(__name__)


@app.post("/table")
def render_table():
    rows = request.get_json()["rows"]
    html = "<table>"
    for row in rows:
        html += "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
    html += "</table>"
    return html
