# blind: ssrf safe
import requests
from flask import Flask, request

app = Flask(__name__)
SLACK_WEBHOOK = "https://hooks.slack.com/services/T000/B000/XXXX"


@app.post("/notify")
def notify():
    text = request.get_json().get("message", "")
    requests.post(SLACK_WEBHOOK, json={"text": text[:500]}, timeout=5)
    return "", 204
