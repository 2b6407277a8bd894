# blind: codei safe
from django.http import JsonResponse
from django.views import View

from . import reports

ALLOWED = ("daily", "weekly", "monthly")


class ReportView(View):
    def get(self, request):
        kind = request.GET.get("kind", "daily")
        if kind not in ALLOWED:
            return JsonResponse({"error": "unknown"}, status=400)
        return JsonResponse(getattr(reports, kind)())
