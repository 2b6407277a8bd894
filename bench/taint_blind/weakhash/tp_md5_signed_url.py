# blind: weakhash tp
import hashlib

from django.conf import settings
from django.http import JsonResponse


def download_link(request, file_id):
    signature = hashlib.md5(f"{settings.SECRET_KEY}:{file_id}".encode()).hexdigest()
    return JsonResponse({"url": f"/files/{file_id}?sig={signature}"})
