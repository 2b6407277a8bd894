"""Make tests/fakes importable as plain modules (``import fake_anthropic``) in every test dir."""

from __future__ import annotations

import sys
from pathlib import Path

_FAKES = Path(__file__).resolve().parent / "fakes"
if str(_FAKES) not in sys.path:
    sys.path.insert(0, str(_FAKES))
