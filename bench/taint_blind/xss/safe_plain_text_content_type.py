# blind: xss safe
from django.http import HttpResponse


def whoami(request):
    name = request.GET.get("name", "")
    return HttpResponse("name=" + name, content_type="text/plain")
