"""The benchmarks' data outside the checkout (../shared): a missing folder is one line, not a traceback."""

from __future__ import annotations

import sys
from pathlib import Path


def require(path: Path, option: str | None = None) -> Path:
    """`path`, or exit with one line on stderr naming it (and the option that points elsewhere)."""
    if not path.exists():
        elsewhere = f", or give {option} PATH" if option else ""
        sys.exit(f"{Path(sys.argv[0]).name}: {path} not found: this benchmark reads the shared data "
                 f"beside the checkout (../shared){elsewhere}")
    return path
