# blind: ssrf safe
import requests
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Integration


def ping_integration(request, pk):
    integration = get_object_or_404(Integration, pk=pk, owner=request.user)
    r = requests.get("https://status.example.com/check", params={"id": integration.pk}, timeout=5)
    return JsonResponse({"ok": r.ok})
