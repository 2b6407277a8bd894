# blind: weakrand tp
import random
import string

from django.http import JsonResponse

from .models import ApiKey


def create_api_key(request):
    alphabet = string.ascii_letters + string.digits
    key = "".join(random.choice(alphabet) for _ in range(40))
    ApiKey.objects.create(owner=request.user, key=key)
    return JsonResponse({"key": key})
