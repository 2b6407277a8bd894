"""Syntax regressions introduced by an edit, and the --diff rendering."""

from __future__ import annotations

from backend_lsp.agent.edits import introduces_syntax_errors, unified_diff

GOOD = "def handler(request):\n    data = request.json()\n    return {'ok': True}\n"


def test_clean_edit_reports_nothing() -> None:
    after = GOOD.replace("{'ok': True}", "{'ok': True, 'n': len(data)}")
    assert introduces_syntax_errors("python", GOOD, after) == []


def test_unbalanced_paren_is_reported_with_line_number() -> None:
    after = GOOD.replace("request.json()", "request.json(")
    problems = introduces_syntax_errors("python", GOOD, after)
    assert problems, "a missing ')' must be detected"
    assert all(p.startswith("line ") for p in problems)
    assert any(p.startswith(("line 2", "line 3")) for p in problems)


def test_missing_token_is_named() -> None:
    problems = introduces_syntax_errors("python", "x = 1\n", "def f(:\n    return 1\n")
    assert any("missing ')'" in p and p.startswith("line 1") for p in problems)


def test_pre_existing_error_elsewhere_is_not_blamed_on_the_edit() -> None:
    before = "def broken(:\n    pass\n\n\nvalue = 1\n"
    after = "import os\n\n" + before.replace("value = 1", "value = 2")
    assert introduces_syntax_errors("python", before, after) == []


def test_new_error_next_to_old_one_is_still_reported() -> None:
    before = "def broken(:\n    pass\n\nx = 1\n"
    after = before.replace("x = 1", "x = [1,\ny = 2")
    assert introduces_syntax_errors("python", before, after)


def test_other_languages_and_unknown_language() -> None:
    js_before = "function f(a) { return a + 1; }\n"
    js_after = "function f(a) { return a + ; }\n"
    assert introduces_syntax_errors("javascript", js_before, js_after)
    assert introduces_syntax_errors("go", "package m\n", "package m\nfunc f( {\n")
    assert introduces_syntax_errors("cobol", "a", "(((") == []
    assert introduces_syntax_errors(None, "a", "(((") == []


def test_message_count_is_capped() -> None:
    after = "".join(f"x{i} = (\n" for i in range(200)) + "def f(:\n"
    assert 1 <= len(introduces_syntax_errors("python", "", after)) <= 10


def test_unified_diff_shape_and_roundtrip() -> None:
    after = GOOD.replace("return {'ok': True}", "return {'ok': False}")
    diff = unified_diff("app/views.py", GOOD, after)
    lines = diff.splitlines()
    assert lines[0] == "--- a/app/views.py" and lines[1] == "+++ b/app/views.py"
    assert "-    return {'ok': True}" in lines and "+    return {'ok': False}" in lines
    assert lines[2] == "@@ -1,3 +1,3 @@"


def test_unified_diff_empty_and_no_trailing_newline() -> None:
    assert unified_diff("a.py", GOOD, GOOD) == ""
    diff = unified_diff("a.py", "x = 1", "x = 2")
    assert diff.count("\\ No newline at end of file") == 2
    assert diff.endswith("\n")
