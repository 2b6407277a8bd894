# blind: sqli safe
from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_session

api = FastAPI()
TABLE = "users"


@api.get("/tenants/{slug}/users")
def tenant_users(slug: str, db: Session = Depends(get_session)):
    stmt = text(f"SELECT id FROM {TABLE} WHERE tenant_slug = :slug")
    return [row.id for row in db.execute(stmt, {"slug": slug})]
