# blind: sqli tp
from django.db import connection
from django.http import JsonResponse
from django.views import View


class InvoiceTotalsView(View):
    def get(self, req, *args, **kwargs):
        year = req.GET["year"]
        with connection.cursor() as cur:
            cur.execute("SELECT SUM(amount) FROM invoices WHERE fiscal_year = %s" % year)
            (total,) = cur.fetchone()
        return JsonResponse({"total": total})
