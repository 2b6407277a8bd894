"""Two look-alikes of request data: an SVG response is HTML to the browser (its scripts
run), so request text in one is XSS like in ``text/html``; Django's
``UploadedFile.temporary_file_path()`` names the server's own temp file, not the client's."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

DJANGO = """
import os
from django.http import HttpResponse
"""

CASES = {
    "svg built from a query parameter": (
        "BE020",
        """
def badge(request):
    label = request.GET.get("label", "ok")
    return HttpResponse(f"<svg><text>{label}</text></svg>", content_type="image/svg+xml")
""",
        True,
    ),
    "xhtml built from a query parameter": (
        "BE020",
        """
def page(request):
    return HttpResponse("<p>" + request.GET["q"] + "</p>", content_type="application/xhtml+xml")
""",
        True,
    ),
    "json is not rendered": (
        "BE020",
        """
def badge(request):
    label = request.GET.get("label", "ok")
    return HttpResponse('{"label": "%s"}' % label, content_type="application/json")
""",
        False,
    ),
    "the upload's temp file removed": (
        "BE018",
        """
def discard(request):
    upload = request.FILES["avatar"]
    os.remove(upload.temporary_file_path())
    return HttpResponse(status=204)
""",
        False,
    ),
    "the client's name removed": (
        "BE018",
        """
def discard(request):
    upload = request.FILES["avatar"]
    os.remove(os.path.join("/srv/avatars", upload.name))
    return HttpResponse(status=204)
""",
        True,
    ),
}


@pytest.mark.parametrize(("code", "body", "flagged"), CASES.values(), ids=CASES.keys())
def test_case(code: str, body: str, flagged: bool) -> None:
    found = [f.code for f in run(code, DJANGO + body, "shop/views.py")]
    assert found == ([code] if flagged else [])
