# blind: weakrand tp
import random

from flask import Flask, request

from .mail import send_mail

app = Flask(__name__)


@app.post("/password/forgot")
def forgot_password():
    code = str(random.randint(100000, 999999))
    send_mail(request.form["email"], f"Your reset code is {code}")
    return "", 204
