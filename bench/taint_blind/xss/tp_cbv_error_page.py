# blind: xss tp
from django.http import HttpResponse
from django.views import View


class NotFoundEcho(View):
    template = "<html><body><h2>%s</h2><p>was not found</p></body></html>"

    def get(self, request, *args, **kwargs):
        missing = request.GET.get("path", "/")
        return HttpResponse(self.template % missing, status=404)
