"""``python -m backend_lsp.lsp``: serve over stdio (used by tests and the benchmark)."""

from __future__ import annotations

import argparse

from backend_lsp.lsp.server import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m backend_lsp.lsp")
    parser.add_argument("--tcp", metavar="HOST:PORT", default=None)
    parser.add_argument("--log-level", default=None)
    parser.add_argument("--log-file", default=None)
    args = parser.parse_args()
    tcp = None
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        tcp = (host or "127.0.0.1", int(port))
    serve(tcp=tcp, log_level=args.log_level, log_file=args.log_file)


if __name__ == "__main__":
    main()
