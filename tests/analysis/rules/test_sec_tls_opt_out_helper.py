"""BE012: a private helper that turns verification off, called only on the user's opt-out.

Webhook senders keep the unverified path in its own function and call it only when the
admin switched verification off for that webhook, often through a flag named for what it
enables (``can_pin = ... not webhook.ssl_verification``). The helper is the opt-out's
implementation; the same helper reached without that condition stays a finding.
"""

from __future__ import annotations

from rule_helpers import run

WEBHOOKS = """\
import requests
import urllib3
from urllib.parse import urlsplit


def _send_pinned(prepared, address):
    parts = urlsplit(prepared.url)
    options = {"timeout": urllib3.Timeout(connect=10, read=30)}
    if parts.scheme == "https":
        options.update(cert_reqs="CERT_NONE", server_hostname=parts.hostname)
        pool = urllib3.HTTPSConnectionPool(host=address, port=parts.port or 443, **options)
    else:
        pool = urllib3.HTTPConnectionPool(host=address, port=parts.port or 80, **options)
    return pool.urlopen(prepared.method, parts.path or "/", body=prepared.body)


def process_webhook(webhook, prepared, address):
    scheme = urlsplit(webhook.payload_url).scheme
    can_pin = scheme == "http" or (scheme == "https" and not webhook.ssl_verification)
    if can_pin:
        return _send_pinned(prepared, address)
    with requests.Session() as session:
        session.verify = webhook.ca_file_path or True
        return session.send(prepared, timeout=30)
"""


def test_private_helper_called_only_under_the_opt_out_is_the_users_choice() -> None:
    assert run("BE012", WEBHOOKS, "extras/tasks.py") == []


def test_the_same_helper_reached_without_the_opt_out_stays_a_finding() -> None:
    retry = (
        WEBHOOKS
        + """

def retry_webhook(webhook, prepared, address):
    return _send_pinned(prepared, address)
"""
    )
    assert len(run("BE012", retry, "extras/tasks.py")) == 1
    public = WEBHOOKS.replace("_send_pinned", "send_pinned")  # other modules may call it
    assert len(run("BE012", public, "extras/tasks.py")) == 1
    unguarded = WEBHOOKS.replace(
        'can_pin = scheme == "http" or (scheme == "https" and not webhook.ssl_verification)',
        'can_pin = scheme in ("http", "https")',
    )
    assert len(run("BE012", unguarded, "extras/tasks.py")) == 1
    handed_on = (
        WEBHOOKS
        + """

SENDERS = {"pinned": _send_pinned}
"""
    )
    assert len(run("BE012", handed_on, "extras/tasks.py")) == 1
