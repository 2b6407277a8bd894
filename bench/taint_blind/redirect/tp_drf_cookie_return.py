# blind: redirect tp
from django.shortcuts import redirect
from rest_framework.decorators import api_view


@api_view(["GET"])
def finish_onboarding(request):
    dest = request.COOKIES.get("onboarding_return", "/")
    return redirect(dest)
