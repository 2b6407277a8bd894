# mypy: disable-error-code="index"
# (command results and CodeAction.data are LSPAny: Any | None; indexing them is the test)
"""The two paths of the agent's LSP flow that create no ordinary edit.

New files (design-api, write-tests): a ``CreateFile`` plus an edit into it, only
inside the workspace and only for a client that declares it can create files.
Offline (no key, no base URL): explain, review-security and optimize-query
answer from the analyzer without a single request to the API.
"""

from __future__ import annotations

from pathlib import Path

import fake_anthropic as fa
from lspa_support import agent_caps, editor_session, run_args, whole_line
from lsprotocol import types

RUN = "backend-lsp.runAction"
MODELS = "app/models.py"
REVIEWS = "app/routes/reviews.py"
REVIEWS_CODE = '''\
"""Product reviews."""

from fastapi import APIRouter

router = APIRouter(prefix="/products/{product_id}/reviews", tags=["reviews"])


@router.get("")
def list_reviews(product_id: int) -> list[dict[str, object]]:
    return []
'''


def _run(uri: str, action: str, rng: types.Range, version: int = 1) -> types.ExecuteCommandParams:
    return types.ExecuteCommandParams(command=RUN, arguments=[run_args(uri, version, action, rng)])


def _line_of(path: Path, prefix: str) -> int:
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith(prefix))


def _messages(client: object, kind: types.MessageType) -> list[str]:
    found = client.messages  # type: ignore[attr-defined]
    return [m.message for m in found if m.type == kind]


# -- new files --------------------------------------------------------------------------------


async def test_lspa_design_api_creates_the_file_inside_the_workspace(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    answer = {
        "new_files": [{"path": REVIEWS, "content": REVIEWS_CODE}],
        "summary": "a reviews router",
    }
    fake.push(fa.tool_stream(answer))
    models = shop / MODELS
    uri = models.as_uri()
    text = models.read_text()
    agent = {"needsConfirmation": False}
    async with editor_session(
        shop, tmp_path / "cache", fake_url=fake.base_url, agent=agent
    ) as editor:
        editor.open(uri, text)
        line = _line_of(models, "class Product(")
        result = await editor.client.workspace_execute_command_async(
            _run(uri, "design-api", whole_line(line))
        )
        assert result["ok"] and result["applied"], result
        assert result["newFiles"] == [REVIEWS] and result["edits"] == 0
        [edit] = editor.edits
        create, fill = edit.document_changes or []
        target = (shop / REVIEWS).resolve().as_uri()
        assert isinstance(create, types.CreateFile) and create.uri == target
        assert create.options is not None and create.options.overwrite is False
        assert create.annotation_id is not None
        assert isinstance(fill, types.TextDocumentEdit) and fill.text_document.uri == target
        [insert] = fill.edits
        assert isinstance(insert, types.AnnotatedTextEdit) and insert.new_text == REVIEWS_CODE
        assert insert.range.start == insert.range.end == types.Position(line=0, character=0)
        annotation = (edit.change_annotations or {})[create.annotation_id]
        assert annotation.label == "Backend agent: Design API"
        assert annotation.needs_confirmation is False  # the setting, not a constant
        assert annotation.description == "a reviews router"
        assert editor.created == {target: REVIEWS_CODE}
        assert editor.text(uri) == text  # the model file itself is untouched
        assert not (shop / REVIEWS).exists()  # the editor creates it, never the server
    assert len(fake.message_requests) == 1


ESCAPES = ("../escape.py", "app/../../escape.py", "/tmp/escape.py", "linked/escape.py")


async def test_lspa_new_file_outside_the_workspace_is_refused(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (shop / "linked").symlink_to(outside, target_is_directory=True)  # resolves outside
    for path in ESCAPES:
        answer = {"new_files": [{"path": path, "content": "x = 1\n"}], "summary": "escape"}
        fake.push(fa.tool_stream(answer))
    models = shop / MODELS
    uri = models.as_uri()
    rng = whole_line(_line_of(models, "class Product("))
    reasons = ("outside the workspace", "must not contain '..'", "relative to the workspace")
    async with editor_session(shop, tmp_path / "cache", fake_url=fake.base_url) as editor:
        editor.open(uri, models.read_text())
        for number, path in enumerate(ESCAPES, 1):
            result = await editor.client.workspace_execute_command_async(
                _run(uri, "design-api", rng)
            )
            assert result["ok"] is False, (path, result)
            errors = _messages(editor.client, types.MessageType.Error)
            assert len(errors) == number
            assert any(reason in errors[-1] for reason in reasons), errors[-1]
            assert repr(path) in errors[-1]  # names what the model asked for
        assert editor.edits == [] and editor.created == {}
    assert len(fake.message_requests) == len(ESCAPES)  # no retry of a refused answer
    assert list(outside.iterdir()) == [] and not (tmp_path / "escape.py").exists()


async def test_lspa_new_files_need_a_client_that_can_create_them(
    shop: Path, tmp_path: Path, fake: fa.FakeAnthropic
) -> None:
    caps = agent_caps()
    assert caps.workspace is not None
    caps.workspace.workspace_edit = types.WorkspaceEditClientCapabilities(document_changes=True)
    products = shop / "app/routes/products.py"
    uri = products.as_uri()
    async with editor_session(
        shop, tmp_path / "cache", fake_url=fake.base_url, caps=caps
    ) as editor:
        editor.open(uri, products.read_text())
        line = _line_of(products, "def get_product(")
        result = await editor.client.workspace_execute_command_async(
            _run(uri, "write-tests", whole_line(line))
        )
        assert result["ok"] is False and result["kind"] == "unsupported", result
        [error] = _messages(editor.client, types.MessageType.Error)
        assert "cannot create files" in error
        # a command the user can paste: the action, the file and the lines
        assert f"backend-lsp run write-tests app/routes/products.py:{line + 1}-{line + 1}" in error
        assert "--apply" in error
        assert editor.edits == [] and editor.created == {}
    assert fake.message_requests == []  # refused before spending tokens
