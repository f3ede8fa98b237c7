"""Storing records: one row per PMID, the ledger order, first_seen kept on re-store, the write lock."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from litwatch import store
from litwatch.errors import DatabaseBusy
from litwatch.models import AbstractSection, Article, Author, MeshHeading, MeshQualifier, PubDate


def make(pmid: str, title: str = "Ketamine in adolescents", **kw) -> Article:
    return Article(pmid=pmid, title=title, **kw)


def test_articles_round_trip_every_field(db_path):
    a = make(
        "123",
        abstract=(
            AbstractSection("Ten youths.", "METHODS", "METHODS"),
            AbstractSection("Better.", "RESULTS", "RESULTS"),
        ),
        journal="J Child Psych",
        journal_abbrev="J Child Psych",
        volume="12",
        issue="3",
        pages="100-9",
        issn="1234-5678",
        pub_date=PubDate(2019, 11, None, None, "2019 Nov-Dec"),
        authors=(
            Author("Müller", "Anna", "A", affiliation="Clinic"),
            Author(collective_name="KETA Study Group"),
        ),
        doi="10.1/x",
        pmcid="PMC1",
        language=("eng",),
        publication_types=("Journal Article", "Randomized Controlled Trial"),
        mesh=(
            MeshHeading("Ketamine", "D007649", True, (MeshQualifier("adverse effects", "Q000009", True),)),
        ),
        keywords=("esketamine",),
        entrez_date="2026-11-20",
        status="MEDLINE",
    )
    db = store.open_db(db_path)
    with db.atomic():
        assert store.save_articles(db, [a], []) == {"123"}
    got = store.get_stored(db, "123")
    assert got.article == a
    assert got.seq == 1 and got.first_seen and got.updated
    row = db["articles"].get("123")
    assert row["pub_date"] == "2019-11" and row["medline_date"] == "2019 Nov-Dec"
    assert row["author_names"] == "Müller A; KETA Study Group"
    assert "Ketamine/adverse effects" in row["mesh_terms"]


def test_restoring_keeps_first_seen_and_seq_but_updates_content(db_path):
    db = store.open_db(db_path)
    with db.atomic():
        store.save_articles(db, [make("1"), make("2")], [])
    first = store.get_stored(db, "1")
    time.sleep(0.01)
    with db.atomic():
        new = store.save_articles(db, [make("1", title="Corrected title"), make("3")], [])
    assert new == {"3"}
    again = store.get_stored(db, "1")
    assert (again.seq, again.first_seen) == (first.seq, first.first_seen)
    assert again.article.title == "Corrected title" and again.updated > first.updated
    assert [r["pmid"] for r in db.query("select pmid from articles order by seq")] == ["1", "2", "3"]
    assert db["articles"].count == 3
    # the full-text index follows the update
    hits = [
        r["rowid"] for r in db.query("select rowid from articles_fts where articles_fts match 'corrected'")
    ]
    assert len(hits) == 1


def test_a_failed_batch_leaves_nothing_behind(db_path):
    db = store.open_db(db_path)
    with pytest.raises(RuntimeError):
        with db.atomic():
            store.save_articles(db, [make("1")], [])
            raise RuntimeError("crash mid-batch")
    assert db["articles"].count == 0


def _hold_lock(path, ready, release):
    with store.write_lock(path, timeout=0, what="litwatch run"):
        ready.set()
        release.wait(10)


def test_second_writer_waits_then_gets_a_clear_busy_error(db_path):
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(db_path), ready, release))
    holder.start()
    try:
        assert ready.wait(20)
        with pytest.raises(DatabaseBusy, match=r"busy: pid \d+ \(litwatch run") as info:
            with store.write_lock(db_path, timeout=0.3, what="litwatch weekly"):
                pass
        assert info.value.exit_code == 1
    finally:
        release.set()
        holder.join(10)
    # once the holder is gone (or killed), the lock is free again
    with store.write_lock(db_path, timeout=1, what="litwatch run"):
        pass


def test_lock_of_a_killed_process_is_released(db_path):
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(db_path), ready, release))
    holder.start()
    assert ready.wait(20)
    holder.kill()
    holder.join(10)
    with store.write_lock(db_path, timeout=2, what="litwatch run"):
        pass


def test_records_sharing_mesh_headings_and_lists_each_read_back_their_own(db_path):
    """Decoded MeSH headings and lists are shared between rows (issue 7); no record may get another's."""
    ketamine = MeshHeading(
        "Ketamine", "D007649", False, (MeshQualifier("therapeutic use", "Q000627", False),)
    )
    variants = [
        ketamine,
        MeshHeading("Ketamine", "D007649", True, ketamine.qualifiers),
        MeshHeading("Ketamine", "D007649", False, (MeshQualifier("therapeutic use", "Q000627", True),)),
        MeshHeading("Ketamine", "D007649", False),
        MeshHeading("Ketamine", None, False, ketamine.qualifiers),
    ]
    articles = [
        make(str(i), mesh=(v, MeshHeading("Humans")), language=("eng",) if i % 2 else ("eng", "ger"))
        for i, v in enumerate(variants * 2)
    ]
    db = store.open_db(db_path)
    with db.atomic():
        store.save_articles(db, articles, [])
    assert [s.article for s in store.stored_articles(db)] == articles
    assert [store.get_stored(db, a.pmid).article for a in articles] == articles
