# blind: cmdi safe
import os
import shlex

from django.http import HttpResponse


def disk_usage(request):
    folder = request.GET.get("dir", "/srv")
    out = os.popen("du -sh " + shlex.quote(folder)).read()
    return HttpResponse(out, content_type="text/plain")
