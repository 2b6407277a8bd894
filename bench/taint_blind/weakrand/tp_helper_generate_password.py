# blind: weakrand tp
import random
import string

from rest_framework.response import Response
from rest_framework.views import APIView


def temporary_password(length: int = 12) -> str:
    chars = string.ascii_letters + string.digits + "!@#$"
    return "".join(random.choices(chars, k=length))


class InviteView(APIView):
    def post(self, request):
        pw = temporary_password()
        return Response({"email": request.data["email"], "password": pw})
