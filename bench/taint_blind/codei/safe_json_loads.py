# blind: codei safe
import json

from fastapi import FastAPI, Header

app = FastAPI()


@app.get("/prefs")
async def prefs(x_prefs: str = Header(default="{}")):
    return json.loads(x_prefs)
