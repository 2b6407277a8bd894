# blind: deser safe
import pickle

from django.core.cache import cache
from django.http import JsonResponse


def snapshot(request):
    data = {"user": request.user.pk, "filters": dict(request.GET)}
    cache.set(f"snap:{request.user.pk}", pickle.dumps(data), 600)
    return JsonResponse({"ok": True})
