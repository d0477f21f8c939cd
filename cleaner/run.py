"""The whole job as one call: read inputs, clean each page, write records and rejects, count.

`clean_files` is what the `corpus-cleaner` command runs; it takes the same options.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Iterable

from .io import Output, OutputError, read_lines, same_file
from .parallel import BLOCKS, clean_chunks
from .pipeline import Options
from .stats import Summary

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


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

    Options, packs and paths are all checked before any output is opened; an output that is
    also an input is refused. Files are written beside their target and put in place when the
    run ends (see `cleaner.io.Output`): completed, or interrupted (`summary.interrupted`: the
    files then end with the last whole record cleaned). A run that fails leaves earlier files
    as they were.
    """
    inputs = list(inputs)
    opts = Options(**options)
    summary = Summary()
    summary.start(inputs)
    done_stream = clean_chunks(read_lines(inputs, opts.max_line_bytes, BLOCKS), opts, workers)  # checks options and packs
    check_paths(inputs, {"--output": output, "--rejects": rejects, "--stats": stats})
    opened: list[Output] = []
    try:
        out = Output(output)
        opened.append(out)
        bad = out if rejects in ("-",) and output in (None, "-") else Output(rejects) if rejects else None
        if bad is not None and bad is not out:
            opened.append(bad)
        stats_file = Output(stats) if stats else None
        if stats_file is not None:
            opened.append(stats_file)
    except BaseException:
        done_stream.close()
        for file in opened:
            file.discard()
        raise
    bar = _progress_bar(progress)
    try:
        with _stop_requests() as stop:
            try:
                for done in done_stream:  # a chunk's records and rejects
                    stop.deferred = True  # a stop request now waits until they are written and counted
                    for kept, lines in done.runs:
                        if kept:
                            out.write_encoded(lines)
                        elif bad is not None:
                            bad.write_encoded(lines)
                    summary.add_counts(done.counts)
                    if bar is not None:
                        bar.update(done.counts.read)
                    stop.deferred = False
                    if stop.requested:
                        raise KeyboardInterrupt
            except KeyboardInterrupt:  # Ctrl-C, SIGTERM or SIGHUP: stop now, keep what is whole
                summary.interrupted = True
            finally:
                stop.deferred = True  # the files are being finished: later signals only set the flag
                done_stream.close()
                if bar is not None:
                    bar.close()
            summary.finish()
            if stats_file is not None:
                stats_file.write(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n")
            for file in opened:
                file.finish()
            for file in opened:
                file.commit()
    except BrokenPipeError:  # the reader of standard output left: the files keep what is whole
        for file in opened:
            if file.path in (None, "-"):
                file.discard()
            else:
                try:
                    file.finish()
                    file.commit()
                except OSError:
                    file.discard()
        raise
    except BaseException:
        for file in opened:
            file.discard()
        raise
    return summary


def check_paths(inputs: list[str], outputs: dict[str, str | None]) -> None:
    """Refuse an output that is an input (or another output): the run would destroy it."""
    named = {flag: path for flag, path in outputs.items() if path not in (None, "-")}
    stdin = _stdin_file() if "-" in inputs else None
    seen: dict[str, str] = {}
    for flag, path in named.items():
        for other_flag, other in seen.items():
            if os.path.realpath(path) == os.path.realpath(other) or same_file(path, other):
                raise OutputError(f"{flag} {path} is the same file as {other_flag} {other}")
        seen[flag] = path
        for source in inputs:
            if source == "-":
                if stdin is not None and same_file(stdin, path):
                    raise OutputError(f"{flag} {path} is also the input (standard input): refusing to overwrite it")
            elif os.path.realpath(source) == os.path.realpath(path) or same_file(source, path):
                raise OutputError(f"{flag} {path} is also an input: refusing to overwrite it")


def _stdin_file() -> str | None:
    try:
        return f"/proc/self/fd/{sys.stdin.fileno()}" if os.path.exists("/proc/self/fd/0") else None
    except (AttributeError, ValueError, OSError):
        return None


class _StopRequest:
    """A signal handler: the first Ctrl-C, SIGTERM or SIGHUP stops the run at once (while
    waiting for input or for workers, or in the page in hand), unless a record is being written,
    when it stops right after. Later signals only set the flag: stopping is already under way."""

    def __init__(self):
        self.requested = False
        self.deferred = False
        self.raised = False

    def __call__(self, signum, frame):
        self.requested = True
        if not self.deferred and not self.raised:
            self.raised = True
            raise KeyboardInterrupt


@contextmanager
def _stop_requests():
    stop = _StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _progress_bar(enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=" pages", file=sys.stderr, mininterval=0.5, smoothing=0.1)
