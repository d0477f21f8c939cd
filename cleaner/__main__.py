"""The `corpus-cleaner` program: `python -m cleaner` and the console script (`run`)."""

from __future__ import annotations

import gc
import os
import sys


def run() -> None:
    """`cli.main`, set up for a process that runs one command and ends.

    The command's modules are imported with the garbage collector off, and what they made is
    frozen (`gc.freeze`): they live as long as the process, and collections that traversed them
    over and over while the packs and the model load were a few percent of a short run. When
    the command is done the process ends at once: every file it wrote is closed by then, and
    standard output and error are flushed here; tearing the interpreter down (freeing every
    module, pack and model object one by one) was about a tenth of a short run. A command that
    fails (`sys.exit`) ends the usual way. Code calling `cli.main` itself is not affected."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        from .cli import main
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    status = main(prog_name="corpus-cleaner")
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken stream: let the interpreter end it and say so
        sys.exit(status)
    os._exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    run()
