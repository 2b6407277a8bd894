# blind: xxe safe
from defusedxml.minidom import parseString
from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/feed")
async def feed(req: Request):
    doc = parseString(await req.body())
    return {"titles": [t.firstChild.data for t in doc.getElementsByTagName("title")]}
