"""GORM's naming strategy: the table and column names it derives from Go names.

``gorm.io/gorm/schema.NamingStrategy``: snake_case with initialisms kept
together (``UserID`` -> user_id), and the table's last word pluralised
(``OrderItem`` -> order_items, ``Category`` -> categories).
"""

from __future__ import annotations

import re

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_IRREGULAR = {"person": "people", "man": "men", "child": "children", "datum": "data"}


def gorm_table(name: str) -> str:
    """GORM's default table name: snake_case, last word plural (``OrderItem`` -> order_items)."""
    snake = _CAMEL.sub("_", name).lower()
    head, _, last = snake.rpartition("_")
    if last in _IRREGULAR:
        plural = _IRREGULAR[last]
    elif re.search(r"[^aeiou]y$", last):
        plural = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head}_{plural}" if head else plural


def gorm_column(name: str) -> str:
    return _CAMEL.sub("_", name).lower()
