"""The SQLite store: opening (migrations, newer-schema refusal, write lock), and rows <-> dataclasses, one place each way."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from sqlite_utils import Database

from litwatch.errors import ConfigError, DatabaseBusy
from litwatch.migrations import migrations
from litwatch.models import (
    AbstractSection,
    Article,
    Author,
    Classification,
    MeshHeading,
    MeshQualifier,
    PubDate,
    StoredArticle,
)

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

BUSY_TIMEOUT_MS = 30_000
SQLITE_MAGIC = b"SQLite format 3\x00"


def now_iso() -> str:
    """UTC timestamp with microseconds: sortable text, as stored in every *_at / first_seen column."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def open_db(path: Path | str, *, must_exist: bool = False) -> Database:
    """Open (creating if needed) and migrate the database; the only caller of `migrations.apply`.

    Refuses, with one line and exit 2, a file that is not SQLite, is corrupt, or was written by a newer litwatch.
    """
    path = Path(path)
    if path.exists():
        if path.is_dir():
            raise ConfigError(f"database {path} is a directory; pass a file path with --db or LITWATCH_DB")
        try:
            with open(path, "rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise ConfigError(f"cannot read database {path}: {exc.strerror}") from None
        if head and head != SQLITE_MAGIC:
            raise ConfigError(
                f"{path} is not a SQLite database; point --db or LITWATCH_DB at a litwatch database"
            )
    elif must_exist:
        raise ConfigError(
            f"database {path} does not exist yet; run `litwatch run` (or `litwatch demo`) first"
        )
    else:
        if not path.parent.exists():
            raise ConfigError(f"cannot create database {path}: folder {path.parent} does not exist")
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        _migrate(db, path)
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy(f"database {path} is locked by another process; try again later") from None
        raise ConfigError(
            f"cannot open database {path}: {exc}; restore it from a backup or move it aside"
        ) from None
    return db


def _migrate(db: Database, path: Path) -> None:
    known = {m.name for m in migrations._migrations}
    applied = {m.name for m in migrations.applied(db)}
    unknown = applied - known
    if unknown:
        raise ConfigError(
            f"database {path} was written by a newer litwatch (schema {', '.join(sorted(unknown))}); "
            "upgrade litwatch to use it"
        )
    if migrations.pending(db):
        # One process migrates; another opening at the same moment waits here (busy_timeout), then finds
        # nothing pending. Each migration runs in a savepoint inside this transaction.
        db.execute("BEGIN IMMEDIATE")
        try:
            migrations.apply(db)
        except BaseException:
            db.conn.rollback()
            raise
        db.conn.commit()


def schema_version(db: Database) -> str:
    applied = migrations.applied(db)
    return applied[-1].name if applied else ""


@contextlib.contextmanager
def write_lock(path: Path | str, *, timeout: float, what: str, sleep=time.sleep) -> Iterator[None]:
    """Hold an exclusive lock on `<db>.lock` for a whole run, so overlapping runs never interleave.

    The OS drops the lock when the process dies (a killed cron job leaves nothing stale).
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    lock_path = Path(f"{path}.lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = (
                        os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another litwatch process"
                    )
                    raise DatabaseBusy(
                        f"database {path} is busy: {holder} is still writing to it; waited {timeout:g} s. "
                        "Try again later, or raise --wait / LITWATCH_LOCK_TIMEOUT"
                    ) from None
                sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} ({what}, since {now_iso()[:19]}Z)".encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)


# --- rows <-> dataclasses -------------------------------------------------------------------------------------


def _j(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def article_to_row(a: Article) -> dict:
    """The one mapping from Article to an `articles` row (without seq/first_seen/updated)."""
    mesh_terms = []
    for m in a.mesh:
        mesh_terms.append(m.descriptor)
        mesh_terms.extend(f"{m.descriptor}/{q.name}" for q in m.qualifiers)
    return {
        "pmid": a.pmid,
        "title": a.title,
        "abstract": a.abstract_text,
        "abstract_sections": _j(
            [{"label": s.label, "category": s.category, "text": s.text} for s in a.abstract]
        ),
        "journal": a.journal,
        "journal_abbrev": a.journal_abbrev,
        "volume": a.volume,
        "issue": a.issue,
        "pages": a.pages,
        "issn": a.issn,
        "pub_year": a.pub_date.year,
        "pub_month": a.pub_date.month,
        "pub_day": a.pub_date.day,
        "pub_season": a.pub_date.season,
        "medline_date": a.pub_date.medline_date,
        "pub_date": a.pub_date.iso(),
        "authors": _j([vars(au) for au in a.authors]),  # vars, not asdict: 3x cheaper, same JSON
        "author_names": "; ".join(au.display for au in a.authors),
        "doi": a.doi,
        "pmcid": a.pmcid,
        "language": _j(list(a.language)),
        "publication_types": _j(list(a.publication_types)),
        "mesh": _j([{**vars(m), "qualifiers": [vars(q) for q in m.qualifiers]} for m in a.mesh]),
        "mesh_terms": "; ".join(mesh_terms),
        "keywords": _j(list(a.keywords)),
        "keywords_text": "; ".join(a.keywords),
        "is_book": int(a.is_book),
        "publisher": a.publisher,
        "entrez_date": a.entrez_date,
        "status": a.status,
    }


# Decoded values shared between rows (immutable): a corpus repeats a few thousand MeSH headings and list values,
# which a big digest decoded again per row (issue 7: most of its 0.3 ms an item). Cleared when full.
_INTERNED_MAX = 50_000
_headings: dict[tuple, MeshHeading] = {}
_lists: dict[str, tuple] = {}


def _json_tuple(text: str | None) -> tuple:
    """A JSON list column as a tuple, decoded once per distinct value."""
    if not text:
        return ()
    value = _lists.get(text)
    if value is None:
        if len(_lists) >= _INTERNED_MAX:
            _lists.clear()
        value = _lists[text] = tuple(json.loads(text))
    return value


def _heading(m: dict) -> MeshHeading:
    quals = m.get("qualifiers") or ()
    key = (
        m["descriptor"],
        m.get("ui"),
        m.get("major"),
        *[(q["name"], q.get("ui"), q.get("major")) for q in quals],
    )
    heading = _headings.get(key)
    if heading is None:
        if len(_headings) >= _INTERNED_MAX:
            _headings.clear()
        heading = _headings[key] = MeshHeading(
            descriptor=m["descriptor"],
            ui=m.get("ui"),
            major=bool(m.get("major")),
            qualifiers=tuple(MeshQualifier(q["name"], q.get("ui"), bool(q.get("major"))) for q in quals),
        )
    return heading


def row_to_article(row: dict) -> Article:
    """The one mapping back from an `articles` row to Article."""
    mesh = row["mesh"]
    return Article(
        pmid=row["pmid"],
        title=row["title"],
        abstract=tuple(AbstractSection(**s) for s in json.loads(row["abstract_sections"] or "[]")),
        journal=row["journal"],
        journal_abbrev=row["journal_abbrev"],
        volume=row["volume"],
        issue=row["issue"],
        pages=row["pages"],
        issn=row["issn"],
        pub_date=PubDate(
            year=row["pub_year"],
            month=row["pub_month"],
            day=row["pub_day"],
            season=row["pub_season"],
            medline_date=row["medline_date"],
        ),
        authors=tuple(Author(**au) for au in json.loads(row["authors"] or "[]")),
        doi=row["doi"],
        pmcid=row["pmcid"],
        language=_json_tuple(row["language"]),
        publication_types=_json_tuple(row["publication_types"]),
        mesh=tuple(map(_heading, json.loads(mesh))) if mesh and mesh != "[]" else (),
        keywords=_json_tuple(row["keywords"]),
        is_book=bool(row["is_book"]),
        publisher=row["publisher"],
        entrez_date=row["entrez_date"],
        status=row["status"],
    )


def classification_to_row(c: Classification, classified_at: str) -> dict:
    return {
        "pmid": c.pmid,
        "version": c.version,
        "on_topic": int(c.on_topic),
        "long_term_efficacy": int(c.long_term_efficacy),
        "safety": int(c.safety),
        "design": c.design,
        "evidence_rank": c.evidence_rank,
        "population": c.population,
        "follow_up_weeks": c.follow_up_weeks,
        "safety_signals": _j(list(c.safety_signals)),
        "excluded": c.excluded,
        "reasons": _j({k: list(v) for k, v in c.reasons.items()}),
        "classified_at": classified_at,
    }


def row_to_classification(row: dict, prefix: str = "") -> Classification:
    """The one mapping back from a `classifications` row (its columns named `prefix` + column)."""
    reasons = row[prefix + "reasons"]
    return Classification(
        pmid=row[prefix + "pmid"],
        version=row[prefix + "version"],
        on_topic=bool(row[prefix + "on_topic"]),
        long_term_efficacy=bool(row[prefix + "long_term_efficacy"]),
        safety=bool(row[prefix + "safety"]),
        design=row[prefix + "design"],
        evidence_rank=row[prefix + "evidence_rank"],
        population=row[prefix + "population"],
        follow_up_weeks=row[prefix + "follow_up_weeks"],
        safety_signals=_json_tuple(row[prefix + "safety_signals"]),
        excluded=row[prefix + "excluded"],
        reasons={k: tuple(v) for k, v in json.loads(reasons).items()} if reasons else {},
    )


# --- writes ---------------------------------------------------------------------------------------------------


def existing_pmids(db: Database, pmids: Iterable[str]) -> set[str]:
    """Which of these PMIDs are already stored (chunked: SQLite limits bound parameters)."""
    pmids = list(pmids)
    found: set[str] = set()
    for i in range(0, len(pmids), 900):
        chunk = pmids[i : i + 900]
        marks = ",".join("?" * len(chunk))
        found.update(r[0] for r in db.execute(f"SELECT pmid FROM articles WHERE pmid IN ({marks})", chunk))  # noqa: S608 (constant SQL fragments; values are ? parameters)
    return found


def save_articles(
    db: Database, articles: Sequence[Article], classifications: Sequence[Classification]
) -> set[str]:
    """Upsert articles with their classifications; returns the PMIDs that were new. Call inside `db.atomic()`.

    A new article gets the next ledger `seq` and `first_seen`; a re-stored one keeps both and gets `updated`.
    """
    now = now_iso()
    by_pmid = {a.pmid: a for a in articles}  # a PMID twice in one batch: keep the last
    present = existing_pmids(db, by_pmid)
    next_seq = (db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]) + 1
    new_rows, updated_rows = [], []
    for pmid, article in by_pmid.items():
        row = article_to_row(article)
        row["updated"] = now
        if pmid in present:
            updated_rows.append(row)
        else:
            row["seq"], row["first_seen"] = next_seq, now
            next_seq += 1
            new_rows.append(row)
    if new_rows:
        db["articles"].insert_all(new_rows)
    if updated_rows:
        cols = [c for c in updated_rows[0] if c != "pmid"]
        sets = ", ".join(f"[{c}] = :{c}" for c in cols)
        db.conn.executemany(f"UPDATE articles SET {sets} WHERE pmid = :pmid", updated_rows)  # noqa: S608 (constant SQL fragments; values are ? parameters)
    save_classifications(db, [c for c in classifications if c.pmid in by_pmid])
    return {r["pmid"] for r in new_rows}


def save_classifications(db: Database, classifications: Iterable[Classification]) -> None:
    now = now_iso()
    rows = [classification_to_row(c, now) for c in classifications]
    if rows:
        db["classifications"].upsert_all(rows, pk="pmid")


def get_meta(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: Database, key: str, value: str) -> None:
    db["meta"].upsert({"key": key, "value": value}, pk="key")


# --- reads ----------------------------------------------------------------------------------------------------

# What row_to_stored reads, no more: the search-only text columns (abstract, author_names, mesh_terms,
# keywords_text) repeat the JSON columns and would only be copied out to be dropped.
STORED_COLUMNS = """a.pmid, a.seq, a.title, a.abstract_sections, a.journal, a.journal_abbrev, a.volume, a.issue,
       a.pages, a.issn, a.pub_year, a.pub_month, a.pub_day, a.pub_season, a.medline_date, a.authors, a.doi, a.pmcid,
       a.language, a.publication_types, a.mesh, a.keywords, a.is_book, a.publisher, a.entrez_date, a.status,
       a.first_seen, a.updated, c.pmid AS c_pmid, c.version AS c_version, c.on_topic AS c_on_topic,
       c.long_term_efficacy AS c_long_term_efficacy, c.safety AS c_safety, c.design AS c_design,
       c.evidence_rank AS c_evidence_rank, c.population AS c_population, c.follow_up_weeks AS c_follow_up_weeks,
       c.safety_signals AS c_safety_signals, c.excluded AS c_excluded, c.reasons AS c_reasons,
       (SELECT group_concat(q, char(31)) FROM (SELECT DISTINCT query AS q FROM query_hits h
          WHERE h.pmid = a.pmid ORDER BY q)) AS matched_queries"""
STORED_JOIN = "LEFT JOIN classifications c ON c.pmid = a.pmid"


def row_to_stored(row: dict) -> StoredArticle:
    classification = row_to_classification(row, "c_") if row.get("c_pmid") else None
    queries = tuple(row["matched_queries"].split("\x1f")) if row.get("matched_queries") else ()
    return StoredArticle(
        article=row_to_article(row),
        classification=classification,
        queries=queries,
        first_seen=row["first_seen"],
        updated=row["updated"],
        seq=row["seq"],
    )


def stored_articles(
    db: Database, where: str = "", params: Sequence = (), order: str = "a.seq"
) -> Iterator[StoredArticle]:
    """Stream stored articles with classification and matched queries. `where` is SQL with `?` parameters only."""
    sql = f"SELECT {STORED_COLUMNS} FROM articles a {STORED_JOIN}" + (f" WHERE {where}" if where else "")  # noqa: S608 (constant SQL fragments; values are ? parameters)
    sql += f" ORDER BY {order}"
    for row in db.query(sql, list(params)):
        yield row_to_stored(row)


def get_stored(db: Database, pmid: str) -> StoredArticle | None:
    return next(stored_articles(db, "a.pmid = ?", [pmid]), None)
