# blind: sqli tp
import sqlite3

from django.http import HttpResponse
from django.views.decorators.http import require_POST


@require_POST
def rename_tag(request):
    old, new = request.POST["old"], request.POST["new"]
    db = sqlite3.connect("/srv/tags.db")
    db.executescript(f"UPDATE tags SET name = '{new}' WHERE name = '{old}';")
    return HttpResponse(status=204)
