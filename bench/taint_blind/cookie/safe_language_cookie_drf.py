# blind: cookie safe
from rest_framework.response import Response
from rest_framework.views import APIView

LANGS = {"en", "de", "fr"}


class LanguageView(APIView):
    def post(self, request):
        lang = request.data.get("lang") if request.data.get("lang") in LANGS else "en"
        resp = Response({"lang": lang})
        resp.set_cookie("django_language", lang, samesite="Lax")
        return resp
