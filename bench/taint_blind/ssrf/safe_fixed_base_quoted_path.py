# blind: ssrf safe
from urllib.parse import quote

import requests
from django.http import JsonResponse

GITHUB_API = "https://api.github.com"


def repo_stars(request):
    repo = quote(request.GET.get("repo", ""), safe="")
    r = requests.get(f"{GITHUB_API}/repos/{repo}", timeout=5)
    return JsonResponse({"stars": r.json().get("stargazers_count")})
