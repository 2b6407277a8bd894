# blind: pathtrav safe
import os

from django.http import Http404, HttpResponse

LOG_ROOT = "/var/log/app"


def view_log(request):
    candidate = os.path.realpath(os.path.join(LOG_ROOT, request.GET.get("day", "today") + ".log"))
    if not candidate.startswith(LOG_ROOT + os.sep):
        raise Http404()
    with open(candidate, encoding="utf-8") as fh:
        return HttpResponse(fh.read(), content_type="text/plain")
