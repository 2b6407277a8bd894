# blind: xxe tp
from fastapi import FastAPI, UploadFile
from lxml import etree

app = FastAPI()


@app.post("/sitemaps")
async def upload_sitemap(file: UploadFile):
    content = await file.read()
    tree = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=True))
    return {"urls": len(tree)}
