# blind: weakhash safe
import hashlib

from rest_framework.response import Response
from rest_framework.views import APIView


class GravatarView(APIView):
    def get(self, request):
        email = request.query_params["email"].strip().lower()
        digest = hashlib.md5(email.encode(), usedforsecurity=False).hexdigest()
        return Response({"avatar": f"https://www.gravatar.com/avatar/{digest}"})
