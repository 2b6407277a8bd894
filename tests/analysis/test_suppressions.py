"""Suppression comments and per-path settings, through ``engine.analyze_document``.

The snippets call ``requests`` without a timeout (BE007) and build SQL from a
request argument, the shape a Flask view has, so real rules fire and the
tests show which ones the comments silence.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from backend_lsp.analysis.suppressions import noqa_edit
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import analyze_document
from backend_lsp.syntax.document import ParsedDocument
from backend_lsp.text import LineIndex

FETCH = """\
import requests


def fetch_profile(user_id):
    return requests.get(f"https://api.internal/users/{user_id}"){comment}
"""


def codes(
    source: str,
    path: str = "app/views.py",
    root: Path | None = None,
    **settings: object,
) -> list[str]:
    document = ParsedDocument(textwrap.dedent(source), "python")
    found = analyze_document(path, document, AnalysisSettings.model_validate(settings), root=root)
    return [f.code for f in found]


def fetch(comment: str) -> str:
    return FETCH.replace("{comment}", comment)


def test_the_unsuppressed_snippet_fires() -> None:
    assert codes(fetch("")) == ["BE007"]


def test_noqa_with_the_code_silences_it() -> None:
    assert codes(fetch("  # noqa: BE007")) == []


def test_noqa_with_several_codes_and_lowercase_keyword() -> None:
    assert codes(fetch("  # NoQA: E501, BE007")) == []
    assert codes(fetch("  # noqa:BE004,BE007")) == []


def test_noqa_with_another_code_keeps_the_finding() -> None:
    assert codes(fetch("  # noqa: BE004")) == ["BE007"]


def test_bare_noqa_silences_everything_on_the_line() -> None:
    assert codes(fetch("  # noqa")) == []


def test_noqa_colon_without_codes_silences_nothing() -> None:
    assert codes(fetch("  # noqa:")) == ["BE007"]


def test_backend_lsp_ignore_forms() -> None:
    assert codes(fetch("  # backend-lsp: ignore[BE007]")) == []
    assert codes(fetch("  # backend-lsp: ignore[BE001]")) == ["BE007"]
    assert codes(fetch("  # backend-lsp: ignore")) == []


def test_noqa_on_another_line_does_not_apply() -> None:
    source = fetch("").replace("import requests\n", "import requests  # noqa: BE007\n")
    assert codes(source) == ["BE007"]


def test_noqa_inside_a_string_is_not_a_comment() -> None:
    source = """\
    import requests


    def fetch_profile(user_id):
        return requests.get("https://api.internal/users#noqa", params={"id": user_id})
    """
    assert codes(source) == ["BE007"]


def test_noqa_on_the_last_line_of_a_multiline_call() -> None:
    source = """\
    import requests


    def fetch_profile(user_id):
        return requests.get(
            "https://api.internal/users",
            params={"id": user_id},
        )  # noqa: BE007
    """
    assert codes(source) == []


def test_skip_file_silences_the_whole_file() -> None:
    assert codes("# backend-lsp: skip-file\n" + fetch("")) == []


def test_skip_file_in_a_docstring_does_not_count() -> None:
    assert codes('"""# backend-lsp: skip-file"""\n' + fetch("")) == ["BE007"]


def test_unused_noqa_is_reported_only_when_selected() -> None:
    source = fetch("  # noqa: BE004, BE007, E501")
    assert codes(source) == []
    document = ParsedDocument(source, "python")
    found = analyze_document(
        "app/views.py", document, AnalysisSettings.model_validate({"select": ["BE0", "BE100"]})
    )
    assert [f.code for f in found] == ["BE100"]
    assert "unused code BE004" in found[0].message
    assert "E501" not in found[0].message  # another tool's code is not ours to judge
    assert found[0].fix is not None
    assert found[0].fix.edits[0].new_text == "# noqa: BE007, E501"


def test_unknown_and_not_enabled_codes_are_named() -> None:
    source = fetch("  # noqa: BE999, BE007")
    document = ParsedDocument(source, "python")
    found = analyze_document(
        "app/views.py", document, AnalysisSettings.model_validate({"select": ["BE100"]})
    )
    assert len(found) == 1
    assert "unknown code BE999" in found[0].message
    assert "BE007 is not enabled" in found[0].message


def test_fully_unused_noqa_fix_removes_the_comment() -> None:
    source = "import os  # noqa: BE004\n"
    document = ParsedDocument(source, "python")
    found = analyze_document(
        "app/views.py", document, AnalysisSettings.model_validate({"select": ["BE"]})
    )
    assert [f.code for f in found] == ["BE100"]
    assert found[0].fix is not None
    edit = found[0].fix.edits[0]
    fixed = source.encode()[: edit.start] + edit.new_text.encode() + source.encode()[edit.end :]
    assert fixed.decode().rstrip() == "import os"


# Lines a team already reviewed under another tool's code for the same problem
# (``foreign_suppressions``: off by default; a ``# nosec Bnnn`` naming its check is on).
FOREIGN = {"foreign_suppressions": True}


def test_foreign_codes_are_not_honoured_by_default() -> None:
    assert codes(fetch("  # noqa: S113")) == ["BE007"]  # ruff --add-noqa writes these
    assert codes(fetch("  # nosec")) == ["BE007"]  # names no check


# Bandit's comment names the check the line was reviewed for (privacyidea's style).
REVIEWED_NOSEC = """\
class Config:
    SMTP_PASSWORD = "k7#Qp2!vX9zL"  # nosec B105 # relay on localhost, no auth
"""


def test_a_nosec_naming_the_bandit_check_is_honoured_by_default() -> None:
    assert codes(REVIEWED_NOSEC, path="app/config.py") == []
    assert codes(fetch("  # nosec B113 # internal service, the caller sets a deadline")) == []
    assert codes(fetch("  # nosec: B105, B113")) == []


def test_a_nosec_for_another_check_keeps_the_finding() -> None:
    # B310 (urlopen scheme) is not the missing timeout BE007 reports.
    assert codes(fetch("  # nosec B310 # no user input")) == ["BE007"]
    assert codes(REVIEWED_NOSEC.replace("B105", "B608"), path="app/config.py") == ["BE008"]


def test_reviewed_nosec_can_be_switched_off() -> None:
    assert codes(REVIEWED_NOSEC, path="app/config.py", honour_nosec_codes=False) == ["BE008"]
    assert codes(fetch("  # nosec B113"), honour_nosec_codes=False) == ["BE007"]


SECRET = """\
SMTP_PASSWORD = "k7#Qp2!vX9zL"{comment}
"""


def test_ruff_bandit_code_for_the_same_problem_silences_it() -> None:
    assert codes(fetch("  # noqa: S113"), **FOREIGN) == []
    secret = SECRET.replace("{comment}", "  # noqa: S105")
    assert codes(secret, path="app/config.py", **FOREIGN) == []


def test_a_foreign_code_for_another_problem_keeps_the_finding() -> None:
    assert codes(fetch("  # noqa: S105")) == ["BE007"]
    assert codes(SECRET.replace("{comment}", "  # noqa: S113"), path="app/config.py") == ["BE008"]
    # In a noqa comment ``B`` codes are flake8-bugbear's, not Bandit's.
    assert codes(fetch("  # noqa: B113")) == ["BE007"]


def test_bandit_nosec_forms() -> None:
    assert codes(fetch("  # nosec"), **FOREIGN) == []
    assert codes(fetch("  # nosec B113"), **FOREIGN) == []
    assert codes(fetch("  # nosec: B105, B113"), **FOREIGN) == []
    assert codes(fetch("  # nosec B608"), **FOREIGN) == ["BE007"]


def test_bare_nosec_covers_only_what_bandit_checks() -> None:
    source = """\
    def notify(users):
        for user in users:
            Profile.objects.get(user=user)  # nosec
    """
    assert codes(source, path="app/services.py", **FOREIGN) == ["BE004"]  # Bandit: no N+1 check


def test_foreign_directives_are_never_reported_unused() -> None:
    source = "import os  # noqa: S105  # nosec B608\n"
    document = ParsedDocument(source, "python")
    found = analyze_document(
        "app/views.py",
        document,
        AnalysisSettings.model_validate({"select": ["BE"], **FOREIGN}),
    )
    assert found == []


def test_per_file_ignores_match_relative_to_the_root(tmp_path: Path) -> None:
    path = str(tmp_path / "tests" / "test_views.py")
    settings = {"per_file_ignores": {"tests/**": ["BE007"]}}
    assert codes(fetch(""), path=path, root=tmp_path, **settings) == []
    other = str(tmp_path / "app" / "views.py")
    assert codes(fetch(""), path=other, root=tmp_path, **settings) == ["BE007"]


def test_per_file_ignores_take_prefixes_and_basenames(tmp_path: Path) -> None:
    path = str(tmp_path / "pkg" / "conftest.py")
    assert (
        codes(fetch(""), path=path, root=tmp_path, per_file_ignores={"conftest.py": ["BE"]}) == []
    )


def test_exclude_and_extend_exclude(tmp_path: Path) -> None:
    path = str(tmp_path / "shop" / "migrations" / "0002_backfill.py")
    assert codes(fetch(""), path=path, root=tmp_path, exclude=["**/migrations/"]) == []
    assert codes(fetch(""), path=path, root=tmp_path, extend_exclude=["shop/"]) == []
    assert codes(fetch(""), path=path, root=tmp_path, exclude=["tests/"]) == ["BE007"]


def test_noqa_edit_adds_a_comment() -> None:
    source = b"x = requests.get(url)\n"
    edit = noqa_edit(source, LineIndex(source), 0, "BE007")
    assert source[: edit.start] + edit.new_text.encode() + source[edit.end :] == (
        b"x = requests.get(url)  # noqa: BE007\n"
    )


def test_noqa_edit_extends_an_existing_list() -> None:
    source = b"x = requests.get(url)  # noqa: E501 -- long URL\n"
    edit = noqa_edit(source, LineIndex(source), 0, "BE007")
    assert source[: edit.start] + edit.new_text.encode() + source[edit.end :] == (
        b"x = requests.get(url)  # noqa: E501, BE007 -- long URL\n"
    )
