# blind: sqli tp
from fastapi import Depends, FastAPI, Query
from sqlalchemy import text

from .db import engine

app = FastAPI()


def region_filter(region: str = Query("eu")) -> str:
    return f"region = '{region}'"


@app.get("/stores")
def stores(where: str = Depends(region_filter)):
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text("SELECT * FROM stores WHERE " + where))]
