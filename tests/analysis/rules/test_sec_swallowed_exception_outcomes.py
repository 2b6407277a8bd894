"""BE015: broad catches whose failure is already accounted for, next to ones that hide it.

Shapes from Django/Celery/DRF code: a success flag the caller reads, a search loop that
tries the next candidate, stale connections closed before a task. Each keeps a counter-case
in which the swallowed failure is a lost write or an unchecked decision.
"""

from __future__ import annotations

from rule_helpers import run

TOKEN_FLAG = """\
from oauth2_provider.models import AccessToken


class OAuthAuthentication:
    def token_is_valid(self, token):
        valid = False
        try:
            verify_access_token(None, token)
            valid = True
        except Exception:
            pass
        return valid
"""

# the flag is set after the write, but the write is not what the flag guards: still lost
CHARGE_FLAG_ATTRIBUTE = """\
def settle(order):
    try:
        charge_card(order.card, order.total)
        order.paid = True
    except Exception:
        pass
    order.save()
"""

FAIL_OPEN_FILTER = """\
def create_response(self, request, data):
    allowed_ids = None
    try:
        allowed_ids = [o.id for o in data["objects"] if request.user.has_perm("view", o)]
    except Exception:
        pass
    return allowed_ids
"""

SEARCH_LOOP = """\
from uuid import UUID


def get_uuid(candidates):
    for value in candidates:
        try:
            UUID(value)
            return value
        except Exception:
            continue
"""

SEND_EACH = """\
def notify_all(users, message):
    for user in users:
        try:
            send_mail("Update", message, None, [user.email])
        except Exception:
            continue
"""

CLOSE_STALE_CONNECTIONS = """\
from celery import Task
from django.db import connections


class DbTask(Task):
    def after_return(self, *args, **kwargs):
        for conn in connections.all():
            try:
                if not conn.in_atomic_block and not conn.is_usable():
                    conn.close()
            except Exception:
                pass
"""

SAVE_THEN_CLOSE = """\
def finish_upload(upload, handle):
    try:
        upload.save()
        handle.close()
    except Exception:
        pass
"""


def _codes(source: str, path: str = "geonode/api/authentication.py") -> list[str]:
    return [f.code for f in run("BE015", source, path=path)]


def test_success_flag_that_is_returned_is_not_reported() -> None:
    assert _codes(TOKEN_FLAG) == []


def test_flag_on_an_attribute_after_a_payment_is_still_reported() -> None:
    assert _codes(CHARGE_FLAG_ATTRIBUTE, "shop/services/payments.py") == ["BE015"]


def test_fail_open_permission_filter_is_still_reported() -> None:
    assert _codes(FAIL_OPEN_FILTER, "geonode/api/resourcebase_api.py") == ["BE015"]


def test_search_loop_trying_the_next_candidate_is_not_reported() -> None:
    assert _codes(SEARCH_LOOP, "geonode/upload/handlers/utils.py") == []


def test_loop_skipping_a_failed_send_is_still_reported() -> None:
    assert _codes(SEND_EACH, "app/services/notify.py") == ["BE015"]


def test_closing_stale_connections_is_cleanup() -> None:
    assert _codes(CLOSE_STALE_CONNECTIONS, "geonode/tasks/tasks.py") == []


def test_a_write_before_the_close_is_still_reported() -> None:
    assert _codes(SAVE_THEN_CLOSE, "app/services/uploads.py") == ["BE015"]


RETRY_THEN_NOTHING = """\
import requests


def push_event(url, payload):
    for attempt in range(3):
        try:
            return requests.post(url, json=payload, timeout=5)
        except Exception:
            pass
"""


def test_retry_loop_that_gives_up_silently_is_still_reported() -> None:
    assert _codes(RETRY_THEN_NOTHING, "app/services/events.py") == ["BE015"]
