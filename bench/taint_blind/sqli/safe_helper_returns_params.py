# blind: sqli safe
from django.db import connection
from django.http import JsonResponse


def build_query(lo: str, hi: str) -> tuple[str, list[str]]:
    return "SELECT COUNT(*) FROM payments WHERE created_at BETWEEN %s AND %s", [lo, hi]


def range_report(request):
    sql, params = build_query(
        request.GET.get("from", "2020-01-01"), request.GET.get("to", "2030-01-01")
    )
    with connection.cursor() as c:
        c.execute(sql, params)
        return JsonResponse({"n": c.fetchone()[0]})
