# blind: xss tp
from django.shortcuts import render
from django.utils.safestring import mark_safe


def render_bio(text: str):
    return mark_safe("<p>" + text.replace("\n", "<br>") + "</p>")


def profile(request):
    bio = render_bio(request.POST.get("bio", ""))
    return render(request, "profile.html", {"bio": bio})
