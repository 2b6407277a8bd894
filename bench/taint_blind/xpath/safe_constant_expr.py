# blind: xpath safe
from fastapi import FastAPI, Header
from lxml import etree

app = FastAPI()
TENANTS = etree.parse("/app/tenants.xml")
ACTIVE_PLANS = "/tenants/tenant[@active='1']/plan"


@app.get("/plans")
async def plans(x_tenant: str = Header(...)):
    plans = [p.text for p in TENANTS.xpath(ACTIVE_PLANS)]
    return {"plans": plans, "asked_by": x_tenant}
