# blind: sqli tp
from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_session

api = FastAPI()


@api.get("/tenants/{slug}/users")
def tenant_users(slug: str, db: Session = Depends(get_session)):
    stmt = text("SELECT id FROM users WHERE tenant_slug = '%s'" % slug)
    return [row.id for row in db.execute(stmt)]
