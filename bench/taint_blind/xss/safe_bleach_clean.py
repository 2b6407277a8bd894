# blind: xss safe
import bleach
from django.http import HttpResponse


def render_comment(request):
    cleaned = bleach.clean(request.POST.get("comment", ""), tags=["b", "i", "a"], strip=True)
    return HttpResponse(f"<div class='comment'>{cleaned}</div>")
