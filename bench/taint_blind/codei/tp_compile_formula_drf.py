# blind: codei tp
from rest_framework.response import Response
from rest_framework.views import APIView


class FormulaView(APIView):
    def post(self, request):
        formula = request.data.get("formula", "0")
        code = compile(formula, "<formula>", "eval")
        return Response({"value": eval(code, {"__builtins__": {}}, {"x": 3})})
