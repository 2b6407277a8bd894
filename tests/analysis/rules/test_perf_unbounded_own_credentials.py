"""BE005: the signed-in user's own API tokens and keys are a handful of rows, not a table.

An account page that lists "your API tokens" filters the credential model by the request's
user; nobody paginates it. Other per-user rows (orders, notifications) grow without a
bound, and every user's tokens at once is a table scan: both stay findings.
"""

from __future__ import annotations

from perf_helpers import flagged, run

VIEWS = """
from django.shortcuts import render
from django.views.generic import View
from rest_framework.response import Response
from rest_framework.views import APIView

from users.models import ApiKey, Order, Token


class TokenListView(View):
    def get(self, request):
        tokens = Token.objects.with_sensitive_fields("key").filter(user=request.user)
        return render(request, "users/api_tokens.html", {"tokens": tokens})


class ApiKeyList(APIView):
    def get(self, request):
        keys = ApiKey.objects.filter(owner_id=request.user.id, revoked=False)
        return Response([{"prefix": key.prefix, "created": key.created} for key in keys])


class OrderHistory(View):
    def get(self, request):
        orders = Order.objects.filter(user=request.user)
        return render(request, "shop/orders.html", {"orders": orders})


class AllTokens(View):
    def get(self, request):
        tokens = Token.objects.filter(expires__isnull=True)
        return render(request, "admin/tokens.html", {"tokens": tokens})
"""


def test_the_users_own_credentials_are_bounded_other_rows_are_not() -> None:
    findings = run("BE005", VIEWS, "users/views.py")
    assert [flagged(f, VIEWS) for f in findings] == [
        "Order.objects.filter(user=request.user)",
        "Token.objects.filter(expires__isnull=True)",
    ]
