# blind: trustbound safe
from flask import Flask, request, session

app = Flask(__name__)
WIZARD_FIELDS = ("company", "country", "employees")


@app.post("/wizard/step")
def wizard_step():
    for field in WIZARD_FIELDS:
        if field in request.form:
            session["wizard_" + field] = request.form[field][:100]
    return {"saved": True}
