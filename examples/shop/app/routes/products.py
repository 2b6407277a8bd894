"""Catalogue endpoints."""

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app import settings
from app.db import get_db
from app.models import Product
from app.schemas import ProductOut

router = APIRouter(prefix="/products", tags=["products"])


@router.get("", response_model=list[ProductOut])
def list_products(
    category: str | None = None,
    limit: int = Query(settings.DEFAULT_PAGE_SIZE, ge=1, le=settings.MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0),
    db: Session = Depends(get_db),
) -> list[Product]:
    stmt = select(Product).order_by(Product.id).limit(limit).offset(offset)
    if category:
        stmt = stmt.where(Product.category == category)
    return list(db.scalars(stmt))


@router.get("/all", response_model=list[ProductOut])
def export_products(db: Session = Depends(get_db)) -> list[Product]:
    return db.query(Product).order_by(Product.name).all()


@router.get("/search", response_model=list[ProductOut])
def search_products(q: str, db: Session = Depends(get_db)) -> list[Product]:
    rows = db.execute(
        text(f"SELECT id FROM products WHERE name ILIKE '%{q}%' ORDER BY name LIMIT 20")
    )
    ids = [row.id for row in rows]
    return list(db.scalars(select(Product).where(Product.id.in_(ids))))


@router.get("/by-sku/{sku}", response_model=ProductOut)
def product_by_sku(sku: str, db: Session = Depends(get_db)) -> Product:
    row = db.execute(
        text("SELECT id FROM products WHERE sku = :sku"), {"sku": sku}
    ).first()
    if row is None:
        raise HTTPException(404, "no such product")
    return db.get_one(Product, row.id)


@router.get("/{product_id}", response_model=ProductOut)
def get_product(product_id: int, db: Session = Depends(get_db)) -> Product:
    product = db.get(Product, product_id)
    if product is None:
        raise HTTPException(404, "no such product")
    return product
