# blind: xss safe
from rest_framework.decorators import api_view
from rest_framework.response import Response


@api_view(["GET"])
def widget(request):
    title = request.query_params.get("title", "Widget")
    return Response({"html_title": title})
