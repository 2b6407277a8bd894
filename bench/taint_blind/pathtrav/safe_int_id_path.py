# blind: pathtrav safe
from django.http import FileResponse


def invoice_pdf(request, invoice_id):
    number = int(invoice_id)
    return FileResponse(open(f"/srv/invoices/{number}.pdf", "rb"))
