# blind: sqli safe
from django.db import connection
from django.http import JsonResponse
from django.views import View


class InvoiceTotalsView(View):
    def get(self, req):
        year = int(req.GET["year"])
        with connection.cursor() as cur:
            cur.execute("SELECT SUM(amount) FROM invoices WHERE fiscal_year = %d" % year)
            (total,) = cur.fetchone()
        return JsonResponse({"total": total})
