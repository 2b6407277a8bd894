# blind: ssrf tp
import requests
from django.http import JsonResponse
from django.views import View


class ProxyView(View):
    def post(self, request):
        method = "GET"
        dest = request.POST.get("dest")
        resp = requests.request(method, dest, timeout=5)
        return JsonResponse({"status": resp.status_code})
