# blind: trustbound tp
from flask import Flask, request, session

app = Flask(__name__)


@app.post("/wizard/step")
def wizard_step():
    for field, value in request.form.items():
        session[field] = value
    return {"saved": list(request.form)}
