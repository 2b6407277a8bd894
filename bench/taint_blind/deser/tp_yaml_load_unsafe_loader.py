# blind: deser tp
import yaml
from django.http import JsonResponse


def import_config(request):
    cfg = yaml.load(request.FILES["config"].read(), Loader=yaml.Loader)
    return JsonResponse({"keys": list(cfg)})
