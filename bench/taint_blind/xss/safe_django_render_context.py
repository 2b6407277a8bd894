# blind: xss safe
from django.shortcuts import render
from django.views import View


class ProfileView(View):
    def post(self, request):
        return render(request, "profile.html", {"bio": request.POST.get("bio", "")})
