"""BE012: a context used only to read the peer's certificate is a probe, not a trust decision.

A health page reporting when the LDAP or SMTP server's certificate expires must read it even
when it is expired or self-signed, so verification is off; the wrapped socket is only asked
for ``getpeercert()``, nothing is sent or received over it. The same context used to talk to
the server, or handed out of the function, stays a finding.
"""

from __future__ import annotations

from textwrap import dedent

from rule_helpers import run

PROBE = """\
import socket
import ssl

from cryptography import x509


def fetch_tls_cert(host: str, port: int, timeout: float) -> x509.Certificate:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    with socket.create_connection((host, port), timeout=timeout) as sock:
        with ctx.wrap_socket(sock, server_hostname=host) as ssock:
            der = ssock.getpeercert(binary_form=True)
            protocol = ssock.version()
    log.debug("read %s certificate over %s", host, protocol)
    return x509.load_der_x509_certificate(der)
"""


def test_context_that_only_reads_the_peer_certificate_is_not_flagged() -> None:
    assert run("BE012", PROBE) == []


def test_unverified_context_assigned_and_wrapped_for_the_certificate_is_not_flagged() -> None:
    source = dedent(
        """\
        import socket
        import ssl


        def days_left(host):
            context = ssl._create_unverified_context()
            sock = context.wrap_socket(socket.create_connection((host, 443)), server_hostname=host)
            cert = sock.getpeercert()
            sock.close()
            return expiry_days(cert)
        """
    )
    assert run("BE012", source) == []


def test_probe_that_sets_the_wrapped_socket_timeout_is_not_flagged() -> None:
    source = dedent(
        """\
        import socket
        import ssl


        def certificate_pem(host, port, timeout=10):
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # it may be self-signed
            conn = socket.create_connection((host, port), timeout=timeout)
            tls = context.wrap_socket(conn, server_hostname=host)
            tls.settimeout(timeout)
            try:
                der = tls.getpeercert(True)
            finally:
                tls.close()
            return ssl.DER_cert_to_PEM_cert(der)
        """
    )
    assert run("BE012", source) == []


def test_probe_socket_that_then_receives_stays_a_finding() -> None:
    source = dedent(
        """\
        import socket
        import ssl


        def banner(host, port):
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            tls = context.wrap_socket(socket.create_connection((host, port)), server_hostname=host)
            tls.settimeout(5)
            cert = tls.getpeercert()
            return cert, tls.recv(1024)
        """
    )
    assert [f.code for f in run("BE012", source)]


def test_probe_context_that_then_carries_data_stays_a_finding() -> None:
    sends = PROBE.replace(
        "            protocol = ssock.version()\n",
        '            ssock.sendall(b"HEAD / HTTP/1.0\\r\\n\\r\\n")\n'
        "            protocol = ssock.recv(1024)\n",
    )
    assert sends != PROBE
    assert len(run("BE012", sends)) == 1


def test_context_handed_out_of_the_function_stays_a_finding() -> None:
    escapes = PROBE.replace(
        "    return x509.load_der_x509_certificate(der)\n",
        "    return x509.load_der_x509_certificate(der), ctx\n",
    )
    assert escapes != PROBE
    assert len(run("BE012", escapes)) == 1


def test_socket_passed_to_a_client_stays_a_finding() -> None:
    source = dedent(
        """\
        import socket
        import ssl


        def smtp_banner(host):
            context = ssl._create_unverified_context()
            sock = context.wrap_socket(socket.create_connection((host, 465)), server_hostname=host)
            print(sock.getpeercert())
            return read_banner(sock)
        """
    )
    assert len(run("BE012", source)) == 1
