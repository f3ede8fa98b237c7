"""Run saved queries (esearch windows -> efetch only what is missing -> parse -> classify -> store) and import files.

A query's mark (`query_state.covered_until`) moves only when the run is verified complete: every window's ids add
up to esearch's Count and every matched PMID is stored or accounted for (reported unparseable).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import time
from array import array
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

from sqlite_utils import Database

from litwatch import matches as pmidsets
from litwatch import store
from litwatch.classify import CLASSIFIER_VERSION, classify
from litwatch.entrez import ESEARCH_MAX, Client
from litwatch.errors import EntrezError, LitwatchError, ParseError, RunFailed, UsageError
from litwatch.gctune import collect_less, return_big_buffers
from litwatch.models import Article, Classification, QueryRunResult, SavedQuery
from litwatch.parse import ParsedBatch, iter_file_batches, parse_batch
from litwatch.parseahead import MIN_BATCHES, ParseAhead, cores

log = logging.getLogger(__name__)

EARLIEST = dt.date(
    1781, 1, 1
)  # older than any PubMed Entrez date: the lower bound when a backfill must split
FETCH_ATTEMPTS = 3  # a batch whose body will not parse is fetched again this many times in all
Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _noop(stage: str, done: int, total: int) -> None:
    pass


@dataclass
class _Plan:
    """One query's share of a run: its windows' PMIDs (as ints, see matches.Matches), and what it still needs."""

    query: SavedQuery
    result: QueryRunResult
    ids: array = field(default_factory=lambda: array("q"))
    webenvs: list[tuple[str | None, str | None, array]] = field(default_factory=list)


def _fmt(d: dt.date) -> str:
    return d.strftime("%Y/%m/%d")


def _window_start(db: Database, q: SavedQuery, overlap_days: int) -> dt.date | None:
    state = db.execute("SELECT term, covered_until FROM query_state WHERE query = ?", [q.name]).fetchone()
    if state and state[0] == q.term and state[1]:
        return dt.date.fromisoformat(state[1]) - dt.timedelta(days=overlap_days)
    return q.backfill_from  # first run, or the term changed: backfill


def search_all(client: Client, term: str, start: dt.date | None, end: dt.date, plan: _Plan) -> None:
    """esearch [start, end] by Entrez date, splitting the range until each part fits in 9,999 ids."""
    lo = start or EARLIEST
    res = client.esearch(term, mindate=_fmt(lo), maxdate=_fmt(end), datetype="edat", retmax=ESEARCH_MAX)
    plan.result.warnings.extend(w for w in res.warnings if w not in plan.result.warnings)
    if res.count > ESEARCH_MAX:
        if lo >= end:
            raise RunFailed(
                f"query '{plan.query.name}': {res.count} records share the Entrez date {lo}; PubMed returns at most "
                f"{ESEARCH_MAX} per search, so narrow the term"
            )
        mid = lo + (end - lo) // 2
        search_all(client, term, lo, mid, plan)
        search_all(client, term, mid + dt.timedelta(days=1), end, plan)
        return
    if len(res.ids) != res.count:
        raise EntrezError(
            f"query '{plan.query.name}': esearch said {res.count} records for {lo}..{end} but returned {len(res.ids)} ids"
        )
    ids = pmidsets.as_pmids(res.ids, plan.query.name)
    plan.result.count += res.count
    plan.ids.extend(ids)
    plan.webenvs.append((res.webenv, res.query_key, ids))


def _start_run(db: Database, q: SavedQuery, refresh: bool) -> QueryRunResult:
    result = QueryRunResult(query=q.name)
    with db.atomic():
        result.run_id = (
            db["runs"]
            .insert(
                {
                    "command": "run",
                    "query": q.name,
                    "term": q.term,
                    "started_at": store.now_iso(),
                    "status": "running",
                    "refresh": int(refresh),
                }
            )
            .last_pk
        )
    return result


def _finish_run(db: Database, plan: _Plan, covered_until: dt.date | None) -> None:
    r = plan.result
    r.seconds = round(r.seconds, 3)
    with db.atomic():
        db["runs"].update(
            r.run_id,
            {
                "finished_at": store.now_iso(),
                "status": r.status,
                "window_start": r.window_start,
                "window_end": r.window_end,
                "count": r.count,
                "matched": r.matched,
                "new": r.new,
                "fetched": r.fetched,
                "requests": r.requests,
                "seconds": r.seconds,
                "error": r.error,
                "warnings": json.dumps(r.warnings, ensure_ascii=False),
                "skipped": json.dumps(r.skipped),
            },
        )
        if r.status == "ok" and covered_until is not None:
            db["query_state"].upsert(
                {
                    "query": plan.query.name,
                    "term": plan.query.term,
                    "covered_until": covered_until.isoformat(),
                    "last_success_run_id": r.run_id,
                    "last_success_at": store.now_iso(),
                },
                pk="query",
            )


def close_interrupted_runs(db: Database) -> int:
    """Runs left 'running' by a killed process are failed: call only while holding the write lock."""
    with db.atomic():
        cur = db.execute(
            "UPDATE runs SET status = 'failed', error = coalesce(error, 'interrupted (the process was stopped)'), "
            "finished_at = coalesce(finished_at, ?) WHERE status = 'running'",
            [store.now_iso()],
        )
    return cur.rowcount


def store_batch(
    db: Database,
    articles: Sequence[Article],
    hits: dict[int, tuple[str, Container[str]]],
    labels: Sequence[Classification | None] = (),
) -> set[str]:
    """Store one batch, its classifications and its query hits in one transaction; returns the new PMIDs.

    `labels[i]`, where given, is articles[i]'s classification made already (by the parse worker).
    """
    made = [_made(a, c) for a, c in zip_longest(articles, labels[: len(articles)])]
    with db.atomic():
        new = store.save_articles(db, articles, made)
        rows = []
        for run_id, (query, pmids) in hits.items():
            rows.extend(
                {"run_id": run_id, "query": query, "pmid": a.pmid, "new": int(a.pmid in new)}
                for a in articles
                if a.pmid in pmids
            )
        if rows:
            db["query_hits"].upsert_all(rows, pk=("run_id", "pmid"))
    return new


def _made(article: Article, label: Classification | None) -> Classification:
    if label is not None and label.pmid == article.pmid and label.version == CLASSIFIER_VERSION:
        return label
    return classify(article)


def _fetch(client: Client, ids: Sequence[str], history: tuple[str, str, int] | None) -> bytes:
    if history:
        return client.efetch_history(history[0], history[1], history[2], len(ids))
    return client.efetch(ids)


def _fetch_parsed(
    client: Client,
    ids: Sequence[str],
    history: tuple[str, str, int] | None,
    first: Callable[[], ParsedBatch] | None = None,
) -> ParsedBatch:
    """Fetch and parse, fetching again while the body will not parse; `first` is an answer already on its way."""
    last: Exception | None = None
    for attempt in range(FETCH_ATTEMPTS):
        try:
            if attempt == 0 and first is not None:
                return first()
            return parse_batch(_fetch(client, ids, history))
        except ParseError as exc:  # truncated or garbled although the HTTP exchange looked fine: fetch again
            last = exc
            log.warning("efetch of %d ids returned unparseable XML (%s); fetching again", len(ids), exc)
    raise EntrezError(f"efetch of {len(ids)} records kept returning broken XML: {last}")


def _complete(
    client: Client, ids: list[str], history, parsed: Callable[[], ParsedBatch]
) -> tuple[list[Article], list[Classification | None], list]:
    """A fetched batch, parsed, with what efetch left out asked for again once.

    Returns (articles asked for, their classifications where the worker made them, skipped).
    """
    batch = _fetch_parsed(client, ids, history, first=parsed)
    got = {a.pmid for a in batch.articles} | {pmid for pmid, _ in batch.skipped}
    missing = [x for x in ids if x not in got]
    if missing:  # fewer records than asked: ask again for exactly those, once
        log.warning("efetch returned %d of %d records; asking again for the rest", len(got), len(ids))
        retry = _fetch_parsed(client, missing, None)
        batch = ParsedBatch(batch.articles + retry.articles, batch.skipped + retry.skipped, batch.labels)
    asked = set(ids)
    kept = [(a, c) for a, c in zip_longest(batch.articles, batch.labels) if a.pmid in asked]
    return [a for a, _ in kept], [c for _, c in kept], batch.skipped


def run_queries(
    db: Database,
    client: Client,
    queries: Sequence[SavedQuery],
    *,
    refresh: bool = False,
    batch_size: int = 500,
    overlap_days: int = 3,
    today: dt.date | None = None,
    progress: Progress = _noop,
    parse_worker: bool | None = None,
) -> list[QueryRunResult]:
    """Run every query once: all esearches first, then efetch the union of missing PMIDs once each.

    `parse_worker`: parse in a second process (None: when there are several batches and a second core).
    """
    today = today or dt.datetime.now(dt.UTC).date()
    return_big_buffers()  # efetch bodies and parsed batches, 2-4 MB each, given back after each batch
    ensure_classified(db)
    plans: list[_Plan] = []
    for i, q in enumerate(queries):
        plan = _Plan(q, _start_run(db, q, refresh))
        plans.append(plan)
        start = None if refresh else _window_start(db, q, overlap_days)
        plan.result.window_start = start.isoformat() if start else None
        plan.result.window_end = today.isoformat()
        before, t0 = client.requests, time.monotonic()
        try:
            search_all(client, q.term, start, today, plan)
        except LitwatchError as exc:
            where = f" ({q.path})" if q.path else ""
            plan.result.status, plan.result.error = "failed", f"{exc}{where}"
        plan.result.requests += client.requests - before
        plan.result.seconds += time.monotonic() - t0
        plan.ids = array("q", dict.fromkeys(plan.ids))
        plan.result.matched = len(plan.ids)
        progress("search", i + 1, len(queries))

    live = [p for p in plans if p.result.status == "running"]
    matches = pmidsets.Matches(live)
    pmidsets.mark_stored(db, matches)
    if not refresh:
        with db.atomic():  # hits for matches already stored (nothing to download for them)
            for p in live:
                rows = (
                    {"run_id": p.result.run_id, "query": p.query.name, "pmid": str(x), "new": 0}
                    for x in p.ids
                    if matches.state[matches.slot(x)] & pmidsets.STORED
                )
                db["query_hits"].upsert_all(rows, pk=("run_id", "pmid"))
    for i, s in enumerate(matches.state):
        if refresh or not s & pmidsets.STORED:
            matches.state[i] |= pmidsets.FETCH
    total = sum(1 for s in matches.state if s & pmidsets.FETCH)
    hits = {p.result.run_id: (p.query.name, matches.matched_by(j)) for j, p in enumerate(live)}
    batches = pmidsets.batches(live, matches, batch_size)
    for p in live:  # the plans' id lists are not needed any more
        p.ids, p.webenvs = array("q"), []

    skipped: dict[str, str] = {}
    error: str | None = None
    done = 0

    def account(ids: list[str], before: int, t0: float) -> None:
        """A batch's requests and time count for the query that first matched its first record."""
        i = matches.slot(ids[0]) if ids else None
        if i is not None:
            live[matches.owner[i]].result.requests += client.requests - before
            live[matches.owner[i]].result.seconds += time.monotonic() - t0

    # Batch k+1 is downloaded, and parsed by the worker, while batch k is classified and stored here.
    parallel = len(batches) >= MIN_BATCHES and cores() > 1 if parse_worker is None else parse_worker
    with ParseAhead(parallel) as parser, collect_less():
        pending = None
        for batch_ids, history in [*batches, (None, None)]:
            ahead = None
            if batch_ids is not None:
                ids = [str(x) for x in batch_ids]
                before, t0 = client.requests, time.monotonic()
                try:
                    ahead = (ids, history, parser.submit(_fetch(client, ids, history)))
                except LitwatchError as exc:
                    error = str(exc)
                finally:
                    account(ids, before, t0)
            if pending is not None:
                p_ids, p_history, parsed = pending
                before, t0 = client.requests, time.monotonic()
                try:
                    articles, labels, batch_skipped = _complete(client, p_ids, p_history, parsed)
                    matches.mark(store_batch(db, articles, hits, labels), pmidsets.NEW)
                    matches.mark((a.pmid for a in articles), pmidsets.FETCHED)
                    skipped.update((pmid or "?", reason) for pmid, reason in batch_skipped)
                    done += len(p_ids)
                    progress("fetch", done, total)
                except LitwatchError as exc:
                    error = error or str(exc)
                finally:
                    account(p_ids, before, t0)
            if error:
                break
            pending = ahead
            # an httpx response is a reference cycle: free its body now, not at a rare full collection
            gc.collect(1)

    for j, p in enumerate(live):
        r = p.result
        mine = matches.matched_by(j)
        r.fetched = matches.count(
            j, pmidsets.FETCHED, owned=True
        )  # each download counted once, for its first query
        r.new = matches.count(j, pmidsets.NEW)
        r.skipped = sorted(x for x in skipped if x in mine)
        r.warnings.extend(f"PMID {x}: record could not be read ({skipped[x]}); skipped" for x in r.skipped)
        missing = pmidsets.missing(db, matches, j, set(skipped))
        if missing:  # a query whose records are all stored is complete even if another query's batch failed
            r.status = "failed"
            r.error = (
                error
                or f"{len(missing)} matched records never came back from efetch (e.g. PMID {min(missing)})"
            )
        else:
            r.status = "ok"
    for p in plans:
        _finish_run(db, p, today if p.result.status == "ok" else None)
    return [p.result for p in plans]


@dataclass
class ImportResult:
    files: int = 0
    records: int = 0
    new: int = 0
    skipped: list[str] = field(default_factory=list)


@collect_less()
def import_files(
    db: Database, paths: Iterable[Path], *, batch_size: int = 500, progress: Progress = _noop
) -> ImportResult:
    """Load PubMed XML files (plain or gzip) through the same parse -> classify -> store path as a run.

    Each file is one transaction: a file that turns out truncated or not PubMed XML half-way leaves nothing behind.
    """
    ensure_classified(db)
    result = ImportResult()
    for path in paths:
        path = Path(path)
        count = new = 0
        skipped: list[str] = []
        try:
            with db.atomic():
                run_id = (
                    db["runs"]
                    .insert(
                        {
                            "command": "import",
                            "term": str(path),
                            "started_at": store.now_iso(),
                            "status": "running",
                        }
                    )
                    .last_pk
                )
                for batch in iter_file_batches(path, batch_size=batch_size):
                    new += len(store_batch(db, batch.articles, {}))
                    count += len(batch.articles)
                    skipped.extend(f"{pmid or '?'}: {reason}" for pmid, reason in batch.skipped)
                    progress("import", count, 0)
                db["runs"].update(
                    run_id,
                    {
                        "finished_at": store.now_iso(),
                        "status": "ok",
                        "matched": count,
                        "new": new,
                        "fetched": count,
                        "skipped": json.dumps(skipped),
                    },
                )
        except ParseError as exc:  # the user handed us the wrong file: exit 2, nothing stored from it
            message = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
            raise UsageError(f"{message}; nothing was imported from it") from None
        result.files += 1
        result.records += count
        result.new += new
        result.skipped.extend(skipped)
    return result


@collect_less()
def ensure_classified(db: Database, *, force: bool = False, chunk: int = 2000) -> int:
    """(Re)classify every stored article when the classifier version changed (or `force`); returns how many."""
    if not force and store.get_meta(db, "classifier_version") == CLASSIFIER_VERSION:
        return 0
    total = 0
    last_seq = 0
    while True:
        rows = list(db.query("SELECT * FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", [last_seq, chunk]))
        if not rows:
            break
        with db.atomic():
            store.save_classifications(db, [classify(store.row_to_article(r)) for r in rows])
        total += len(rows)
        last_seq = rows[-1]["seq"]
    with db.atomic():
        store.set_meta(db, "classifier_version", CLASSIFIER_VERSION)
    return total
