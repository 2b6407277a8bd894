# blind: cmdi tp
import os

from django.http import JsonResponse
from django.views import View


class GitRunner:
    def __init__(self, branch: str):
        self.branch = branch

    def checkout(self) -> int:
        return os.system("git -C /srv/repo checkout " + self.branch)


class DeployView(View):
    def post(self, request):
        rc = GitRunner(request.POST["branch"]).checkout()
        return JsonResponse({"rc": rc})
