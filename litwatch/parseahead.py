"""Parse the next efetch body in a second process while this one classifies and stores the last.

Parsing (Bio.Entrez + conversion) costs about as much as classifying, and storing adds a third, so the worker also
classifies a share of each batch, balanced as the run goes so that neither process waits for the other: on two
cores a backfill runs close to twice as fast. Small runs parse in-process: starting a worker costs more than it
saves.

The worker is `python -m litwatch.parseahead`, fed length-prefixed bodies on stdin, answering pickled
ParsedBatches on stdout. Not multiprocessing: its spawn mode re-runs the caller's main module (a script without
a `__main__` guard would run twice) and its fork mode copies threads and open files (the write lock).
"""

from __future__ import annotations

import logging
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from litwatch.classify import classify
from litwatch.errors import ParseError
from litwatch.gctune import collect_less, return_big_buffers
from litwatch.parse import ParsedBatch, parse_batch

log = logging.getLogger(__name__)

MIN_BATCHES = 3  # fewer batches than this: the worker's start-up (importing Bio) is not repaid
FIRST_SHARE = 0.2  # of each batch classified by the worker until both sides are measured (2-core figure)
_REQUEST = struct.Struct(">Qd")  # body length, share of its records the worker classifies
_ANSWER = struct.Struct(">Q")  # pickled answer's length


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _WorkerGone(Exception):
    pass


class ParseAhead:
    """`submit(xml)` starts parsing now; the callable it returns gives the ParsedBatch (or raises ParseError).

    Call the callables in the order of submit. If the worker cannot start or stops (killed, out of memory),
    parsing falls back to this process: a run never fails because of the worker, it only gets slower.
    """

    def __init__(self, parallel: bool, share: float | None = None):
        """`share`: classify this fraction of each batch in the worker; None balances it as the run goes."""
        self._proc: subprocess.Popen | None = None
        self._sent = self._read = 0
        self._results: dict[int, tuple] = {}
        self._outbox: queue.Queue[tuple[bytes, float] | None] = queue.Queue()
        self.balancer = Balancer(FIRST_SHARE if share is None else share, fixed=share is not None)
        if not parallel:
            return
        here = str(Path(__file__).resolve().parents[1])  # where litwatch is, whatever sys.path says
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")])),
        }
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "litwatch.parseahead"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError as exc:
            log.info("parsing in this process: no worker (%s)", exc)
            return
        # Bodies go out from a thread: the worker may be writing a result while we send the next body.
        self._writer = threading.Thread(target=self._send_all, name="litwatch-parse-feed", daemon=True)
        self._writer.start()

    @property
    def parallel(self) -> bool:
        return self._proc is not None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def submit(self, xml: bytes) -> Callable[[], ParsedBatch]:
        if self._proc is None:
            return lambda: parse_batch(xml)
        ticket = self._sent
        self._sent += 1
        self._outbox.put((xml, self.balancer.share))
        kept = [xml]  # for parsing here if the worker goes; let go once it has answered (4 MB a batch)

        def result() -> ParsedBatch:
            if self._proc is not None:
                try:
                    waited, (kind, value, work) = self._take(ticket)
                except _WorkerGone as exc:
                    self._lost(exc)
                else:
                    if kind == "ok":
                        kept.clear()
                        # the first answer's wait is the worker's start-up: nothing to learn from
                        self.balancer.update(waited, work, len(value.articles), learn=ticket > 0)
                        return value
                    raise ParseError(value) if kind == "parse" else RuntimeError(f"parsing worker: {value}")
            return parse_batch(kept[0])

        return result

    def _send_all(self) -> None:
        stdin = self._proc.stdin
        try:
            while (item := self._outbox.get()) is not None:
                body, share = item
                stdin.write(_REQUEST.pack(len(body), share))
                stdin.write(body)
                stdin.flush()
        except (OSError, ValueError):  # the worker went away; result() notices and parses here
            pass
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    def _take(self, ticket: int) -> tuple[float, tuple]:
        """(seconds this process waited for the worker, the worker's answer for `ticket`)."""
        waited = 0.0
        while self._read <= ticket:
            try:
                started = time.perf_counter()
                header = _read_exactly(self._proc.stdout, _ANSWER.size)
                waited += time.perf_counter() - started
                self._results[self._read] = pickle.loads(
                    _read_exactly(self._proc.stdout, _ANSWER.unpack(header)[0])
                )
            except (OSError, EOFError, struct.error, pickle.UnpicklingError) as exc:
                raise _WorkerGone(exc) from None
            self._read += 1
        return waited, self._results.pop(ticket)

    def _lost(self, exc: BaseException) -> None:
        log.warning("the parsing worker stopped (%s); parsing in this process from now on", exc)
        self.close()

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.stdout.close()  # a worker still answering gets EPIPE and stops
        self._outbox.put(None)  # the feed closes stdin: a worker waiting for work stops
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self._results.clear()
        b = self.balancer
        log.info(
            "the parse worker classified %d of %d records (share %.2f at the end)",
            b.there,
            b.records,
            b.share,
        )

    def __enter__(self) -> ParseAhead:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class Work:
    """What the worker reports with each batch: how long it waited for the body, and what classifying cost."""

    idle: float
    classify_seconds: float
    classified: int


@dataclass
class Balancer:
    """The share of each batch the worker classifies, moved so that neither process waits for the other.

    Moving x seconds of classifying to the worker shortens this process's round by x and lengthens the worker's by
    x, so each answer moves half the difference of the two waits, damped by half again against noise.
    """

    share: float
    fixed: bool = False
    seconds_per_record: float = 0.001  # classifying, until the worker has measured it
    there: int = 0  # records the worker classified
    records: int = 0

    def update(self, waited: float, work: Work, records: int, learn: bool = True) -> None:
        self.there += work.classified
        self.records += records
        if work.classified:
            self.seconds_per_record = work.classify_seconds / work.classified
        if self.fixed or not learn or not records:
            return
        shift = (work.idle - waited) / 2 / (self.seconds_per_record * records)
        self.share = min(1.0, max(0.0, self.share + shift / 2))
        log.debug(
            "worker share %.3f (this process waited %.3f s, the worker %.3f s)", self.share, waited, work.idle
        )


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError(f"the worker's answer ended after {len(data)} of {size} bytes")
    return data


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """The worker: parse each body as it comes and classify the share asked for; answer ("ok", batch, Work),
    ("parse", message, None) or ("error", message, None)."""
    return_big_buffers()
    with collect_less():
        idle_since = time.perf_counter()
        while header := requests.read(_REQUEST.size):
            size, share = _REQUEST.unpack(header)
            body = _read_exactly(requests, size)
            idle = time.perf_counter() - idle_since
            try:
                batch = parse_batch(body)
                started = time.perf_counter()
                try:
                    labels = tuple(classify(a) for a in batch.articles[: round(share * len(batch.articles))])
                except Exception:  # noqa: BLE001 - a classifier bug: the main process meets it with its traceback
                    labels = ()
                work = Work(idle, time.perf_counter() - started, len(labels))
                answer: tuple = ("ok", replace(batch, labels=labels), work)
            except ParseError as exc:
                answer = ("parse", str(exc), None)
            except Exception as exc:  # noqa: BLE001 - a bug: reported to the main process, which raises it
                answer = ("error", f"{type(exc).__name__}: {exc}", None)
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            # idle from here: a pipe holds 64 KB, so the write waits until the main process reads the answer
            idle_since = time.perf_counter()
            answers.write(_ANSWER.pack(len(data)))
            answers.write(data)
            answers.flush()


if __name__ == "__main__":
    logging.disable(logging.CRITICAL)  # the worker never talks: what goes wrong comes back as an answer
    from litwatch import parseahead  # so that answers name litwatch.parseahead.Work, not __main__.Work

    parseahead.serve(sys.stdin.buffer, sys.stdout.buffer)
