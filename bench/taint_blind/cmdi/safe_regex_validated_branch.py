# blind: cmdi safe
import re
import subprocess

from django.http import JsonResponse
from django.views import View

BRANCH_RE = re.compile(r"^[A-Za-z0-9._/-]{1,64}$")


class DeployView(View):
    def post(self, request):
        branch = request.POST["branch"]
        if not BRANCH_RE.fullmatch(branch):
            return JsonResponse({"error": "bad branch"}, status=400)
        rc = subprocess.call(["git", "-C", "/srv/repo", "checkout", branch])
        return JsonResponse({"rc": rc})
