# blind: codei tp
from django.http import JsonResponse
from django.views import View


class Rule:
    def __init__(self, condition: str):
        self.condition = condition

    def matches(self, order: dict) -> bool:
        return bool(eval(self.condition, {}, {"order": order}))


class RuleCheckView(View):
    def post(self, request):
        rule = Rule(request.POST["condition"])
        return JsonResponse({"match": rule.matches({"total": 42})})
