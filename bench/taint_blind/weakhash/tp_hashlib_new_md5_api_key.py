# blind: weakhash tp
import hashlib
import secrets

from django.http import JsonResponse

from .models import ApiKey


def create_key(request):
    raw = secrets.token_hex(20)
    ApiKey.objects.create(
        owner=request.user, key_digest=hashlib.new("md5", raw.encode()).hexdigest()
    )
    return JsonResponse({"key": raw})
