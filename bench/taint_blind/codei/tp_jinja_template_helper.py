# blind: codei tp
from django.http import HttpResponse
from jinja2 import Template


def render_snippet(src: str, **ctx) -> str:
    return Template(src).render(**ctx)


def email_preview(request):
    tpl = request.POST["template"]
    return HttpResponse(render_snippet(tpl, user=request.user.username))
