"""Nightly maintenance: expire sessions, drop abandoned carts, reset the demo tenant.

Run from cron: python -m scripts.cleanup
"""

import logging
import os
import sys
import time

import psycopg

log = logging.getLogger("cleanup")


def expire_sessions(conn: psycopg.Connection) -> int:
    with conn.cursor() as cur:
        cur.execute("DELETE FROM sessions WHERE expires_at < now()")
        return cur.rowcount


def drop_abandoned_orders(conn: psycopg.Connection, days: int) -> int:
    with conn.cursor() as cur:
        cur.execute(
            "DELETE FROM orders WHERE status = 'pending' AND created_at < now() - make_interval(days => %s)",
            (days,),
        )
        return cur.rowcount


def reset_demo_tenant(conn: psycopg.Connection) -> None:
    with conn.cursor() as cur:
        cur.execute("DELETE FROM order_items")
        cur.execute("UPDATE products SET stock = 100")


def main() -> int:
    logging.basicConfig(level=logging.INFO)
    started = time.monotonic()
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        log.info("expired %d sessions", expire_sessions(conn))
        log.info("dropped %d abandoned orders", drop_abandoned_orders(conn, days=14))
        if os.environ.get("SHOP_DEMO") == "1":
            reset_demo_tenant(conn)
    log.info("cleanup finished in %.1fs", time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
