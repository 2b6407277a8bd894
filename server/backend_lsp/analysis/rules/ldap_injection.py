"""BE024: request data is built into an LDAP search filter or DN (CWE-90).

A taint rule: it reports only values the engine traced from request data into python-ldap
``search_s``/``search_ext_s``/``simple_bind_s`` or ldap3 ``Connection.search``. Values
passed through ``escape_filter_chars``/``filter_format``/``escape_rdn``/``escape_dn_chars``
are clean.
"""

from __future__ import annotations

from backend_lsp.analysis.model import RuleMeta, Severity
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint import tables
from backend_lsp.analysis.taint.rule import TaintRule


@register
class LdapInjection(TaintRule):
    meta = RuleMeta(
        code="BE024",
        name="ldap-injection",
        severity=Severity.ERROR,
        summary="Request data is built into an LDAP search filter or DN.",
        doc_url="https://cwe.mitre.org/data/definitions/90.html",
    )
    category = tables.LDAP
    risk = (
        "a crafted value (`*)(uid=*`) widens the filter or changes the DN, matching or "
        "binding as other entries (LDAP injection)"
    )
    advice = (
        "Escape each value: `ldap.filter.escape_filter_chars` / `filter_format` (python-ldap), "
        "`ldap3.utils.conv.escape_filter_chars` for filters and `escape_rdn` for DN parts."
    )
