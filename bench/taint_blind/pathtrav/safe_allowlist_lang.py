# blind: pathtrav safe
from pathlib import Path

from rest_framework.decorators import api_view
from rest_framework.response import Response

LANGS = {"py", "js", "go"}


@api_view(["GET"])
def snippet(request):
    lang = request.query_params["lang"]
    if lang not in LANGS:
        return Response(status=400)
    return Response({"code": Path(f"/opt/snippets/{lang}.txt").read_text()})
