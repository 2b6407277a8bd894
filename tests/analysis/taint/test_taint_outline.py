"""The engine's outline (functions, called names, body models) is remembered per top-level
statement: after edits it must equal the outline computed from scratch."""

from __future__ import annotations

from backend_lsp.analysis.taint.outline import outline
from backend_lsp.syntax.document import ParsedDocument, TextChange

SOURCE = """from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    name: str


def normalise(value):
    def strip(text):
        return text.strip()

    return strip(value)


@app.post("/items")
def create(item: Item):
    return normalise(item.name)


def normalise(value):
    return value.lower()
"""


def _view(source: str) -> tuple[list[tuple[str, int, int]], set[str], frozenset[str]]:
    document = ParsedDocument(source, "python", 1)
    root = document.snapshot().tree.root_node
    found = outline(document.source, root)
    fresh = outline(document.source, root, remember=False)
    assert found.functions == fresh.functions
    assert found.called == fresh.called and found.models == fresh.models
    return (
        [(name, node.start_byte, node.end_byte) for name, node in found.functions.items()],
        found.called,
        found.models,
    )


def test_nested_decorated_and_redefined_functions_are_found() -> None:
    functions, called, models = _view(SOURCE)
    names = [name for name, _, _ in functions]
    assert names == ["normalise", "strip", "create"]
    last = SOURCE.rindex("def normalise")
    assert functions[0][1] == len(SOURCE[:last].encode())  # the last definition wins
    assert called == {"FastAPI", "strip", "normalise"}
    assert models == frozenset({"Item"})


def test_a_remembered_outline_follows_moved_and_edited_statements() -> None:
    _view(SOURCE)
    document = ParsedDocument(SOURCE, "python", 1)
    at = SOURCE.index("class Item")
    document.apply(TextChange(at, at, "# models\n\n"), 2)
    at = document.text.index("return strip(value)")
    document.apply(TextChange(at, at + len("return strip(value)"), "return clean(value)"), 3)
    functions, called, _ = _view(document.text)
    assert "clean" in called and "strip" not in called
    text = document.text.encode()
    for name, start, end in functions:
        assert text[start:end].startswith(b"def " + name.encode())
