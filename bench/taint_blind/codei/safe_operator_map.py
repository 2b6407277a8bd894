# blind: codei safe
import operator

from rest_framework.response import Response
from rest_framework.views import APIView

OPS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}


class FormulaView(APIView):
    def post(self, request):
        op = OPS[request.data.get("op", "add")]
        a, b = float(request.data["a"]), float(request.data["b"])
        return Response({"value": op(a, b)})
