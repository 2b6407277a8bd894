# blind: weakrand tp
import hashlib
import random

from django.http import JsonResponse


def set_pin(request):
    salt = random.randbytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", request.POST["pin"].encode(), salt, 200_000)
    request.user.profile.pin_hash = salt.hex() + digest.hex()
    request.user.profile.save()
    return JsonResponse({"ok": True})
