"""Catalogue imports from suppliers."""

import json
import pickle
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from app.models import Product


def load_supplier_feed(raw: bytes) -> list[dict]:
    return pickle.loads(raw)


def load_price_rules(path: Path) -> dict:
    with path.open() as handle:
        return yaml.load(handle, Loader=yaml.Loader)


def load_category_map(path: Path) -> dict:
    with path.open() as handle:
        return yaml.safe_load(handle)


def load_json_feed(raw: bytes) -> list[dict]:
    return json.loads(raw)


def upsert_products(db: Session, rows: list[dict]) -> int:
    count = 0
    for row in rows:
        product = db.query(Product).filter_by(sku=row["sku"]).one_or_none()
        if product is None:
            product = Product(sku=row["sku"])
            db.add(product)
        product.name = row["name"]
        product.price = row["price"]
        product.category = row.get("category", "misc")
        count += 1
    db.commit()
    return count
