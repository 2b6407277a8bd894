"""Security rules on shapes real backends use on purpose: opt-ins, claim peeks, positionals."""

from __future__ import annotations

import textwrap

from rule_helpers import run

from backend_lsp.analysis.model import Severity


def test_tls_off_behind_an_explicit_insecure_setting_is_the_users_choice() -> None:
    source = """\
    import ssl
    import httpx

    def client(settings):
        if settings.api_tls_insecure_skip_verify:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return httpx.Client(verify=ctx)
        return httpx.Client()

    def fetch(url, verify_ssl):
        return requests.get(url, verify=False if not verify_ssl else True)
    """
    assert run("BE012", source) == []


def test_module_pool_without_verification_used_only_on_the_users_opt_out() -> None:
    source = """\
    import httpx
    from pydantic import BaseModel

    # process-wide pools, reused by every call
    _transport = httpx.AsyncHTTPTransport()
    _unverified_transport = httpx.AsyncHTTPTransport(verify=False)
    _legacy_client = httpx.Client(verify=False)


    class Notifier(BaseModel):
        url: str
        verify_tls: bool = True

        async def send(self, payload):
            transport = _transport if self.verify_tls else _unverified_transport
            async with httpx.AsyncClient(transport=transport) as client:
                return await client.post(self.url, json=payload)


    def ping(url):
        return _legacy_client.get(url)
    """
    (finding,) = run("BE012", source)
    text = textwrap.dedent(source)
    assert text.index("_legacy_client =") < finding.start < text.index("class Notifier")


def test_chained_module_pool_is_judged_by_every_name_it_binds() -> None:
    source = """\
    import httpx

    _unverified = _fallback = httpx.Client(verify=False)


    def fetch(url, verify_tls=True):
        client = httpx.Client() if verify_tls else _unverified
        return client.get(url)


    def health(url):
        return _fallback.get(url)
    """
    assert len(run("BE012", source)) == 1  # _fallback is used without the opt-out


def test_tls_off_unconditionally_is_still_reported_once() -> None:
    source = """\
    import ssl

    def mail_context():
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    """
    assert len(run("BE012", source)) == 1


def test_jwt_algorithms_passed_positionally_are_pinned() -> None:
    source = """\
    import jwt

    def claims(token, secret):
        return jwt.decode(token, secret, ["HS256"])
    """
    assert run("BE011", source) == []


def test_unverified_peek_at_the_issuer_then_verified_decode_is_fine() -> None:
    source = """\
    import jwt

    def verify(token, keys):
        issuer = jwt.decode(token, options={"verify_signature": False})["iss"]
        return jwt.decode(token, keys[issuer], algorithms=["RS256"], audience="api")
    """
    assert run("BE011", source) == []


def test_unverified_decode_alone_is_an_error_and_missing_algorithms_a_warning() -> None:
    source = """\
    import jwt

    def user_id(token):
        return jwt.decode(token, options={"verify_signature": False})["sub"]

    def claims(token, secret):
        return jwt.decode(token, secret)
    """
    severities = sorted(f.severity for f in run("BE011", source))
    assert severities == [Severity.ERROR, Severity.WARNING]


def test_a_jwt_attribute_of_another_object_is_not_pyjwt() -> None:
    source = """\
    class Verifier:
        def claims(self, token, key):
            return self.jwt.decode(token, key)
    """
    assert run("BE011", source) == []


def test_hostname_check_off_says_what_is_still_verified_and_what_is_not() -> None:
    # The node's CA is added to the system store, not used instead of it: with the hostname
    # check off, a publicly issued certificate for any other domain is accepted.
    source = """\
    import ssl

    import httpx

    def node_client(url, ca_file):
        ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
        ctx.load_verify_locations(cafile=ca_file)
        ctx.check_hostname = False
        return httpx.AsyncClient(base_url=url, verify=ctx)
    """
    (finding,) = run("BE012", source)
    assert "hostname checking is off" in finding.message
    assert "any host" in finding.message
    assert "verification is off" not in finding.message
