"""BE015 swallowed-exception on real handler / service / script shapes."""

from __future__ import annotations

import textwrap

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

    def flush(cache):
        try: cache.save()
        except (ValueError, Exception): ...
        for key in cache.expired():
            try: cache.delete(key)
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

    def f(order):
        try:
            order.save()
        except Exception:
            pass
    """
    (finding,) = run("BE015", source)
    fixed = apply_fix(source, finding)
    assert "lg.getLogger(__name__).exception(" in fixed and fixed.count("import") == 1


def test_commented_body_is_a_documented_decision_and_not_flagged() -> None:
    source = """\
    def record_login(conn, user):
        try:
            conn.insert("logins", user.id)
        except Exception:
            # the login itself succeeded; the audit row is optional here
            pass
    """
    assert run("BE015", source, "app/db.py") == []
    uncommented = source.replace(
        "        # the login itself succeeded; the audit row is optional here\n", ""
    )
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


def test_reads_probes_and_coercions_are_not_flagged() -> None:
    source = """\
    import json


    def load_manifest(dist):
        try:
            info = json.loads(dist.read_text("direct_url.json") or "{}")
            editable = info.get("dir_info", {}).get("editable", False)
        except Exception:
            pass


    def initial_values(form, initial):
        for k in initial:
            try:
                initial[k] = form.fields[k].to_python(initial[k])
            except Exception:
                pass
        return initial


    def versions():
        result = {}
        try:
            import sentry_sdk

            result["sentry"] = sentry_sdk.VERSION
        except Exception:
            pass
        return result


    class Repo:
        def __init__(self, uri):
            self.spark = None
            try:
                self.spark = active_spark_session()
            except Exception:
                pass
    """
    assert run("BE015", source, "app/services/exports.py") == []


def test_fallback_after_an_enclosing_block_is_a_probe() -> None:
    source = """\
    def read_settings(path):
        if path.exists():
            try:
                return json.loads(path.read_text())
            except Exception:
                pass
        return {}
    """
    assert run("BE015", source, "app/services/config.py") == []


def test_telemetry_and_cleanup_are_best_effort() -> None:
    source = """\
    def handle_success(self, result):
        try:
            analytics.track("first_flow_run")
            send_telemetry_event("flow_run")
        except Exception:
            pass
        return result


    class Sandbox:
        def cleanup(self):
            try:
                self.container.delete(force=True)
            except Exception:
                pass

        def __del__(self):
            try:
                self.conn.commit()
            except Exception:
                pass

        def run(self):
            try:
                self.start()
            finally:
                try:
                    self.results.save()
                except Exception:
                    pass
    """
    assert run("BE015", source, "app/services/sandbox.py") == []
    # the same write outside a cleanup path is a hidden failure
    module = """\
    def _write_state(path, data):
        try:
            path.write_text(data)
        except Exception:
            pass
    """
    assert len(run("BE015", module, "app/services/state.py")) == 1
    assert run("BE015", module, "app/analytics/state.py") == []
    assert run("BE015", module, "app/services/telemetry.py") == []


def test_hidden_payment_auth_and_write_failures_are_flagged() -> None:
    source = """\
    from django.http import JsonResponse


    def refund_view(request, order):
        try:
            provider.refund(order.payment, amount=order.total)
        except Exception:
            pass
        return JsonResponse({"ok": True})


    def is_admin(user, obj):
        allowed = True
        try:
            allowed = user.has_perm("shop.change_order", obj)
        except Exception:
            pass
        return allowed


    def rebuild(cursor, rows):
        for row in rows:
            try:
                cursor.execute("UPDATE stock SET qty = %s WHERE id = %s", row)
            except Exception:
                continue
            try:
                cursor.execute("SELECT 1")
            except Exception:
                continue
    """
    findings = run("BE015", source, "shop/views.py")
    lines = [textwrap.dedent(source).encode()[: f.start].count(b"\n") + 1 for f in findings]
    assert lines == [7, 16, 25]


def test_base_exception_is_reported_like_a_bare_except() -> None:
    source = """\
    def read_flag(path):
        try:
            return path.read_text() == "1"
        except BaseException:
            pass
        return False
    """
    assert len(run("BE015", source, "app/flags.py")) == 1


def test_loop_probe_that_continues_on_success_has_a_fallback() -> None:
    source = """\
    def custom_scorers(names):
        registered = set()
        for name in names:
            builtin = BUILTINS.get(name)
            if builtin is not None:
                try:
                    builtin.register()
                    continue
                except Exception:
                    pass
            registered.add(name)
        return registered
    """
    assert run("BE015", source, "app/services/scorers.py") == []
    no_fallback = source.replace("            registered.add(name)\n", "")
    assert len(run("BE015", no_fallback, "app/services/scorers.py")) == 1


def test_a_business_operation_named_like_cleanup_is_still_reported() -> None:
    source = """\
    def remove_member(team, user):
        try:
            team.members.delete(user)
        except Exception:
            pass


    def _stop_quietly(worker):
        try:
            worker.stop()
        except Exception:
            pass
    """
    (finding,) = run("BE015", source, "app/services/teams.py")
    assert finding.start < textwrap.dedent(source).index("_stop_quietly")


def test_audit_trail_and_usage_billing_writes_are_not_telemetry() -> None:
    source = """\
    def record(event, user):
        try:
            write_audit_log(event, user)
        except Exception:
            pass
        try:
            record_usage(user.account, units=3)
        except Exception:
            pass
    """
    assert len(run("BE015", source, "app/services/audit_logs.py")) == 2
    assert run("BE015", source, "app/telemetry/send_logs.py") == []  # the module says so


def test_value_read_named_after_a_verb_is_a_read_but_the_verb_still_counts() -> None:
    source = """\
    def export_row(payment):
        reference = ""
        summary = ""
        try:
            reference = payment.provider.refund_reference_id(payment) or ""
            summary = payment.provider.refund_render_short(payment)
        except Exception:
            pass
        return [payment.order_code, reference, summary]


    def refund_and_report(payment):
        result = None
        try:
            result = payment.provider.refund(payment, amount=payment.amount)
        except Exception:
            pass
        return result
    """
    findings = run("BE015", source, "shop/exports.py")
    lines = [textwrap.dedent(source).encode()[: f.start].count(b"\n") + 1 for f in findings]
    assert lines == [16]
