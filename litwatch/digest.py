"""Choose what is new since a point, sort it best evidence first, and keep the exactly-once ledger of sent digests.

The ledger counts in `articles.seq`, assigned inside the write transaction that first stores a record, so it
follows commit order: a digest covers seq in (from_seq, to_seq], and the next one starts at the last sent to_seq.
A run that commits between composing and marking lands above to_seq, in the next digest, never in neither.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlite_utils import Database

from litwatch import store
from litwatch.errors import UsageError
from litwatch.gctune import collect_less
from litwatch.models import Digest, StoredArticle

DEFAULT_FIRST_WINDOW = dt.timedelta(days=7)
_RELATIVE = re.compile(r"^(\d+)\s*([dwh])$")


def last_sent(db: Database) -> dict | None:
    """The delivered digest with the highest mark, or None before the first."""
    rows = list(
        db.query("SELECT * FROM digests WHERE sent_at IS NOT NULL ORDER BY to_seq DESC, id DESC LIMIT 1")
    )
    return rows[0] if rows else None


def _seq_at(db: Database, ts: str) -> int:
    """The ledger position of the last article first stored at or before `ts`."""
    row = db.execute("SELECT max(seq) FROM articles WHERE first_seen <= ?", [ts]).fetchone()
    return row[0] or 0


def resolve_since(db: Database, since: str, now: dt.datetime) -> tuple[str, int]:
    """'last-digest' | '7d' | '2w' | '36h' | 'YYYY-MM-DD' -> (since timestamp, from_seq)."""
    value = since.strip().lower()
    if value == "last-digest":
        sent = last_sent(db)
        if sent:
            return sent["until"], sent["to_seq"]
        ts = (now - DEFAULT_FIRST_WINDOW).isoformat(timespec="microseconds")
        return ts, _seq_at(db, ts)
    m = _RELATIVE.match(value)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        delta = {"d": dt.timedelta(days=n), "w": dt.timedelta(weeks=n), "h": dt.timedelta(hours=n)}[unit]
        ts = (now - delta).isoformat(timespec="microseconds")
        return ts, _seq_at(db, ts)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--since {since!r}: expected last-digest, a span like 7d / 2w / 36h, or a date like 2026-11-01"
        ) from None
    if day > now.date():
        raise UsageError(f"--since {since}: that date is in the future")
    ts = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).isoformat(timespec="microseconds")
    # articles first stored before the start of that day are not new
    row = db.execute("SELECT max(seq) FROM articles WHERE first_seen < ?", [ts]).fetchone()
    return ts, row[0] or 0


def sort_by_evidence(items: list[StoredArticle]) -> list[StoredArticle]:
    """Best evidence first (rank 1 = meta-analysis), then newest publication, then most recently stored."""
    newest_first = sorted(items, key=lambda s: (s.article.pub_date.iso() or "", s.seq), reverse=True)
    return sorted(newest_first, key=lambda s: s.classification.evidence_rank if s.classification else 99)


def compose(db: Database, since: str = "last-digest", now: dt.datetime | None = None) -> Digest:
    """What is new in (since, now]: sections long-term efficacy and safety, other on-topic, excluded counts."""
    now = now or dt.datetime.now(dt.UTC)
    since_ts, from_seq = resolve_since(db, since, now)
    to_seq = db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
    window = [from_seq, to_seq]
    # `+c.on_topic`: walk the ledger window by seq; the on_topic index would visit every on-topic study stored
    with collect_less():  # each study is ~40 acyclic objects
        on_topic = sort_by_evidence(
            list(store.stored_articles(db, "a.seq > ? AND a.seq <= ? AND +c.on_topic = 1", window))
        )
    lte = tuple(s for s in on_topic if s.classification.long_term_efficacy)
    safety = tuple(s for s in on_topic if s.classification.safety)
    other = tuple(s for s in on_topic if not (s.classification.long_term_efficacy or s.classification.safety))
    # what was left out is only counted: no need to load those records
    excluded = db.execute(
        "SELECT coalesce(c.excluded, CASE WHEN c.pmid IS NULL THEN 'unclassified' ELSE 'off_topic' END) AS reason, "
        "count(*) FROM articles a LEFT JOIN classifications c ON c.pmid = a.pmid "
        "WHERE a.seq > ? AND a.seq <= ? AND coalesce(c.on_topic, 0) = 0 GROUP BY reason ORDER BY count(*) DESC, reason",
        window,
    ).fetchall()
    return Digest(
        generated_at=now.isoformat(timespec="seconds"),
        since=since_ts,
        until=now.isoformat(timespec="microseconds"),
        since_label=since,
        long_term_efficacy=lte,
        safety=safety,
        other_on_topic=other,
        excluded=dict(excluded),
        from_seq=from_seq,
        to_seq=max(to_seq, from_seq),
    )


def mark_sent(db: Database, digest: Digest, *, channel: str, recipients: tuple[str, ...] = ()) -> int:
    """Record `digest` as delivered: the next `last-digest` starts where it ended (never moves backwards)."""
    counts = {
        "long_term_efficacy": len(digest.long_term_efficacy),
        "safety": len(digest.safety),
        "other_on_topic": len(digest.other_on_topic),
        "excluded": sum(digest.excluded.values()),
    }
    with db.atomic():
        return (
            db["digests"]
            .insert(
                {
                    "created_at": digest.generated_at,
                    "since": digest.since,
                    "until": digest.until,
                    "since_label": digest.since_label,
                    "from_seq": digest.from_seq,
                    "to_seq": digest.to_seq,
                    "sent_at": store.now_iso(),
                    "channel": channel,
                    "recipients": json.dumps(list(recipients)),
                    "counts": json.dumps(counts),
                }
            )
            .last_pk
        )
