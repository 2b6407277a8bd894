# blind: weakrand tp
import random

from flask import Flask, request

from .sms import send_sms

app = Flask(__name__)


@app.post("/phone/verify")
def verify_phone():
    verification_code = "".join(random.sample("0123456789", 6))
    send_sms(request.form["phone"], verification_code)
    return {"sent": True}
