# blind: xss safe
from flask import Flask, render_template, request
from markupsafe import Markup

app = Flask(__name__)


@app.post("/comment/preview")
def preview_comment():
    body = request.form["body"]
    quoted = Markup("<blockquote>{}</blockquote>").format(body)
    return render_template("preview.html", comment=quoted)
