"""Precision of the analyzer on real open-source backends: prints JSON.

Downloads a pinned list of real Python backends from PyPI with
``pip download --no-deps`` (wheels: they carry the app's Python source), keeps
only their ``.py`` files under ``~/.cache/backend-lsp-bench/realworld/<app>-<version>/``
(outside the repo, reused across runs), runs the same collection as
``backend-lsp check`` over each app in process, and scores every finding
against the committed triage files ``bench/realworld/triage*.jsonl``.

A triage line is one JSON object: ``app``, ``path`` (relative to the app's
folder), ``code``, ``line_text`` (the finding's first line, stripped), ``label``
(``tp`` / ``fp`` / ``debatable``) and a one-line ``reason``. Keys do not
include line numbers, so labels survive unrelated edits. Files load in sorted
name order and a later line for the same key wins, except that a relabel (a
line with ``"was"``: the label it replaces) always wins over a plain label,
whichever file either is in. Precision is
tp / (tp + fp); debatable and unlabelled findings are counted, not scored.

Usage: python bench/realworld.py [--set default|holdout|holdout2|holdout3|holdout4]
       [--apps pretix,wagtail] [--unlabelled-out FILE] [--findings-out FILE]
``--set holdout`` to ``--set holdout4`` score apps the rules were never
tuned on (``HOLDOUT``, ``HOLDOUT2``, ``HOLDOUT3``, ``HOLDOUT4``).
Not part of CI (it downloads ~250 MB once).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend_lsp.config import AnalysisSettings
from backend_lsp.report.collect import collect


@dataclass(frozen=True)
class App:
    name: str
    version: str
    stack: str

    @property
    def key(self) -> str:
        return f"{self.name}-{self.version}"


# Pinned: changing a version invalidates that app's triage lines (paths and lines move).
APPS: tuple[App, ...] = (
    App("pretix", "2026.8.0", "Django + DRF + Celery"),
    App("django-oscar", "4.2.1", "Django"),
    App("wagtail", "8.0.1", "Django + DRF"),
    App("label-studio", "1.23.2", "Django + DRF"),
    App("prefect", "3.9.1", "FastAPI + SQLAlchemy (async) + Alembic"),
    App("lnbits", "1.6.2", "FastAPI + SQL"),
    App("mlflow", "3.18.0", "Flask + FastAPI + SQLAlchemy + Alembic"),
    App("apache-superset", "6.1.0", "Flask + SQLAlchemy + Alembic"),
)

# Held out: never tuned on, scored from ``triage-holdout.jsonl`` (``--set holdout``).
# Kept apart so the default figures and CI stay on the tuned corpus above.
HOLDOUT: tuple[App, ...] = (
    App("nautobot", "3.2.7", "Django + DRF + GraphQL + Celery"),
    App("pulpcore", "3.123.1", "Django + DRF + aiohttp"),
)
# Second held-out set (``--set holdout2``, ``triage-holdout2.jsonl``): Flask + SQLAlchemy apps,
# and real LDAP filter building (privacyidea's ldap3 resolver), which the sets above lack.
HOLDOUT2: tuple[App, ...] = (
    App("privacyidea", "3.14", "Flask + SQLAlchemy + ldap3"),
    App("ckan", "2.12.0", "Flask + SQLAlchemy"),
)
# Third held-out set (``--set holdout3``, ``triage-holdout3.jsonl``): a security-heavy Flask +
# SQLAlchemy app (lemur: certificates, crypto, auth plugins) and a large Django + DRF app that
# parses XML with lxml (geonode).
HOLDOUT3: tuple[App, ...] = (
    App("lemur", "1.9.3", "Flask + SQLAlchemy + cryptography"),
    App("geonode", "5.1.1", "Django + DRF + lxml"),
)
# Fourth held-out set (``--set holdout4``, ``triage-holdout4.jsonl``): two forums (a large
# Django + DRF one, misago; a Flask + SQLAlchemy one, flaskbb) and a Pyramid JSON storage API
# (kinto). flaskbb 2.2.0, ethyca-fides 2.86.2 and indico 3.3.14 have no wheel on the registry,
# so flaskbb is pinned to its newest wheel and kinto takes the FastAPI app's place.
HOLDOUT4: tuple[App, ...] = (
    App("misago", "0.39.6", "Django + DRF + Celery"),
    App("flaskbb", "2.0.2", "Flask + SQLAlchemy"),
    App("kinto", "26.5.0", "Pyramid + SQLAlchemy/PostgreSQL"),
)
SETS: dict[str, tuple[App, ...]] = {
    "default": APPS,
    "holdout": HOLDOUT,
    "holdout2": HOLDOUT2,
    "holdout3": HOLDOUT3,
    "holdout4": HOLDOUT4,
}

CACHE = Path.home() / ".cache" / "backend-lsp-bench" / "realworld"
WHEELS = CACHE.parent / "wheels"
TRIAGE_DIR = Path(__file__).resolve().parent / "realworld"
TARGET_OVERALL = 0.85
TARGET_PER_RULE = 0.7
MIN_FIRINGS = 10

Key = tuple[str, str, str, str]


def fetch(app: App) -> Path:
    """The app's unpacked Python source, downloading it the first time."""
    folder = CACHE / app.key
    marker = folder / ".complete"
    if marker.exists():
        return folder
    WHEELS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # pip skips a wheel already in WHEELS
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         "-q", "-d", str(WHEELS), f"{app.name}=={app.version}"],
        check=True,
    )  # fmt: skip
    stem = f"{app.name.replace('-', '_')}-{app.version}-"
    wheels = [w for w in WHEELS.glob("*.whl") if w.name.lower().startswith(stem)]
    if len(wheels) != 1:
        raise RuntimeError(f"{app.key}: expected one wheel in {WHEELS}, got {wheels}")
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheels[0]) as archive:
        for member in archive.namelist():
            if member.endswith(".py") and ".." not in Path(member).parts:
                archive.extract(member, folder)
    marker.write_text(app.version, encoding="utf-8")
    return folder


def load_triage() -> dict[Key, dict[str, str]]:
    """Labels by key: relabels (``"was"`` set) override plain labels in any file.

    ``triage.jsonl`` sorts after every ``triage-<branch>.jsonl``, so without the
    rule a helper's corrected label would lose to the stale one it corrects.
    """
    labels: dict[Key, dict[str, str]] = {}
    relabels: dict[Key, dict[str, str]] = {}
    for file in sorted(TRIAGE_DIR.glob("triage*.jsonl")):
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            entry = json.loads(line)
            if entry.get("label") not in ("tp", "fp", "debatable"):
                raise ValueError(f"{file.name}:{number}: label must be tp, fp or debatable")
            key = (entry["app"], entry["path"], entry["code"], entry["line_text"].strip())
            (relabels if "was" in entry else labels)[key] = entry
    return labels | relabels


def precision(tp: int, fp: int) -> float | None:
    return round(tp / (tp + fp), 3) if tp + fp else None


def run(
    apps: list[App], unlabelled_out: Path | None, findings_out: Path | None = None
) -> dict[str, Any]:
    labels = load_triage()
    settings = AnalysisSettings()
    per_app: dict[str, Any] = {}
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    unlabelled: list[dict[str, Any]] = []
    every: list[dict[str, Any]] = []
    seen: set[Key] = set()
    total_seconds = 0.0
    for app in apps:
        folder = fetch(app)
        started = time.perf_counter()
        report = collect([folder], folder, settings, cwd=folder, use_cache=False)
        seconds = time.perf_counter() - started
        total_seconds += seconds
        counts: Counter[str] = Counter()
        for located in report.findings:
            code = located.finding.code
            counts[code] += 1
            key = (app.name, located.root_path or located.path, code, located.line_text.strip())
            seen.add(key)
            entry = labels.get(key)
            label = entry["label"] if entry else "unlabelled"
            per_rule[code][label] += 1
            item = {
                "app": app.name, "path": key[1], "line": located.span.line,
                "code": code, "line_text": key[3], "message": located.finding.message,
            }  # fmt: skip
            every.append({**item, "label": label, "reason": (entry or {}).get("reason", "")})
            if entry is None:
                unlabelled.append(item)
        per_app[app.name] = {
            "version": app.version,
            "stack": app.stack,
            "files": report.files_checked,
            "findings": sum(counts.values()),
            "seconds": round(seconds, 2),
            "per_rule": dict(sorted(counts.items())),
        }
    rules_out: dict[str, Any] = {}
    short: list[str] = []
    for code, tally in sorted(per_rule.items()):
        fired = sum(tally.values())
        value = precision(tally["tp"], tally["fp"])
        labelled = {k: tally[k] for k in ("tp", "fp", "debatable", "unlabelled")}
        rules_out[code] = {"findings": fired, **labelled, "precision": value}
        if fired >= MIN_FIRINGS and (value is None or value < TARGET_PER_RULE):
            short.append(code)
    tp = sum(t["tp"] for t in per_rule.values())
    fp = sum(t["fp"] for t in per_rule.values())
    overall = precision(tp, fp)
    if unlabelled_out is not None:
        unlabelled_out.write_text(
            "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in unlabelled),
            encoding="utf-8",
        )
    if findings_out is not None:
        findings_out.write_text(
            "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in every),
            encoding="utf-8",
        )
    chosen = {app.name for app in apps}
    stale = sum(1 for key in labels if key[0] in chosen and key not in seen)
    return {
        "apps": per_app,
        "files": sum(a["files"] for a in per_app.values()),
        "findings": sum(a["findings"] for a in per_app.values()),
        "seconds": round(total_seconds, 2),
        "per_rule": rules_out,
        "overall": {"tp": tp, "fp": fp, "precision": overall},
        "targets": {
            "overall": TARGET_OVERALL,
            "per_rule": TARGET_PER_RULE,
            "min_firings": MIN_FIRINGS,
            "overall_met": overall is not None and overall >= TARGET_OVERALL,
            "rules_short": short,
        },
        "unlabelled_count": len(unlabelled),
        "unlabelled": unlabelled[:50],
        "stale_labels": stale,  # labels whose finding no longer fires (fixed or moved)
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set", dest="app_set", choices=sorted(SETS), default="default",
        help="which pinned list: the tuned corpus (default) or the held-out apps",
    )  # fmt: skip
    parser.add_argument("--apps", help="comma list of app names (default: all in the set)")
    parser.add_argument("--unlabelled-out", type=Path, help="write every unlabelled finding")
    parser.add_argument(
        "--findings-out", type=Path, help="write every finding with its label and reason"
    )
    args = parser.parse_args()
    pinned = SETS[args.app_set]
    apps = list(pinned)
    if args.apps:
        wanted = {name.strip() for name in args.apps.split(",")}
        unknown = wanted - {app.name for app in pinned}
        if unknown:
            parser.error(f"unknown app(s) in set {args.app_set}: {', '.join(sorted(unknown))}")
        apps = [app for app in pinned if app.name in wanted]
    result = run(apps, args.unlabelled_out, args.findings_out)
    sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
