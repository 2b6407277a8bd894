"""Other linters' codes for the same problem, so a line a team already silenced stays quiet.

A codebase that ran Bandit or ruff's flake8-bandit rules has ``# noqa: S105`` and
``# nosec B608`` on lines it reviewed; re-reporting those lines as BE008 or BE001
would make the team review them twice. Bandit's ``Bnnn`` and ruff's ``Snnn``
share their numbers, so one table of numbers gives both spellings.
"""

from __future__ import annotations

# Bandit / flake8-bandit check number -> the backend-lsp code for the same problem.
_BANDIT_NUMBERS: dict[int, str] = {
    102: "BE017",  # exec used
    105: "BE008",  # hard-coded password string
    106: "BE008",  # hard-coded password passed as an argument
    107: "BE008",  # hard-coded password as a default
    110: "BE015",  # try / except / pass
    112: "BE015",  # try / except / continue
    113: "BE007",  # request without a timeout
    201: "BE009",  # Flask debug=True
    301: "BE013",  # pickle
    302: "BE013",  # marshal
    303: "BE027",  # insecure hash (MD5 / SHA-1)
    307: "BE017",  # eval
    311: "BE026",  # non-cryptographic random
    313: "BE022",  # xml.etree / xml.sax / expat / minidom / pulldom parsers (313-320)
    314: "BE022",
    315: "BE022",
    316: "BE022",
    317: "BE022",
    318: "BE022",
    319: "BE022",
    320: "BE022",
    323: "BE012",  # unverified SSL context
    324: "BE027",  # hashlib with an insecure hash
    403: "BE013",  # import of pickle-like modules
    501: "BE012",  # requests with verify=False
    506: "BE013",  # yaml.load
    602: "BE016",  # subprocess with shell=True
    604: "BE016",  # any call with shell=True
    605: "BE016",  # starting a process with a shell
    608: "BE001",  # SQL built from strings
    701: "BE020",  # jinja2 autoescape off
    704: "BE020",  # markupsafe Markup on untrusted data
}

# ``# noqa: S105`` (ruff's flake8-bandit) and ``BLE001`` (flake8-blind-except). Bandit's own
# ``B`` numbers are only read from ``# nosec``: in a noqa comment ``B`` is flake8-bugbear's.
NOQA_EQUIVALENTS: dict[str, str] = {
    **{f"S{number}": code for number, code in _BANDIT_NUMBERS.items()},
    "BLE001": "BE015",
}
NOSEC_EQUIVALENTS: dict[str, str] = {f"B{number}": code for number, code in _BANDIT_NUMBERS.items()}

# What a bare ``# nosec`` silences: the codes Bandit itself would have reported there.
BANDIT_COVERED: frozenset[str] = frozenset(_BANDIT_NUMBERS.values())
