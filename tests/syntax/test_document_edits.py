"""Incremental reparses equal a fresh parse, including line edits reported one byte earlier."""

from __future__ import annotations

import random

import pytest
from tree_sitter import Node, Parser

from backend_lsp.syntax.document import ParsedDocument, TextChange, _tree_edit
from backend_lsp.syntax.languages import get_language

MODULE = """import os


@app.get("/items/{item_id}")
def read_item(item_id: int, db=Depends(get_db)):
    rows = db.execute(f"SELECT * FROM items WHERE id = {item_id}").fetchall()
    for row in rows:
        try:
            audit(row)
        except Exception:
            pass

    return {"rows": rows}


class Item(Base):
    name = Column(String)
"""
LINES = ("# edited\n", "    x = 1\n", "\n", "def g():\n", "        pass\n", "    (\n", "é = 'ü'\n")


def shape(node: Node) -> list[tuple[str, int, int, tuple[int, int], tuple[int, int]]]:
    out = []
    stack = [node]
    while stack:
        n = stack.pop()
        out.append((n.type, n.start_byte, n.end_byte, n.start_point[:2], n.end_point[:2]))
        stack.extend(reversed(n.children))
    return out


@pytest.mark.parametrize(
    ("source", "start", "end", "new"),
    [
        (b"a\nb\n", 2, 2, b"x\n"),  # line inserted before b
        (b"a\nb\nc\n", 2, 4, b""),  # line b deleted
        (b"a\nb\nc\n", 2, 4, b"y\nz\n"),  # line b replaced by two
        (b"a\nb\n", 3, 3, b"x\n"),  # not at a line start: as is
        (b"a\nb\n", 2, 2, b"x"),  # not a whole line: as is
        (b"a\nb\n", 0, 0, b"x\n"),  # at the very start: as is
    ],
)
def test_reported_edit_describes_the_same_text(
    source: bytes, start: int, end: int, new: bytes
) -> None:
    edit_start, old_end, new_end = _tree_edit(source, start, end, new)
    expected = source[:start] + new + source[end:]
    reported_new = expected[edit_start:new_end]
    assert source[:edit_start] + reported_new + source[old_end:] == expected
    assert old_end - edit_start == end - start
    assert new_end - edit_start == len(new)


@pytest.mark.parametrize("seed", range(4))
def test_incremental_tree_equals_fresh_parse(seed: int) -> None:
    rng = random.Random(seed)
    document = ParsedDocument(MODULE * 3, "python", 1)
    parser = Parser(get_language("python"))
    for _ in range(60):
        assert document.tree is not None  # parsed now: the next edit applies to a tree
        index = document.index
        line = rng.randrange(index.line_count)
        start = index.line_start(line)
        op = rng.random()
        if op < 0.5:
            change = TextChange(start, start, rng.choice(LINES))
        elif op < 0.7:
            change = TextChange(start, index.line_start(line + rng.randint(1, 3)), "")
        elif op < 0.85:
            change = TextChange(start, index.line_start(line + 1), rng.choice(LINES))
        else:
            a = rng.randint(start, index.line_end(line))
            change = TextChange(a, min(index.line_end(line), a + 2), rng.choice(("", "(", "x")))
        document.apply(change, document.version + 1)
        root = document.root
        assert root is not None
        assert shape(root) == shape(parser.parse(document.source).root_node)
