# blind: xpath safe
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
USERS = etree.parse("/app/data/users.xml")


@app.get("/user")
def find_user():
    nodes = USERS.xpath("//user[@login=$login]/email/text()", login=request.args["login"])
    return {"email": nodes[0] if nodes else None}
