"""BE007: requests/urllib calls without timeout, httpx with timeout=None."""

from __future__ import annotations

from perf_helpers import apply_fix, flagged, run


def test_requests_get_without_timeout_single_line_fix() -> None:
    source = """
import requests


def fetch_rates():
    response = requests.get("https://api.example.com/rates", params={"base": "EUR"})
    response.raise_for_status()
    return response.json()
"""
    findings = run("BE007", source)
    assert [flagged(f, source) for f in findings] == ["requests.get"]
    fixed = apply_fix(source, findings[0])
    assert 'params={"base": "EUR"}, timeout=10)' in fixed


def test_multiline_call_with_trailing_comma_and_module_constant() -> None:
    source = """
import requests

HTTP_TIMEOUT = 5


def notify(url, payload, token):
    return requests.post(
        url,
        json=payload,
        headers={"Authorization": f"Bearer {token}"},
    )
"""
    findings = run("BE007", source)
    assert len(findings) == 1
    fixed = apply_fix(source, findings[0])
    assert '{token}"},\n        timeout=HTTP_TIMEOUT,\n    )' in fixed


def test_multiline_call_without_trailing_comma() -> None:
    source = """
from requests import post as http_post


def send(url, body):
    return http_post(
        url,
        data=body
    )
"""
    findings = run("BE007", source)
    assert len(findings) == 1
    fixed = apply_fix(source, findings[0])
    assert "        data=body,\n        timeout=10\n    )" in fixed


def test_session_objects_and_urlopen() -> None:
    source = """
import urllib.request

import requests

session = requests.Session()


class GitHub:
    def __init__(self):
        self.http = requests.Session()

    def repos(self, user):
        return self.http.get(f"https://api.github.com/users/{user}/repos").json()


def ping():
    with requests.Session() as s:
        s.head("https://example.com")
    session.get("https://example.com")
    return urllib.request.urlopen("https://example.com").read()
"""
    findings = run("BE007", source)
    assert [flagged(f, source) for f in findings] == [
        "self.http.get",
        "s.head",
        "session.get",
        "urllib.request.urlopen",
    ]
    fixed = apply_fix(source, findings[-1])
    assert 'urlopen("https://example.com", timeout=10).read()' in fixed


def test_httpx_only_explicit_none() -> None:
    source = """
import httpx


async def proxy(url):
    async with httpx.AsyncClient(timeout=None) as client:
        r = await client.get(url)
    return httpx.get(url, timeout=None).text
"""
    findings = run("BE007", source)
    assert [flagged(f, source) for f in findings] == ["None", "None"]
    fixed = apply_fix(source, findings[0])
    assert "httpx.AsyncClient(timeout=10)" in fixed


def test_calls_with_timeouts_or_splats_are_fine() -> None:
    source = """
import httpx
import requests
from urllib.request import urlopen
from requests.adapters import HTTPAdapter


def ok(url, **kwargs):
    requests.get(url, timeout=(3.05, 27))
    requests.request("GET", url, **kwargs)
    urlopen(url, None, 10)
    urlopen(url, timeout=3)
    httpx.get(url)
    with httpx.Client() as client:
        client.get(url)
    s = requests.Session()
    s.mount("https://", HTTPAdapter(max_retries=3))
    s.get(url)
    data = {"a": 1}
    return data.get("a")
"""
    assert run("BE007", source) == []


def test_unrelated_get_calls_are_not_http() -> None:
    source = """
def handler(request, cache, session):
    session.get("user_id")
    cache.get("key")
    return request.GET.get("q")
"""
    assert run("BE007", source) == []


def test_timeout_none_on_a_long_lived_stream_is_deliberate() -> None:
    source = """
import httpx


async def listen(url):
    async with httpx.AsyncClient() as client:
        async with client.stream("GET", url, timeout=None) as response:
            async for line in response.aiter_lines():
                print(line)
        await client.post(url, json={}, timeout=None)
"""
    findings = run("BE007", source)
    assert len(findings) == 1  # the post, not the stream
    assert "client.post" in findings[0].message


def test_explicit_timeout_none_on_requests_and_urlopen_waits_forever() -> None:
    source = """\
    import requests
    from urllib.request import urlopen

    HTTP_TIMEOUT = 5


    def fetch_rates(session_url):
        rates = requests.get("https://rates.example/api", timeout=None)
        page = urlopen(session_url, timeout=None)
        ok = requests.post("https://hooks.example/x", json={}, timeout=HTTP_TIMEOUT)
        return rates, page, ok
    """
    findings = run("BE007", source)
    assert [flagged(f, source) for f in findings] == ["None", "None"]
    assert "no timeout at all" in findings[0].message
    fixed = apply_fix(source, findings[0])
    assert 'requests.get("https://rates.example/api", timeout=HTTP_TIMEOUT)' in fixed
