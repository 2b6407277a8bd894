# blind: cookie tp
from starlette.responses import RedirectResponse

from .auth import remember_token_for


async def remember_me(request):
    resp = RedirectResponse("/")
    resp.set_cookie("remember_token", remember_token_for(request.user), max_age=30 * 86400)
    return resp
