"""Which names a definition's ``uses`` keep: every one that can resolve, none that cannot."""

from __future__ import annotations

import textwrap

from tree_sitter import Parser

from backend_lsp.index.facts import FileFacts
from backend_lsp.index.python import extract_python
from backend_lsp.syntax.languages import get_language

SOURCE = textwrap.dedent(
    '''
    import os.path
    from app import crud
    from app.models import Item, Items as Many
    from app.star import *

    LIMIT = 10
    café = 1

    def helper(item, items):
        """Mentions Item and crud in a docstring."""
        # Item in a comment, and crud too
        local = item.Item + items  # `Item` here is a member of `item`
        return crud.get(local), Many, "Item", LIMIT, café, os.path.join("a")

    def handler(session):
        data = helper(session, session)
        return data.crud, Itemized, LIMITS, print(data)
    '''
)


def _facts() -> FileFacts:
    grammar = get_language("python")
    assert grammar is not None
    source = SOURCE.encode("utf-8")
    return extract_python(source, Parser(grammar).parse(source).root_node, "app/views.py")


def _uses(name: str) -> list[str]:
    return list(next(s for s in _facts().symbols if s.name == name).uses)


def test_bare_uses_are_the_top_level_and_imported_names_in_code_order() -> None:
    assert [u for u in _uses("helper") if "." not in u] == ["crud", "Many", "LIMIT", "café", "os"]


def test_members_strings_comments_and_longer_words_are_not_uses() -> None:
    uses = _uses("handler")
    assert "helper" in uses
    # data.crud is a member; Itemized/LIMITS only contain a name; print, data, session are
    # not defined or imported here, so they cannot resolve.
    assert not {"crud", "Item", "LIMIT", "print", "data", "session"} & set(uses)
    assert "data.crud" in uses  # a dotted use is kept whatever its head


def test_dotted_uses_and_module_level_names_are_kept() -> None:
    assert {"crud.get", "os.path"} <= set(_uses("helper"))
    facts = _facts()
    assert {"os", "crud", "Item", "Many"} <= set(facts.module_uses)  # the import lines
