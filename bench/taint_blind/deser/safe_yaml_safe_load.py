# blind: deser safe
import yaml
from django.http import JsonResponse


def import_config(request):
    cfg = yaml.safe_load(request.FILES["config"].read())
    return JsonResponse({"keys": list(cfg)})
