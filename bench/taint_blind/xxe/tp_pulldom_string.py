# blind: xxe tp
from xml.dom import pulldom

from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/feed")
async def feed(req: Request):
    raw = (await req.body()).decode()
    doc = pulldom.parseString(raw)
    titles = []
    for event, node in doc:
        if event == pulldom.START_ELEMENT and node.tagName == "title":
            doc.expandNode(node)
            titles.append(node.toxml())
    return {"titles": titles}
