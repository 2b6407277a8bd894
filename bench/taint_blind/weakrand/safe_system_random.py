# blind: weakrand safe
import random
import string

from rest_framework.response import Response
from rest_framework.views import APIView

_rng = random.SystemRandom()


def temporary_password(length: int = 14) -> str:
    chars = string.ascii_letters + string.digits
    return "".join(_rng.choice(chars) for _ in range(length))


class InviteView(APIView):
    def post(self, request):
        return Response({"email": request.data["email"], "password": temporary_password()})
