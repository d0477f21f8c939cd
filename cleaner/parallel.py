"""Cleaning a stream of input lines on one core or many, in input order, with bounded memory.

Each unit of work is a chunk of input lines; a worker parses, cleans and serialises them, so
the parent only writes finished JSON lines. The CLI's chunks travel compact (`clean_chunks`): a
file's lines as one bytes object (`LineBlock`), decoded in the worker, and back the chunk's
output lines joined in runs with one Summary of the chunk (`DoneChunk`), so the parent reads,
sends, receives, writes and counts once a chunk rather than once a line. At most `workers * IN_FLIGHT` chunks are queued
or running at a time, so memory does not grow with the input; results are written in input
order, so the output is byte-identical for any number of workers.
"""

from __future__ import annotations

import json
import os
import signal
from collections import deque
from typing import Iterable, Iterator

from .io import ENCODING, InputUnit, LineBlock, dumps, dumps_encoded
from .pipeline import SURROGATE, Cleaner, Options
from .records import slots_repr
from .reject import RejectReason, reject
from .stats import Summary, Tally

# Lines per task (a worker's, or this process's with -w 1). A task's pages are stripped first and
# their language checked after (`Cleaner.clean_many`), so the longer the task, the less often the
# rules' and the model's data replace each other in the CPU's caches: 256 lines against 64, CPU
# time a page -3% to -6% with -w 1 and -11% with -w 2 (interleaved runs on dev.jsonl x3)
CHUNK = 256
CHUNK_BYTES = 512 * 1024  # ... and at most this much input, so a task of HTML pages stays small too
IN_FLIGHT = 4  # chunks per worker queued or running at once
# The input's last chunks (one per worker) go to the workers in pieces of at most this many lines:
# with whole chunks, one worker is left alone with the last chunk for half a chunk's time on average
TAIL_PIECE = 32


class Done:
    """One input unit, cleaned: its output line, and what the summary counts of it. (A plain
    class, not a dataclass: making one costs about a millisecond of every start-up.)"""

    __slots__ = ("line", "kept", "tally")

    def __init__(self, json_line: str | bytes, kept: bool, tally: Tally):
        # the line as str, or as the bytes `ENCODING` makes of it (`io.dumps_encoded`): a chunk's
        # output is written as bytes, and a line decoded only to be encoded again costs both ways
        self.line = json_line
        self.kept = kept  # True: a record for the output; False: a reject
        self.tally = tally

    @property
    def json_line(self) -> str:
        line = self.line
        return line if type(line) is str else line.decode()

    __repr__ = slots_repr


def clean_line(cleaner: Cleaner, line: InputUnit) -> Done:
    """Parse, clean and serialise one input line: the same steps in every process."""
    return clean_chunk(cleaner, [line])[0]


def clean_chunk(cleaner: Cleaner, chunk: list[InputUnit]) -> list[Done]:
    """`clean_line` of each line of a chunk, cleaned together (`Cleaner.clean_many`)."""
    parsed = [line.parsed() for line in chunk]
    cleaned = iter(cleaner.clean_many([page for page, bad in parsed if bad is None]))
    dones = []
    for page, bad in parsed:
        if bad is None:
            record, rejected = next(cleaned)
            dones.append(_done(page, record, rejected))
        else:
            dones.append(_done(page, None, bad))
    return dones


def _done(page, record: dict | None, rejected: dict | None) -> Done:
    if record is not None:
        try:
            json_line, surrogate = dumps_encoded(record)
        except ValueError as exc:  # NaN or Infinity in a field given through the API: not JSON
            rejected = reject(page, RejectReason.INVALID_JSON, f"a field cannot be written as JSON: {exc}")
        else:
            if not surrogate:
                return Done(json_line, True, Tally.of(record, None))
            # a passed-through field holds invalid UTF-8 or a lone surrogate: not for a clean corpus
            rejected = reject(page, RejectReason.INVALID_UNICODE, "a field holds invalid UTF-8 or a lone surrogate")
    return Done(_reject_line(rejected), False, Tally.of(None, rejected))


class DoneChunk:
    """A chunk's units, cleaned: their output lines in input order, as runs of consecutive
    records or rejects (`(kept, the run's lines joined and encoded as io.Output encodes them)`),
    and a Summary that counted each of them (`Summary.add_tally`), for the parent to write
    (`Output.write_encoded`) and count (`Summary.add_counts`) at once."""

    __slots__ = ("runs", "counts")

    def __init__(self, dones: list[Done]):
        runs: list[tuple[bool, bytes]] = []
        counts = Summary()
        encoding, errors = ENCODING
        kept, lines = None, []
        for done in dones:
            counts.add_tally(done.tally)
            if done.kept is not kept:
                if lines:
                    runs.append((kept, b"".join(lines)))
                kept, lines = done.kept, []
            # (each line encoded alone: a run joined as str first would be as wide as its widest character)
            line = done.line
            lines.append(line.encode(encoding, errors) if type(line) is str else line)
        if lines:
            runs.append((kept, b"".join(lines)))
        self.runs, self.counts = runs, counts

    __repr__ = slots_repr


def _reject_line(rejected: dict) -> str:
    """The reject as one line of valid UTF-8 JSON, whatever the input held."""
    try:
        json_line = dumps(rejected)
    except ValueError:  # NaN, Infinity or an enormous integer in the page: keep only why
        page_id = rejected.get("id")
        json_line = dumps({**({"id": page_id} if isinstance(page_id, str) else {}), "reject": rejected["reject"]})
    if SURROGATE.search(json_line):  # escape what cannot be written as UTF-8
        json_line = json.dumps(json.loads(json_line), ensure_ascii=True, separators=(",", ":")) + "\n"
    return json_line


_WORKER: Cleaner | None = None


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies (even by SIGKILL), so that no worker
    is left blocked for ever holding the output files open."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the executor's own checks stand
        pass
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(1)


def _start_worker(options: Options, parent: int) -> None:
    global _WORKER
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # ... which ends its workers with SIGTERM
    _WORKER = Cleaner(options)  # packs and the language model load once per worker process


def _work(chunk: list[InputUnit]) -> list[Done]:
    return clean_chunk(_WORKER, chunk)


def _work_compact(chunk: list) -> DoneChunk:
    return DoneChunk(clean_chunk(_WORKER, _units(chunk)))


def _units(chunk: list) -> list[InputUnit]:
    """A chunk's input units, its `LineBlock`s decoded and split."""
    units: list[InputUnit] = []
    for item in chunk:
        if type(item) is LineBlock:
            units += item.units()
        else:
            units.append(item)
    return units


def _chunk(source, lines: int = CHUNK) -> list:
    """The next chunk of `source`'s units (or `LineBlock`s, each counted as its lines and bytes)."""
    chunk, count, size = [], 0, 0
    for line in source:
        chunk.append(line)
        if type(line) is LineBlock:
            count += len(line.numbers)
            size += len(line.data)
        else:
            count += 1
            size += len(line.raw) if line.raw is not None else CHUNK_BYTES
        if count >= lines or size >= CHUNK_BYTES:
            break
    return chunk


def _tail_in_pieces(chunks: Iterator[list], held: int) -> Iterator[list]:
    """`chunks`, the last `held` of them cut into pieces of at most TAIL_PIECE lines (each
    LineBlock cut by its lines, any other unit alone): the same units in the same order."""
    ahead: deque = deque()
    for chunk in chunks:
        ahead.append(chunk)
        if len(ahead) > held:
            yield ahead.popleft()
    for chunk in ahead:
        for item in chunk:
            yield from ([piece] for piece in item.pieces(TAIL_PIECE)) if type(item) is LineBlock else ([item],)


def _chunks(lines: Iterable) -> Iterator[list]:
    source = iter(lines)
    while True:
        chunk = _chunk(source)
        if not chunk:
            return
        yield chunk


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def clean_stream(lines: Iterable[InputUnit], options: Options, workers: int = 1) -> Iterator[Done]:
    """Every line of `lines`, cleaned, in input order. `workers=1` cleans in this process.

    The options and packs are checked now, before the first line is read (PackError,
    ValueError), so that a caller can refuse to start before opening any output."""
    cleaner = Cleaner(options)
    if workers <= 1:
        return _clean_here(cleaner, lines)
    return _each_done(_in_workers(_chunks(lines), options, workers, _work))


def clean_chunks(lines: Iterable, options: Options, workers: int = 1) -> Iterator[DoneChunk]:
    """`clean_stream` a chunk at a time: each chunk of `lines` (InputUnits, and `LineBlock`s
    from `read_lines(..., blocks=BLOCKS)`), cleaned, as a `DoneChunk`, in input order. The same
    output lines, the same counts, for any number of workers. Options are checked now."""
    cleaner = Cleaner(options)
    if workers <= 1:
        return _compact_here(cleaner, lines)
    return _in_workers(_tail_in_pieces(_chunks(lines), workers), options, workers, _work_compact)


BLOCKS = (CHUNK, CHUNK_BYTES)  # `read_lines(..., blocks=BLOCKS)`: a file's lines a chunk at a time


def _clean_here(cleaner: Cleaner, lines: Iterable[InputUnit]) -> Iterator[Done]:
    """One worker: this process cleans the lines chunk by chunk, like a worker would."""
    for chunk in _chunks(lines):
        yield from clean_chunk(cleaner, chunk)


def _compact_here(cleaner: Cleaner, lines: Iterable) -> Iterator[DoneChunk]:
    for chunk in _chunks(lines):
        yield DoneChunk(clean_chunk(cleaner, _units(chunk)))


def _each_done(results) -> Iterator[Done]:
    try:
        for dones in results:
            yield from dones
    finally:
        results.close()  # stops the workers now when this is closed early


def _in_workers(chunks: Iterator[list], options: Options, workers: int, work) -> Iterator:
    """`work(chunk)` of each chunk in worker processes, the results in input order."""
    import multiprocessing as mp  # here: a one-worker run does not pay for importing the pool
    from concurrent.futures import ProcessPoolExecutor

    context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    # ProcessPoolExecutor rather than multiprocessing.Pool: Pool.terminate can hang for ever when
    # its task thread is blocked writing a large chunk to workers that are gone (a closed output
    # pipe mid-run showed it); the executor stops after the chunks already handed out.
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                   initargs=(options, os.getpid()))
    pending: deque = deque()
    try:
        while True:
            while len(pending) < workers * IN_FLIGHT:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append(executor.submit(work, chunk))
            if not pending:
                break
            yield pending.popleft().result()
    except BaseException:  # the reader left (a closed pipe), a stop request, or an error: stop now
        _stop_now(executor)
        raise
    executor.shutdown()


def _stop_now(executor: ProcessPoolExecutor) -> None:
    """End the workers at once: the chunks in their hands would take up to 256 page time limits.

    A worker ended while it wrote a result leaves half of it in the result pipe, and chunks not
    yet handed out may fill the task pipe: the executor's reading thread would wait for the rest
    of the result, and its feeding thread for room, for ever, and the interpreter waits for both
    when it exits (`corpus-cleaner -w 2 ... | head` hung about one run in ten). Once the workers
    are gone, this process closes its own copy of the result pipe's writing end, so the reader
    gets end-of-file (the executor then treats the pool as broken and ends its thread, waited for
    here), and the feeding thread is not waited for."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    # (shutdown drops the executor's references to these)
    tasks, results = getattr(executor, "_call_queue", None), getattr(executor, "_result_queue", None)
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
    if tasks is not None:
        tasks.cancel_join_thread()
    if results is not None and not any(process.is_alive() for process in processes):
        results._writer.close()
        if manager is not None:  # done with the pool before the interpreter's exit wakes it (a race)
            manager.join(timeout=5)
