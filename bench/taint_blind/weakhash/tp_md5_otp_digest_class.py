# blind: weakhash tp
import hashlib

from django.http import JsonResponse
from django.views import View


class OtpStore:
    def digest(self, otp: str) -> str:
        return hashlib.md5(otp.encode()).hexdigest()


class VerifyOtpView(View):
    def post(self, request):
        stored = request.session.get("otp_digest")
        ok = stored == OtpStore().digest(request.POST["otp"])
        return JsonResponse({"ok": ok})
