# blind: codei tp
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Plugin(BaseModel):
    name: str
    source: str


@app.post("/plugins")
def install_plugin(plugin: Plugin):
    namespace: dict = {}
    exec(plugin.source, namespace)
    return {"installed": plugin.name, "symbols": sorted(namespace)}
