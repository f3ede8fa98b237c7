"""The run log: one line per run appended to a file, for people reading cron's history with grep and tail."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from litwatch.models import QueryRunResult


def format_line(
    command: str, results: Sequence[QueryRunResult], outcome: str | None = None, extra: str = ""
) -> str:
    """`2026-11-23T06:00:02Z run queries=a,b new=3 requests=7 outcome=ok` (+ the first error, if any)."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    failed = [r for r in results if r.status != "ok"]
    outcome = outcome or ("failed" if failed or not results else "ok")
    parts = [
        when,
        command,
        f"queries={','.join(r.query for r in results) or '-'}",
        f"new={sum(r.new for r in results)}",
        f"requests={sum(r.requests for r in results)}",
        f"outcome={outcome}",
    ]
    if failed:
        parts.append(f"error={failed[0].query}: {failed[0].error}")
    if extra:
        parts.append(extra)
    return " ".join(parts).replace("\n", " ")


def append(
    path: Path, command: str, results: Sequence[QueryRunResult], outcome: str | None = None, extra: str = ""
) -> None:
    """Append one line; the file is created readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(format_line(command, results, outcome, extra) + "\n")
