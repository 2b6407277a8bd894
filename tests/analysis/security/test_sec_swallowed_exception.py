"""BE015 swallowed-exception on real handler / service / script shapes."""

from __future__ import annotations

from rule_helpers import apply_fix, flagged, run

from backend_lsp.analysis.model import Severity

FASTAPI_HANDLER = """\
from fastapi import APIRouter

router = APIRouter()


@router.post("/orders")
async def create_order(payload: dict) -> dict:
    try:
        await charge(payload)
    except Exception:
        pass
    return {"ok": True}
"""


def test_handler_with_except_exception_pass_is_a_warning_and_fix_adds_logging() -> None:
    (finding,) = run("BE015", FASTAPI_HANDLER)
    assert finding.severity is Severity.WARNING
    assert flagged(finding, FASTAPI_HANDLER) == "except Exception:"
    assert "request handler" in finding.message
    fixed = apply_fix(FASTAPI_HANDLER, finding)
    assert "from fastapi import APIRouter\nimport logging\n" in fixed
    assert (
        '        logging.getLogger(__name__).exception("unexpected error in create_order")\n'
        in (fixed)
    )
    assert "pass" not in fixed


def test_existing_module_logger_is_reused_and_no_import_added() -> None:
    source = """\
    import logging

    from myapp.mail import send

    logger = logging.getLogger(__name__)


    def notify(user):
        try:
            send(user.email)
        except:
            pass
    """
    (finding,) = run("BE015", source, "myapp/services/notify.py")
    assert finding.severity is Severity.WARNING
    assert "KeyboardInterrupt" in finding.message
    fixed = apply_fix(source, finding)
    assert fixed.count("import logging") == 1
    assert '        logger.exception("unexpected error in notify")\n' in fixed


def test_continue_in_loop_keeps_the_continue() -> None:
    source = """\
    import structlog

    log = structlog.get_logger()

    def sync_all(accounts):
        for account in accounts:
            try:
                sync(account)
            except BaseException as exc:
                continue
    """
    (finding,) = run("BE015", source, "scripts/sync.py")
    assert finding.severity is Severity.INFORMATION  # not a handler, not service code
    fixed = apply_fix(source, finding)
    assert (
        "        except BaseException as exc:\n"
        '            log.exception("unexpected error in sync_all")\n'
        "            continue\n"
    ) in fixed


def test_one_line_forms_and_ellipsis() -> None:
    source = '''\
    """Cache helpers."""

    def warm(cache):
        try: cache.load()
        except (ValueError, Exception): ...
        for key in cache:
            try: cache.touch(key)
            except Exception: continue
    '''
    findings = run("BE015", source, "app/cache.py")
    assert len(findings) == 2
    fixed = apply_fix(source, findings[0])
    assert '"""Cache helpers."""\nimport logging\n' in fixed
    assert "except (ValueError, Exception): logging.getLogger(__name__).exception(" in fixed
    apply_fix(source, findings[1])


def test_aliased_logging_module_is_used() -> None:
    source = """\
    import logging as lg

    def f():
        try:
            g()
        except Exception:
            pass
    """
    (finding,) = run("BE015", source)
    fixed = apply_fix(source, finding)
    assert "lg.getLogger(__name__).exception(" in fixed and fixed.count("import") == 1


def test_commented_body_is_a_documented_decision_and_not_flagged() -> None:
    source = """\
    def close(conn):
        try:
            conn.close()
        except Exception:
            # best effort: the connection may already be gone
            pass
    """
    assert run("BE015", source, "app/db.py") == []
    uncommented = source.replace("        # best effort: the connection may already be gone\n", "")
    assert len(run("BE015", uncommented, "app/db.py")) == 1


def test_narrow_or_handled_exceptions_are_not_flagged() -> None:
    source = """\
    import contextlib
    import logging

    logger = logging.getLogger(__name__)

    def parse(data):
        try:
            return int(data["n"])
        except KeyError:
            pass
        except (ValueError, TypeError):
            pass
        with contextlib.suppress(FileNotFoundError):
            os.remove("/tmp/x")
        try:
            risky()
        except Exception:
            logger.exception("risky failed")
        try:
            risky()
        except Exception:
            raise
        try:
            risky()
        except Exception as exc:
            return None
    """
    assert run("BE015", source) == []


def test_syntax_error_mid_edit_does_not_crash() -> None:
    source = "def f(:\n    try:\n        x(\n    except Exception:\n        pass\n"
    findings = run("BE015", source)
    assert all(f.code == "BE015" for f in findings)


def test_probe_that_returns_or_falls_back_is_not_flagged_but_bare_except_is() -> None:
    source = """\
    def notebook_path(ip):
        try:
            return ip.user_ns["__vsc_ipynb_file__"]
        except Exception:
            pass
        return None

    def repl_id(client):
        try:
            return client.get_repl_id()
        except:
            pass
        return None
    """
    findings = run("BE015", source, "app/runtime.py")
    assert len(findings) == 1
    assert "every exception" in findings[0].message
