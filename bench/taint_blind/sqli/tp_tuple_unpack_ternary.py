# blind: sqli tp
from django.db import connection
from django.http import JsonResponse


def range_report(request):
    lo, hi = request.GET.get("from", "2020-01-01"), request.GET.get("to", "2030-01-01")
    column = "created_at" if request.GET.get("by") != "paid" else "paid_at"
    sql = "SELECT COUNT(*) FROM payments WHERE %s BETWEEN '%s' AND '%s'" % (column, lo, hi)
    with connection.cursor() as c:
        c.execute(sql)
        return JsonResponse({"n": c.fetchone()[0]})
