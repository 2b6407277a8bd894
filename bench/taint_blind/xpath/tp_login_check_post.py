# blind: xpath tp
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
ACCOUNTS = etree.parse("/app/accounts.xml").getroot()


@app.post("/login")
def login():
    user, pw = request.form["user"], request.form["password"]
    match = ACCOUNTS.xpath("//account[name/text()='" + user + "' and pass/text()='" + pw + "']")
    return {"ok": bool(match)}
