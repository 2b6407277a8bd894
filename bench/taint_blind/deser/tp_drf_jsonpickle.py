# blind: deser tp
import jsonpickle
from rest_framework.response import Response
from rest_framework.views import APIView


class RestoreView(APIView):
    def post(self, request):
        state = jsonpickle.decode(request.data["state"])
        return Response({"restored": bool(state)})
