# blind: weakhash safe
import hashlib

from django.core.cache import cache
from django.http import JsonResponse

from .search import run_search


def search(request):
    q = request.GET.get("q", "")
    cache_key = "search:" + hashlib.md5(q.encode()).hexdigest()
    results = cache.get(cache_key)
    if results is None:
        results = run_search(q)
        cache.set(cache_key, results, 300)
    return JsonResponse({"results": results})
