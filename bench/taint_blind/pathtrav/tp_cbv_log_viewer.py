# blind: pathtrav tp
from django.http import HttpResponse
from django.views import View


class LogView(View):
    log_dir = "/var/log/app"

    def get(self, request):
        day = request.GET.get("day", "today")
        with open("%s/%s.log" % (self.log_dir, day), encoding="utf-8") as fh:
            return HttpResponse(fh.read(), content_type="text/plain")
