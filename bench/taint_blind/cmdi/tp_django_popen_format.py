# blind: cmdi tp
import os

from django.http import HttpResponse


def disk_usage(request):
    folder = request.GET.get("dir", "/srv")
    out = os.popen("du -sh {}".format(folder)).read()
    return HttpResponse(out, content_type="text/plain")
