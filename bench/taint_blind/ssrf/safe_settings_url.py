# blind: ssrf safe
import requests
from django.conf import settings
from rest_framework.response import Response
from rest_framework.views import APIView


class RatesView(APIView):
    def get(self, request):
        currency = request.query_params.get("currency", "EUR")
        resp = requests.get(settings.RATES_API_URL, params={"base": currency}, timeout=5)
        return Response(resp.json())
