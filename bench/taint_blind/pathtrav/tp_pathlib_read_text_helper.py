# blind: pathtrav tp
from pathlib import Path

from rest_framework.decorators import api_view
from rest_framework.response import Response


def load_snippet(lang: str) -> str:
    return Path(f"/opt/snippets/{lang}.txt").read_text()


@api_view(["GET"])
def snippet(request):
    return Response({"code": load_snippet(request.query_params["lang"])})
