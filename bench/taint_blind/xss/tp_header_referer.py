# blind: xss tp
from django.http import HttpResponse


def back_link(request):
    referer = request.META.get("HTTP_REFERER", "/")
    return HttpResponse('<a href="%s">Go back</a>' % referer)
