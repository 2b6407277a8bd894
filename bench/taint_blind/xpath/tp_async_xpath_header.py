# blind: xpath tp
from fastapi import FastAPI, Header
from lxml import etree

app = FastAPI()
TENANTS = etree.parse("/app/tenants.xml")


@app.get("/tenant")
async def tenant(x_tenant: str = Header(...)):
    hits = TENANTS.xpath("/tenants/tenant[@id='%s']/plan" % x_tenant)
    return {"plan": hits[0].text if hits else None}
