"""Parse the next efetch body in a second process while this one classifies and stores the last.

Parsing (Bio.Entrez + conversion) and classify + store cost about the same per record, so on two cores a backfill
runs close to twice as fast. Small runs parse in-process: starting a worker costs more than it saves.

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
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from litwatch.errors import ParseError
from litwatch.gctune import collect_less, return_big_buffers
from litwatch.parse import ParsedBatch, parse_batch

log = logging.getLogger(__name__)

MIN_BATCHES = 3  # fewer batches than this: the worker's start-up (importing Bio) is not repaid
_HEADER = struct.Struct(">Q")


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

    def __init__(self, parallel: bool):
        self._proc: subprocess.Popen | None = None
        self._sent = self._read = 0
        self._results: dict[int, tuple] = {}
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
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
        self._outbox.put(xml)
        kept = [xml]  # for parsing here if the worker goes; let go once it has answered (4 MB a batch)

        def result() -> ParsedBatch:
            if self._proc is not None:
                try:
                    kind, value = self._take(ticket)
                except _WorkerGone as exc:
                    self._lost(exc)
                else:
                    if kind == "ok":
                        kept.clear()
                        return value
                    raise ParseError(value) if kind == "parse" else RuntimeError(f"parsing worker: {value}")
            return parse_batch(kept[0])

        return result

    def _send_all(self) -> None:
        stdin = self._proc.stdin
        try:
            while (body := self._outbox.get()) is not None:
                stdin.write(_HEADER.pack(len(body)))
                stdin.write(body)
                stdin.flush()
        except (OSError, ValueError):  # the worker went away; result() notices and parses here
            pass
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    def _take(self, ticket: int) -> tuple:
        while self._read <= ticket:
            try:
                size = _HEADER.unpack(_read_exactly(self._proc.stdout, _HEADER.size))[0]
                self._results[self._read] = pickle.loads(_read_exactly(self._proc.stdout, size))
            except (OSError, EOFError, struct.error, pickle.UnpicklingError) as exc:
                raise _WorkerGone(exc) from None
            self._read += 1
        return self._results.pop(ticket)

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

    def __enter__(self) -> ParseAhead:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError(f"the worker's answer ended after {len(data)} of {size} bytes")
    return data


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """The worker: parse each body as it comes, answer ("ok", batch) / ("parse", message) / ("error", message)."""
    return_big_buffers()
    with collect_less():
        while header := requests.read(_HEADER.size):
            body = _read_exactly(requests, _HEADER.unpack(header)[0])
            try:
                answer: tuple = ("ok", parse_batch(body))
            except ParseError as exc:
                answer = ("parse", str(exc))
            except Exception as exc:  # noqa: BLE001 - a bug: reported to the main process, which raises it
                answer = ("error", f"{type(exc).__name__}: {exc}")
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            answers.write(_HEADER.pack(len(data)))
            answers.write(data)
            answers.flush()


if __name__ == "__main__":
    logging.disable(logging.CRITICAL)  # the worker never talks: what goes wrong comes back as an answer
    serve(sys.stdin.buffer, sys.stdout.buffer)
