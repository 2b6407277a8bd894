"""Shared builders for agent tests."""

from __future__ import annotations

from backend_lsp.agent.types import ContextBundle, ContextItem

SELECTION_TEXT = 'rows = db.execute("SELECT * FROM orders WHERE user_id = %s", (uid,))\n'


def bundle(with_items: bool = True) -> ContextBundle:
    selection = ContextItem("app/orders.py", 40, 40, "selection", SELECTION_TEXT, 20)
    items = (
        [
            ContextItem(
                "app/orders.py",
                30,
                52,
                "enclosing function",
                "def list_orders(uid):\n    ...\n",
                12,
            ),
            ContextItem("app/models.py", 1, 9, "referenced model", "class Order(Base):\n", 8),
        ]
        if with_items
        else []
    )
    return ContextBundle(items=items, selection=selection, tokens=40, budget=12_000)
