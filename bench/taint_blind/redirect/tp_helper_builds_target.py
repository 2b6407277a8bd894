# blind: redirect tp
from django.http import HttpResponseRedirect


def target_for(domain: str, path: str) -> str:
    return f"https://{domain}{path}"


def switch_region(request):
    return HttpResponseRedirect(target_for(request.GET["region_host"], "/dashboard"))
