# blind: pathtrav tp
import os

from django.conf import settings
from django.http import JsonResponse


def delete_attachment(request, filename):
    os.remove(os.path.join(settings.MEDIA_ROOT, "attachments", filename))
    return JsonResponse({"deleted": filename})
