# blind: xss tp
from django.http import HttpResponse
from rest_framework.decorators import api_view


@api_view(["GET"])
def widget(request):
    title = request.query_params.get("title", "Widget")
    body = "<section><h3>" + title + "</h3></section>"
    return HttpResponse(body, content_type="text/html")
