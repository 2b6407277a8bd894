# blind: ssrf tp
import requests
from django.http import JsonResponse


def node_health(request):
    host = request.GET.get("node", "localhost")
    r = requests.get(f"http://{host}:9100/metrics", timeout=3)
    return JsonResponse({"ok": r.ok})
