"""``python -m backend_lsp`` is the same as the ``backend-lsp`` console script."""

import sys

from backend_lsp.cli import main

sys.exit(main())
