# blind: xss safe
from django.http import HttpResponse
from django.utils.html import format_html


def greet(request):
    nickname = request.GET.get("nick", "")
    return HttpResponse(format_html("<div class='greeting'>Welcome back, {}</div>", nickname))
