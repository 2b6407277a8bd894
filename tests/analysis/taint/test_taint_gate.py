"""The engine's cheap gate (``engine._SOURCE_MARKERS``) skips files that cannot see request
data. Every way code names the request must still get through it (a gate that is too
tight loses real flows silently); a file that only talks *about* requests is skipped,
which shows as no facts at all (an analysed file has one per expression it evaluated)."""

from __future__ import annotations

import pytest

from backend_lsp.analysis.taint.engine import file_taint
from backend_lsp.syntax.document import ParsedDocument


def _taint(code: str):  # type: ignore[no-untyped-def]
    document = ParsedDocument(code, "python")
    assert document.root is not None
    return file_taint(document.source, document.root)


FLOWING = {
    "flask global": (
        "import os\nfrom flask import request\n\ndef run():\n    os.system(request.args['cmd'])\n"
    ),
    "django view parameter": (
        "import os\n\ndef run(request):\n    os.system(request.GET['cmd'])\n"
    ),
    "parameter with others": (
        "import os\n\ndef run(request, pk):\n    os.system(request.POST['cmd'] + pk)\n"
    ),
    "signature over lines": (
        "import os\n\ndef run(\n    request\n):\n    os.system(request.GET['cmd'])\n"
    ),
    "annotated parameter": (
        "import os\nfrom starlette.requests import Request\n\n"
        "async def run(request: Request):\n    os.system(request.query_params['cmd'])\n"
    ),
    "class-based view": (
        "import os\nfrom django.views import View\n\n"
        "class Run(View):\n    def get(self, *args):\n"
        "        os.system(self.request.GET['cmd'])\n"
    ),
    "console input": "import os\n\nos.system(input('command: '))\n",
    "route decorator only": (
        "import os\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/run')\ndef run(cmd: str):\n    os.system(cmd)\n"
    ),
}


@pytest.mark.parametrize("code", FLOWING.values(), ids=FLOWING.keys())
def test_every_way_of_naming_the_request_is_analysed(code: str) -> None:
    flows = _taint(code).flows
    assert [flow.category for flow in flows] == ["command"]


TALKING_ABOUT_REQUESTS = {
    "prose": (
        'def retry(send):\n    """Send the request to the server again."""\n    return send()\n'
    ),
    "http client": (
        "import requests\n\ndef fetch(url):\n    return requests.get(url, timeout=5).text\n"
    ),
    "names that contain the word": (
        "def tag(request_id, requester):\n    return f'{request_id}-{requester}'\n"
    ),
    "a method called input": "def read(widget):\n    return widget.input('x')\n",
}


@pytest.mark.parametrize("code", TALKING_ABOUT_REQUESTS.values(), ids=TALKING_ABOUT_REQUESTS.keys())
def test_files_that_only_mention_requests_skip_the_engine(code: str) -> None:
    result = _taint(code)
    assert not result.flows
    assert not result.facts


def test_an_analysed_file_without_flows_still_has_facts() -> None:
    """What the test above relies on: facts tell an analysed file from a skipped one."""
    result = _taint("def view(request):\n    return request.GET.get('page', '1')\n")
    assert not result.flows
    assert result.facts
