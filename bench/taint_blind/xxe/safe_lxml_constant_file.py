# blind: xxe safe
from fastapi import FastAPI
from lxml import etree

app = FastAPI()
SCHEMA_PATH = "/app/schemas/catalog.xml"


@app.get("/catalog/version")
def catalog_version(verbose: bool = False):
    tree = etree.parse(SCHEMA_PATH)
    return {"version": tree.getroot().get("version"), "verbose": verbose}
