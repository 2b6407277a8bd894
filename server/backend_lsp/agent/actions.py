"""The action catalog: what the agent can be asked to do, as data.

Each action is an instruction plus the shape of its answer; front ends decide
where to offer it from ``applies_to`` and which code action kind to use from
``kind``. User-defined actions from configuration go through the same type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from backend_lsp.config import CustomAction

Place = Literal["selection", "function", "sql", "route", "model", "diagnostic"]
OutputKind = Literal["edit", "new_files", "diagnostics", "explanation"]


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action. ``offline`` marks actions the offline provider can really answer."""

    id: str
    title: str
    kind: str
    applies_to: tuple[Place, ...]
    instruction: str
    output: OutputKind
    offline: bool = False
    builtin: bool = True

    def applies(self, places: Sequence[str]) -> bool:
        """True when the cursor/selection is in at least one place this action fits."""
        return any(place in self.applies_to for place in places)


_DESIGN_API = """\
Design the HTTP API for the selected code: a model or entity, a docstring, or a comment that
describes what is needed.
Produce, in the project's framework and style:
- routes with resource-oriented paths and correct verbs (collection and item endpoints as the
  need requires, nothing speculative);
- request and response schemas (separate create/update/read shapes; never expose password
  hashes, internal ids the client must not see, or audit fields as writable);
- validation at the boundary: types, required fields, lengths, ranges, formats, enums;
- status codes: 201 with a Location or the created body on create, 204 for deletes, 404 for
  missing objects, 409 for conflicts, 422/400 for invalid input, following what the project
  already does;
- one consistent error body, reusing the project's existing error format if it has one;
- pagination for every list endpoint (limit with a maximum, plus cursor or offset), and stable
  ordering;
- authentication and object-level authorisation using the project's existing mechanism; if none
  is visible, leave a clearly marked dependency rather than inventing one;
- OpenAPI documentation through the framework (summaries, response models, examples).
Put new modules in new_files with paths relative to the workspace root that follow the
project's layout; use edits only to wire them in (router registration, imports). Do not add
dependencies the project does not have. In the summary, list the endpoints with method, path
and status codes, and any assumption you made."""

_OPTIMIZE_QUERY = """\
Optimise the selected SQL or ORM code for the database the project uses.
Look for, in this order: queries in loops (N+1) to replace with a join, IN list, or the ORM's
eager loading (select_related/prefetch_related, selectinload/joinedload, include, preload);
SELECT * or whole-entity loads where a few columns are used; unbounded result sets that need
pagination or a LIMIT; filtering, sorting or aggregation done in application code that the
database should do; functions on indexed columns and leading-wildcard LIKE that defeat indexes;
repeated identical queries that can be hoisted or cached; missing transactions around related
writes.
Rewrite the code with edits, keeping the results exactly the same (same rows, order, types and
null handling) unless the summary explains a deliberate change. Keep queries parameterised;
never build SQL by string formatting. If an index would help, do not edit migrations you
cannot see: in the summary, give the CREATE INDEX (or the ORM index declaration) with the
query it serves, why its column order is right, and the write cost. Say what you expect to
gain and how to verify it (EXPLAIN, query count in a test). If the code is already good, make
no edits and say so."""

_REVIEW_SECURITY = """\
Review the selected code for security problems a careful attacker could exploit. Check:
injection (SQL, NoSQL, command, template, LDAP, path traversal), missing authentication or
object-level authorisation (IDOR), mass assignment, secrets or credentials in code or logs,
weak or misused cryptography and token handling (JWT algorithm/expiry/audience checks,
password hashing), SSRF, open redirects, unsafe deserialisation, XSS in server-rendered
output, CSRF on cookie-authenticated state changes, missing input validation or size limits,
race conditions on balances and counters, and error responses that leak internals.
Report each real problem as one finding anchored on the exact vulnerable text, with the
impact in one sentence, and a minimal fix when one is local to the anchor. Severity: error for
exploitable issues, warning for likely ones that depend on context, info for hardening.
Do not report style, performance or speculative issues without a concrete attack path, and do
not repeat the same problem for every line. No findings is a valid answer."""

_EXPLAIN = """\
Explain the selected backend code to an experienced engineer who has not seen this codebase.
Cover what it does end to end (the request or job it serves, the data it reads and writes,
the queries it runs and their likely cost), the contracts it relies on (inputs, outputs,
status codes, errors, transactions), and how it fits with the surrounding code shown in the
context. Then note anything notable: performance risks (N+1, unbounded queries, blocking
calls in async code), security concerns, error-handling gaps, and edge cases. Be specific to
this code and refer to names in it; no generic tutorial. Use short Markdown sections and
keep it under about 400 words."""

_ADD_VALIDATION = """\
Add input validation to the selected code at the trust boundary (request handlers, message
consumers, public service functions). Use the validation tool the project already uses
(pydantic/FastAPI models, marshmallow, Django forms/serializers, zod/joi, Bean Validation, Go
struct tags or explicit checks) rather than a new one. Validate types, required fields,
lengths, numeric ranges, formats (email, UUID, dates), enums and collection sizes; normalise
where the domain expects it (trim, case). Reject invalid input with the project's usual error
response and a 400/422 status that names the field, before any side effect happens. Do not
change behaviour for valid input, do not validate the same thing twice, and do not add checks
that the type system or the framework already enforces."""

_ADD_ERROR_HANDLING = """\
Add error handling to the selected code so that failures are explicit, logged once, and
mapped to the right outcome. Catch specific exceptions at the level that can act on them
(never a bare except or a blanket catch that hides bugs); map expected failures to the
project's error responses and status codes (404 not found, 409 conflict, 503 for unavailable
dependencies); add timeouts to outbound calls that lack them and retries with backoff only
where the operation is idempotent; roll back or compensate partial writes; release resources
with context managers or finally blocks. Log with context (ids, operation) but never secrets
or personal data, and keep the original exception chained. Do not change the happy path or
the public signature, and do not swallow errors that callers need to see."""

_WRITE_TESTS = """\
Write tests for the selected code as a new test file placed next to the project's existing
tests (same directory layout, naming pattern and framework: pytest, unittest, Jest/Vitest,
Go testing, JUnit...). Reuse the project's fixtures, factories and test client if the context
shows them. Cover the main success path, validation failures, not-found and permission cases,
edge cases (empty, boundary values, duplicates) and error paths of external dependencies, each
test checking one behaviour with a name that says what it proves. Mock only at the process
boundary (network, clock, third-party APIs); prefer a real or in-memory database when the
project's tests already do. Tests must be deterministic and runnable as they are: no sleeps,
no real network, no reliance on test order. Do not modify the code under test; if something
is hard to test, say why in the summary."""

BUILTIN_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "design-api",
        "Design API",
        "refactor.rewrite.backend.design-api",
        ("selection", "model", "route"),
        _DESIGN_API,
        "new_files",
    ),
    ActionSpec(
        "optimize-query",
        "Optimize query",
        "refactor.rewrite.backend.optimize-query",
        ("sql", "function", "route", "selection"),
        _OPTIMIZE_QUERY,
        "edit",
        offline=True,
    ),
    ActionSpec(
        "review-security",
        "Review security",
        "source.backend.review",
        ("selection", "function", "route", "sql"),
        _REVIEW_SECURITY,
        "diagnostics",
        offline=True,
    ),
    ActionSpec(
        "explain",
        "Explain",
        "refactor.backend.explain",
        ("selection", "function", "sql", "route", "model", "diagnostic"),
        _EXPLAIN,
        "explanation",
        offline=True,
    ),
    ActionSpec(
        "add-validation",
        "Add validation",
        "refactor.rewrite.backend.add-validation",
        ("function", "route", "model", "selection"),
        _ADD_VALIDATION,
        "edit",
    ),
    ActionSpec(
        "add-error-handling",
        "Add error handling",
        "refactor.rewrite.backend.add-error-handling",
        ("function", "route", "selection", "diagnostic"),
        _ADD_ERROR_HANDLING,
        "edit",
    ),
    ActionSpec(
        "write-tests",
        "Write tests",
        "refactor.backend.write-tests",
        ("function", "route", "model", "selection"),
        _WRITE_TESTS,
        "new_files",
    ),
)


def disabled_reason(spec: ActionSpec, ai_available: bool, reason: str) -> str | None:
    """Why ``spec`` cannot run (``reason``: how to enable a provider), or None when it can.

    Offline built-ins always run; everything else needs a model provider.
    """
    if ai_available or (spec.offline and spec.builtin):
        return None
    return reason


def from_config(custom: CustomAction) -> ActionSpec:
    """A user-defined action from settings."""
    return ActionSpec(
        id=custom.id,
        title=custom.title,
        kind=custom.kind,
        applies_to=tuple(custom.applies_to),
        instruction=custom.instruction,
        output=custom.output,
        builtin=False,
    )


def catalog(custom: Sequence[CustomAction] = ()) -> list[ActionSpec]:
    """Built-ins followed by configured actions; a configured id replaces a built-in."""
    by_id = {spec.id: spec for spec in BUILTIN_ACTIONS}
    for item in custom:
        by_id[item.id] = from_config(item)
    return list(by_id.values())


def find_action(action_id: str, custom: Sequence[CustomAction] = ()) -> ActionSpec | None:
    """Look an action up by id in the full catalog."""
    for spec in catalog(custom):
        if spec.id == action_id:
            return spec
    return None
