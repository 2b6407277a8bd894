"""The stored form of facts reads back equal (tuples stay tuples), and a broken one is dropped."""

from __future__ import annotations

from backend_lsp.index.facts import FileFacts, Import, Include, Model, Relation, Route, Symbol
from backend_lsp.index.store import FileRow, IndexStore, deserialize, serialize

FACTS = FileFacts(
    language="python",
    symbols=(Symbol("Item", "class", None, 3, 9, "class Item(SQLModel, table=True):",
                    bases=("SQLModel",), uses=("Field",), strings=("/items",)),),
    imports=(Import("sqlmodel", "SQLModel", "SQLModel"), Import("", "deps", "deps", 1)),
    routes=(Route("GET", "/items/{id}", "read_item", "router", 12, ("get_db",)),),
    routers={"router": "APIRouter"},
    includes=(Include("app", "router", "/api", 20),),
    models=(Model("Item", "item", "sqlmodel", ("id", "name")),),
    relations=(Relation("ItemSerializer", "model", "Item"),),
    migration_tables=("item",),
    module_uses=("deps.get_db",),
)  # fmt: skip


def test_stored_facts_read_back_equal_and_hashable() -> None:
    back = deserialize(serialize(FACTS))
    assert back == FACTS
    assert isinstance(back.symbols[0].bases, tuple)
    assert hash(back.symbols) == hash(FACTS.symbols)


def test_an_unreadable_blob_is_left_out() -> None:
    store = IndexStore(None)
    store.put_serialized(
        [(FileRow("a.py", "h1", 1, 1), serialize(FACTS)), (FileRow("b.py", "h2", 1, 1), b"\xff")]
    )
    assert set(store.facts(["h1", "h2"])) == {"h1"}
