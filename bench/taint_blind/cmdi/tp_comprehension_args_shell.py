# blind: cmdi tp
import os

from django.http import JsonResponse


def grep_logs(request):
    words = [w for w in request.GET.getlist("word") if w]
    pattern = "|".join(words)
    status = os.system(f"grep -E '{pattern}' /var/log/app.log > /tmp/matches.txt")
    return JsonResponse({"status": status})
