# blind: weakrand safe
import secrets

from django.http import JsonResponse

from .models import ApiKey


def create_api_key(request):
    key = secrets.token_urlsafe(32)
    ApiKey.objects.create(owner=request.user, key=key)
    return JsonResponse({"key": key})
