"""Anchored hunks -> byte edits: exact, whitespace-tolerant, uniqueness, all-or-nothing."""

from __future__ import annotations

import pytest

from backend_lsp.agent.edits import (
    EditError,
    Hunk,
    apply_edits,
    apply_hunks,
    match_hunks,
    plan_edits,
)

SOURCE = """\
import sqlite3


class Repo:
    def get(self, user_id):
        cur = self.db.execute("SELECT * FROM users WHERE id = ?", (user_id,))
        return cur.fetchone()

    def all(self):
        return self.db.execute("SELECT * FROM users").fetchall()
"""


def test_exact_match_replaces_only_quoted_text() -> None:
    hunk = Hunk('"SELECT * FROM users WHERE id = ?"', '"SELECT id, name FROM users WHERE id = ?"')
    after = apply_hunks(SOURCE, [hunk])
    assert "SELECT id, name FROM users WHERE id = ?" in after
    assert 'execute("SELECT * FROM users").fetchall()' in after
    assert after.count("\n") == SOURCE.count("\n")


def test_edits_are_utf8_byte_offsets_and_roundtrip() -> None:
    text = "name = 'héllo wörld'  # ünïcode 🚀\nvalue = 1\n"
    edits = match_hunks(text, [Hunk("value = 1", "value = 2")])
    assert len(edits) == 1
    data = text.encode()
    assert data[edits[0].start : edits[0].end] == b"value = 1"
    assert apply_edits(text, edits) == text.replace("value = 1", "value = 2")


def test_whitespace_tolerant_match_reindents_to_live_indentation() -> None:
    # The model quoted the method dedented and with a trailing space.
    hunk = Hunk(
        search='def all(self):  \n    return self.db.execute("SELECT * FROM users").fetchall()\n',
        replace=(
            "def all(self, limit=100):\n"
            "    return self.db.execute(\n"
            '        "SELECT id, name FROM users LIMIT ?", (limit,)\n'
            "    ).fetchall()\n"
        ),
    )
    after = apply_hunks(SOURCE, [hunk])
    assert "    def all(self, limit=100):\n        return self.db.execute(\n" in after
    assert (
        '            "SELECT id, name FROM users LIMIT ?", (limit,)\n        ).fetchall()\n'
        in after
    )
    assert after.endswith(").fetchall()\n")  # the file's final newline is kept


def test_search_with_more_indent_than_live_matches_tolerantly() -> None:
    text = "def f():\n  if x:\n    return 1\n  return 2\n"
    after = apply_hunks(
        text, [Hunk("    if x:\n        return 1\n", "    if x:\n        return 3\n")]
    )
    assert after == "def f():\n  if x:\n    return 3\n  return 2\n"


def test_indented_single_line_search_does_not_land_mid_indentation() -> None:
    text = "class A:\n    def f(self):\n        return x\n"
    after = apply_hunks(
        text,
        [Hunk("    return x\n", "    if x is None:\n        raise ValueError\n    return x\n")],
    )
    assert after == (
        "class A:\n    def f(self):\n        if x is None:\n"
        "            raise ValueError\n        return x\n"
    )


def test_ambiguous_exact_match_names_hunk_and_lines() -> None:
    with pytest.raises(EditError) as info:
        match_hunks(SOURCE, [Hunk("return cur.fetchone()", "return 1"), Hunk("self.db", "db")])
    message = str(info.value)
    assert "hunk 2" in message and "ambiguous" in message
    assert "lines 6, 10" in message


def test_ambiguous_tolerant_match_is_refused() -> None:
    text = "def a():\n    x = 1\n    return x\n\ndef b():\n        x = 1\n        return x\n"
    with pytest.raises(EditError, match=r"hunk 1 .*ambiguous.*lines 2, 6"):
        match_hunks(text, [Hunk("  x = 1\n  return x", "  return 1")])


def test_missing_search_says_which_hunk() -> None:
    with pytest.raises(
        EditError, match=r"hunk 2 \(search starting 'def nope\(\):'\) was not found"
    ):
        match_hunks(
            SOURCE,
            [
                Hunk("import sqlite3", "import sqlite3\nimport os"),
                Hunk("def nope():\n    pass", ""),
            ],
        )


def test_overlapping_hunks_are_refused() -> None:
    with pytest.raises(EditError, match="hunks 1 and 2 overlap"):
        match_hunks(
            SOURCE,
            [
                Hunk("def get(self, user_id):", "def get(self, uid):"),
                Hunk("user_id):\n        cur", "uid):\n        cur"),
            ],
        )


def test_empty_search_and_empty_answer_are_errors() -> None:
    with pytest.raises(EditError, match="hunk 1 has an empty search"):
        match_hunks(SOURCE, [Hunk("  \n", "x = 1\n")])
    with pytest.raises(EditError, match="no edits"):
        match_hunks(SOURCE, [])


def test_all_or_nothing_when_a_later_hunk_fails() -> None:
    before = SOURCE
    with pytest.raises(EditError):
        apply_hunks(before, [Hunk("import sqlite3", "import os"), Hunk("missing()", "x")])
    assert before == SOURCE


def test_multiple_hunks_apply_together_in_document_order() -> None:
    edits = match_hunks(
        SOURCE, [Hunk("def all(self):", "def every(self):"), Hunk("import sqlite3", "import os")]
    )
    assert [e.start for e in edits] == sorted(e.start for e in edits)
    after = apply_edits(SOURCE, edits)
    assert after.startswith("import os\n") and "def every(self):" in after


def test_noop_hunk_is_validated_but_produces_no_edit() -> None:
    assert match_hunks(SOURCE, [Hunk("import sqlite3", "import sqlite3")]) == []
    with pytest.raises(EditError):
        match_hunks(SOURCE, [Hunk("import nothing", "import nothing")])


def test_crlf_document_keeps_crlf_line_breaks() -> None:
    text = SOURCE.replace("\n", "\r\n")
    hunk = Hunk(
        '    def all(self):\n        return self.db.execute("SELECT * FROM users").fetchall()\n',
        '    def all(self):\n        rows = self.db.execute("SELECT id FROM users")\n'
        "        return rows.fetchall()\n",
    )
    after = apply_hunks(text, [hunk])
    assert "\n" not in after.replace("\r\n", "")
    assert '        rows = self.db.execute("SELECT id FROM users")\r\n' in after


def test_crlf_document_tolerant_match() -> None:
    text = "def f():\r\n    a = 1   \r\n    return a\r\n"
    after = apply_hunks(text, [Hunk("a = 1\nreturn a", "a = 2\nreturn a")])
    assert after == "def f():\r\n    a = 2\r\n    return a\r\n"


def test_unicode_search_and_replacement() -> None:
    text = "def greet():\n    return 'grüße 👋'\n\nOTHER = 'ß'\n"
    edits = match_hunks(text, [Hunk("  return 'grüße 👋'", "  return 'hallo 🌍'")])
    assert apply_edits(text, edits) == text.replace("grüße 👋", "hallo 🌍")
    assert text.encode()[edits[0].start : edits[0].end].decode().strip() == "return 'grüße 👋'"


def test_deleting_whole_lines_leaves_no_blank_line() -> None:
    text = "a = 1\n    b = 2\nc = 3\n"
    assert apply_hunks(text, [Hunk("b = 2\n", "")]) == "a = 1\nc = 3\n"  # exact, indent dropped
    assert apply_hunks(text, [Hunk("  b = 2  \n", "")]) == "a = 1\nc = 3\n"  # tolerant: lines


def test_hunks_accept_mappings_from_tool_input() -> None:
    after = apply_hunks(SOURCE, [{"search": "import sqlite3", "replace": "import sqlite3 as db"}])
    assert after.startswith("import sqlite3 as db\n")
    with pytest.raises(EditError, match="string fields"):
        match_hunks(SOURCE, [{"search": "import sqlite3"}])


def test_plan_edits_reanchors_after_user_typed_elsewhere() -> None:
    live = "# a comment the user added\n\n" + SOURCE.replace(
        "import sqlite3", "import sqlite3\nimport os"
    )
    hunk = Hunk("def all(self):", "def every(self):")
    edits = plan_edits(SOURCE, live, [hunk])
    after = apply_edits(live, edits)
    assert after.startswith("# a comment the user added\n")
    assert "def every(self):" in after and "import os" in after


def test_plan_edits_refuses_when_anchor_was_edited() -> None:
    live = SOURCE.replace("def all(self):", "def all_users(self):")
    with pytest.raises(EditError, match=r"document changed .*hunk 1 .*not found"):
        plan_edits(SOURCE, live, [Hunk("def all(self):", "def every(self):")])


def test_plan_edits_refuses_when_anchor_became_ambiguous() -> None:
    live = SOURCE + "\n\ndef all(self):\n    pass\n"
    with pytest.raises(EditError, match=r"document changed .*ambiguous"):
        plan_edits(SOURCE, live, [Hunk("def all(self):", "def every(self):")])


def test_plan_edits_on_unchanged_text_reports_plain_errors() -> None:
    with pytest.raises(EditError) as info:
        plan_edits(SOURCE, SOURCE, [Hunk("nothing here", "x")])
    assert "changed" not in str(info.value)


def test_tab_indented_document_gets_tabs_in_replacement() -> None:
    text = "func f() {\n\tif x {\n\t\treturn 1\n\t}\n}\n"
    hunk = Hunk(
        "    if x {\n        return 1\n    }", "    if x {\n        y()\n        return 2\n    }"
    )
    assert apply_hunks(text, [hunk]) == "func f() {\n\tif x {\n\t\ty()\n\t\treturn 2\n\t}\n}\n"
