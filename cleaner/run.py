"""The whole job as one call: read inputs, clean each page, write records and rejects, count.

`clean_files` is what the `corpus-cleaner` command runs; it takes the same options.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Iterable

from .io import open_output, read_lines
from .parallel import clean_stream
from .pipeline import Options
from .stats import Summary


def clean_files(
    inputs: Iterable[str] = ("-",),
    output: str | None = None,
    rejects: str | None = None,
    stats: str | None = None,
    progress: bool = False,
    workers: int = 1,
    **options,
) -> Summary:
    """Clean every page of `inputs` (JSONL, .gz, page files; '-' = stdin) into `output` (None = stdout).

    Rejects go to `rejects` when given (else they are only counted). `workers` processes clean
    in parallel (output order and bytes do not depend on it). Returns the run's Summary; with
    `stats`, also writes it there as JSON. Options are those of `cleaner.pipeline.Options`.
    Output is written a whole line at a time: after an interrupt (`summary.interrupted`) the
    files end with the last whole record that was cleaned.
    """
    inputs = list(inputs)
    summary = Summary()
    summary.start(inputs)
    done_stream = clean_stream(read_lines(inputs), Options(**options), workers)
    out = open_output(output)
    bad = open_output(rejects) if rejects else None
    bar = _progress_bar(progress)
    try:
        with _stop_requests() as stop:
            for done in done_stream:
                if done.kept:
                    out.write(done.json_line)
                elif bad is not None:
                    bad.write(done.json_line)
                summary.add_tally(done.tally)
                if bar is not None:
                    bar.update(1)
                if stop.is_set():  # Ctrl-C or SIGTERM: stop after a whole record, counted
                    summary.interrupted = True
                    break
    except KeyboardInterrupt:  # arrived outside the loop's handlers (another thread's run)
        summary.interrupted = True
    finally:
        done_stream.close()
        if bar is not None:
            bar.close()
        out.flush()
        if output not in (None, "-"):
            out.close()
        if bad is not None:
            bad.close()
    summary.finish()
    if stats:
        with open(stats, "w", encoding="utf-8") as fh:
            json.dump(summary.to_dict(), fh, ensure_ascii=False, indent=2)
            fh.write("\n")
    return summary


@contextmanager
def _stop_requests():
    """While cleaning, Ctrl-C and SIGTERM only raise a flag: the loop ends after the record in
    hand, so output files end with a whole line and the summary counts what was written."""
    flag = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return
    previous = {sig: signal.signal(sig, lambda signum, frame: flag.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield flag
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _progress_bar(enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=" pages", file=sys.stderr, mininterval=0.5, smoothing=0.1)
