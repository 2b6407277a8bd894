# blind: xss tp
from django.http import HttpResponse


def greet(request):
    nickname = request.GET.get("nick", "")
    return HttpResponse("<div class='greeting'>Welcome back, {}</div>".format(nickname))
