"""article_facets (issue 7): search filters on it, so it must always equal articles joined with classifications."""

from __future__ import annotations

import dataclasses

import pytest
import sqlite_utils
from records import ANIMAL_ABSTRACT, LTE_ABSTRACT, SAFETY_ABSTRACT
from records import classification as label

from litwatch import digest, store
from litwatch.cli import app
from litwatch.ingest import ensure_classified
from litwatch.migrations import migrations
from litwatch.models import AbstractSection, Article, PubDate
from litwatch.search import Filters, search

FACETS_FROM_SOURCE = """SELECT a.rowid, a.pmid, a.pub_year, a.pub_date, c.on_topic, c.long_term_efficacy, c.safety,
    c.design, c.population FROM articles a LEFT JOIN classifications c ON c.pmid = a.pmid ORDER BY a.rowid"""
FACETS = """SELECT rid, pmid, pub_year, pub_date, on_topic, long_term_efficacy, safety, design, population
    FROM article_facets ORDER BY rid"""


def assert_facets_in_step(db):
    assert db.execute(FACETS).fetchall() == db.execute(FACETS_FROM_SOURCE).fetchall()


def art(pmid, title, abstract, year=2024):
    return Article(pmid=pmid, title=title, abstract=(AbstractSection(abstract),), pub_date=PubDate(year, 3))


# The hand labels are the opposite of what the classifier says about these texts, so `reclassify` flips them.
CORPUS = [
    (art("11", "Ketamine for adolescent depression", LTE_ABSTRACT, 2019), label("11", on_topic=False)),
    (art("12", "Esketamine safety in adolescents", SAFETY_ABSTRACT, 2023), label("12", lte=True)),
    (art("13", "Ketamine in adolescent rats", ANIMAL_ABSTRACT, 2021), label("13", safety=True, design="rct")),
]


def fill(db, corpus=CORPUS):
    with db.atomic():
        store.save_articles(db, [a for a, _ in corpus], [c for _, c in corpus])
        run_id = db["runs"].insert({"command": "run", "query": "youth", "status": "ok"}).last_pk
        db["query_hits"].insert_all(
            [{"run_id": run_id, "query": "youth", "pmid": p, "new": 1} for p in ("11", "13")]
        )


def ids(hits):
    return [h.stored.article.pmid for h in hits]


@pytest.fixture
def db(db_path):
    database = store.open_db(db_path)
    fill(database)
    return database


def test_facets_follow_every_store_write(db):
    assert_facets_in_step(db)
    assert ids(search(db, "adolescent*", Filters(design="rct"))) == ["13"]
    with db.atomic():  # a re-fetched record with a corrected year, and a new record without a label yet
        store.save_articles(
            db, [dataclasses.replace(CORPUS[2][0], pub_date=PubDate(2025)), art("14", "x", "y")], []
        )
    assert_facets_in_step(db)
    assert ids(search(db, "rats", Filters(year_from=2025))) == ["13"]
    assert search(db, "rats", Filters(year_to=2024)) == []
    assert ids(search(db, "x", Filters(include_all=True))) == ["14"]  # unclassified: shown only with --all
    assert search(db, "x") == []


def test_reclassify_moves_studies_in_and_out_of_search_results(runner, db, db_path):
    assert set(ids(search(db, "ketamine OR esketamine"))) == {"12", "13"}
    assert ids(search(db, "ketamine OR esketamine", Filters(category="safety"))) == ["13"]
    out = runner.invoke(app, ["reclassify"])
    assert out.exit_code == 0, out.stderr
    db = store.open_db(db_path)
    assert_facets_in_step(db)
    assert set(ids(search(db, "ketamine OR esketamine"))) == {"11", "12"}  # the rats study is now excluded
    assert ids(search(db, "ketamine OR esketamine", Filters(category="safety"))) == ["12"]
    assert ids(search(db, "ketamine OR esketamine", Filters(category="long-term-efficacy"))) == ["11"]


def test_deleting_a_record_or_its_label_leaves_no_stale_facet(db):
    with db.atomic():
        db.execute("DELETE FROM classifications WHERE pmid = '12'")
        db.execute("DELETE FROM query_hits WHERE pmid = '11'")
        db.execute("DELETE FROM classifications WHERE pmid = '11'")
        db.execute("DELETE FROM articles WHERE pmid = '11'")
    assert_facets_in_step(db)
    assert search(db, "esketamine") == []  # unlabelled now: hidden by default
    assert ids(search(db, "esketamine", Filters(include_all=True))) == ["12"]


def test_a_database_at_m001_with_records_upgrades_and_searches_and_digests_the_same(tmp_path):
    old_path, fresh_path = tmp_path / "old.db", tmp_path / "fresh.db"
    old = sqlite_utils.Database(old_path)
    migrations.apply(old, stop_before="m002_article_facets")
    assert "article_facets" not in old.table_names()
    fill(old)
    old.close()
    upgraded, fresh = store.open_db(old_path), store.open_db(fresh_path)
    fill(fresh)
    assert_facets_in_step(upgraded)
    for text, filters in [
        ("ketamine OR esketamine", Filters()),
        ("adolesc*", Filters(include_all=True)),
        ("adolescent", Filters(category="safety")),
        ("adolescent", Filters(design="rct", year_from=2020)),
        ("adolescent", Filters(query="youth", include_all=True)),
    ]:
        got, want = search(upgraded, text, filters), search(fresh, text, filters)
        assert got and [(h.stored.article, h.score, h.snippet) for h in got] == [
            (h.stored.article, h.score, h.snippet) for h in want
        ]
    got, want = digest.compose(upgraded, "7d"), digest.compose(fresh, "7d")

    def content(d):  # everything but the timestamps of storage
        sections = (d.long_term_efficacy, d.safety, d.other_on_topic)
        return [
            [(s.article, s.classification, s.queries, s.seq) for s in items] for items in sections
        ], d.excluded

    assert content(got) == content(want) and got.excluded == {"animal": 1}


def test_a_database_at_m002_gets_publication_dates_on_its_facets(tmp_path):
    """m003 adds pub_date (broad searches sort by it) to existing rows, and its triggers keep it current."""
    path = tmp_path / "m002.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m003_facets_pub_date")
    fill(old)
    assert "pub_date" not in old["article_facets"].columns_dict
    old.close()
    db = store.open_db(path)
    assert_facets_in_step(db)
    assert db.execute("SELECT pub_date FROM article_facets WHERE pmid = '12'").fetchone() == ("2023-03",)
    with db.atomic():
        store.save_articles(db, [dataclasses.replace(CORPUS[1][0], pub_date=PubDate(2024, 7, 9))], [])
    assert db.execute("SELECT pub_date FROM article_facets WHERE pmid = '12'").fetchone() == ("2024-07-09",)
    assert_facets_in_step(db)


def test_ensure_classified_keeps_facets_in_step(db):
    assert ensure_classified(db, force=True) == 3
    assert_facets_in_step(db)
    assert db.execute("SELECT pmid FROM article_facets WHERE on_topic = 0").fetchall() == [("13",)]
