# blind: weakhash tp
import hashlib
import time

from rest_framework.response import Response
from rest_framework.views import APIView


class PasswordResetView(APIView):
    def post(self, request):
        email = request.data["email"]
        reset_token = hashlib.sha1(f"{email}{time.time()}".encode()).hexdigest()
        return Response({"sent": True, "debug_token_len": len(reset_token)})
