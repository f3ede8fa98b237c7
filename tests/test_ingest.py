"""Runs of saved queries against a real loopback E-utilities server: backfill, incremental, dedupe, faults."""

from __future__ import annotations

import datetime as dt
import gzip
import random

import pytest
from records import ANIMAL_ABSTRACT, SAFETY_ABSTRACT, article_set, record

from litwatch import ingest, store
from litwatch.entrez import Client
from litwatch.models import SavedQuery

TODAY = dt.date(2026, 11, 23)
A = SavedQuery(name="core", term='"Ketamine"[Mesh] AND adolescen*[tiab]')
B = SavedQuery(name="safety", term="esketamine[tiab] AND adverse[tiab]")


@pytest.fixture
def client(eutils):
    c = Client(eutils.url, email="dev@example.org", tool="litwatch-test", rate_limit=0, sleep=lambda s: None)
    yield c
    c.close()


def add(eutils, pmids, term, edat="2026-11-20", **kw):
    for p in pmids:
        eutils.add_record(p, record(p, edat=edat, **kw), edat=edat, terms=[term])


def run(db, client, queries=(A,), today=TODAY, **kw):
    return ingest.run_queries(db, client, list(queries), today=today, **kw)


def state(db):
    return {r["query"]: r["covered_until"] for r in db.query("select * from query_state")}


def hits(db):
    return {(r["query"], r["pmid"]) for r in db.query("select query, pmid from query_hits")}


def test_first_backfill_stores_every_match_once_and_sets_the_mark(db_path, eutils, client):
    add(eutils, [str(40000000 + i) for i in range(7)], A.term)
    db = store.open_db(db_path)
    [res] = run(db, client)
    assert (res.status, res.count, res.matched, res.new, res.fetched) == ("ok", 7, 7, 7, 7)
    assert db["articles"].count == 7
    assert state(db) == {"core": "2026-11-23"}
    assert len(hits(db)) == 7
    assert db["classifications"].count == 7
    assert res.requests == 2 == len(eutils.requests)  # one esearch, one efetch
    run_row = db["runs"].get(res.run_id)
    assert run_row["status"] == "ok" and run_row["new"] == 7


def test_a_week_later_only_the_new_records_are_downloaded(db_path, eutils, client):
    add(eutils, ["1", "2", "3"], A.term, edat="2026-11-20")
    db = store.open_db(db_path)
    run(db, client)
    eutils.reset_log()
    add(eutils, ["4", "5"], A.term, edat="2026-11-28")
    [res] = run(db, client, today=TODAY + dt.timedelta(days=7))
    assert (res.status, res.new, res.fetched) == ("ok", 2, 2)
    assert sorted(eutils.fetched_pmids()) == ["4", "5"]
    search = [r for r in eutils.requests if r.endpoint == "esearch"][0]
    # the window starts at the previous mark minus the overlap, and uses the Entrez date
    assert search.params["datetype"] == "edat"
    assert search.params["mindate"] == "2026/11/20" and search.params["maxdate"] == "2026/11/30"
    assert db["articles"].count == 5
    assert state(db) == {"core": "2026-11-30"}


def test_a_run_with_nothing_new_makes_one_request_per_query(db_path, eutils, client):
    add(eutils, ["1", "2"], A.term)
    add(eutils, ["3"], B.term)
    db = store.open_db(db_path)
    run(db, client, (A, B))
    eutils.reset_log()
    results = run(db, client, (A, B), today=TODAY + dt.timedelta(days=1))
    assert [r.status for r in results] == ["ok", "ok"]
    assert eutils.count() == 2 and eutils.count("efetch") == 0
    assert [r.new for r in results] == [0, 0]


def test_a_pmid_matched_by_two_queries_is_fetched_once_and_hit_by_both(db_path, eutils, client):
    add(eutils, ["1", "2"], A.term)
    for p in ["2", "3"]:
        eutils.add_record(p, record(p), edat="2026-11-20", terms=[A.term, B.term] if p == "2" else [B.term])
    db = store.open_db(db_path)
    a, b = run(db, client, (A, B))
    assert sorted(eutils.fetched_pmids()) == ["1", "2", "3"]
    assert eutils.count("efetch") == 1  # the union of both queries' new ids, in one batch
    assert hits(db) == {("core", "1"), ("core", "2"), ("safety", "2"), ("safety", "3")}
    assert (a.new, b.new) == (2, 2)
    stored = store.get_stored(db, "2")
    assert stored.queries == ("core", "safety")


def test_overlapping_queries_over_many_batches_download_each_record_once_and_count_it_for_its_first_query(
    db_path, eutils, client
):
    pmids = [str(50000000 + i) for i in range(60)]
    a_only, both, b_only = pmids[:25], pmids[25:45], pmids[45:]
    prior = SavedQuery(name="prior", term="prior[tiab]")  # stored before: hits, but no download
    for p in pmids:
        terms = (
            [A.term] * (p in a_only + both)
            + [B.term] * (p in both + b_only)
            + [prior.term] * (p in pmids[20:30])
        )
        eutils.add_record(p, record(p), edat="2026-11-20", terms=terms)
    db = store.open_db(db_path)
    run(db, client, (prior,))
    eutils.reset_log()
    a, b = run(db, client, (A, B), batch_size=7, parse_worker=True)
    downloaded = eutils.fetched_pmids()
    assert sorted(downloaded) == sorted(set(pmids) - set(pmids[20:30]))  # each once, none already stored
    assert eutils.count() == eutils.count("esearch") + -(-len(downloaded) // 7)  # ceil(new / batch) efetches
    assert (a.matched, b.matched) == (45, 35)
    assert (a.fetched, b.fetched) == (35, 15)  # a record both queries matched counts for the first
    assert (a.new, b.new) == (35, 30)
    assert hits(db) >= {("core", p) for p in a_only + both} | {("safety", p) for p in both + b_only}
    new_flags = {(r["query"], r["pmid"]): r["new"] for r in db.query("select * from query_hits")}
    assert new_flags[("core", pmids[20])] == 0 and new_flags[("core", pmids[19])] == 1
    assert [r.status for r in (a, b)] == ["ok", "ok"] and db["articles"].count == 60


def test_an_esearch_id_that_is_not_a_pmid_fails_that_query_and_the_others_still_run(db_path, eutils, client):
    add(eutils, ["1"], A.term)
    add(eutils, ["2", "x3"], B.term)
    db = store.open_db(db_path)
    good, bad = run(db, client, (A, B))
    assert good.status == "ok" and store.get_stored(db, "1") is not None
    assert bad.status == "failed" and "not a PMID" in bad.error
    assert state(db) == {"core": "2026-11-23"}


def test_refresh_downloads_stored_records_again_without_making_them_new(db_path, eutils, client):
    add(eutils, ["1", "2"], A.term)
    db = store.open_db(db_path)
    run(db, client)
    first_seen = store.get_stored(db, "1").first_seen
    eutils.reset_log()
    [res] = run(db, client, refresh=True)
    assert sorted(eutils.fetched_pmids()) == ["1", "2"]
    assert (res.status, res.new, res.fetched) == ("ok", 0, 2)
    assert store.get_stored(db, "1").first_seen == first_seen


def test_more_than_9999_matches_are_split_by_entrez_date_until_each_part_fits(db_path, eutils, client):
    start = dt.date(2026, 1, 1)
    pmids = [str(30000000 + i) for i in range(10_300)]
    for i, p in enumerate(pmids):
        day = (start + dt.timedelta(days=i % 300)).isoformat()
        eutils.add_record(p, record(p, edat=day), edat=day, terms=[A.term])
    db = store.open_db(db_path)
    q = SavedQuery(name="core", term=A.term, backfill_from=start)
    [res] = run(db, client, (q,), batch_size=2000)
    assert res.status == "ok" and res.count == 10_300
    assert db["articles"].count == 10_300
    searches = [r for r in eutils.requests if r.endpoint == "esearch"]
    assert all(int(r.params.get("retstart", 0)) <= 9998 for r in searches)
    assert len(searches) == 3  # the whole range (too many), then two halves that fit
    assert eutils.count("efetch") == 6  # ceil(10,300 / 2,000)
    assert len(eutils.fetched_pmids()) == len(set(eutils.fetched_pmids())) == 10_300


def test_changing_a_querys_term_starts_a_new_backfill(db_path, eutils, client):
    add(eutils, ["1"], A.term, edat="2020-01-01")
    db = store.open_db(db_path)
    run(db, client, (SavedQuery(name="core", term="old term"),))
    [res] = run(db, client)
    assert res.window_start is None  # no mark for this term: everything is searched
    assert db["articles"].count == 1


def test_import_loads_plain_and_gzip_files_through_the_same_path(db_path, tmp_path):
    plain = tmp_path / "a.xml"
    plain.write_text(article_set(record("11"), record("12", abstract=SAFETY_ABSTRACT)), encoding="utf-8")
    gz = tmp_path / "b.xml.gz"
    gz.write_bytes(gzip.compress(article_set(record("12"), record("13", abstract=ANIMAL_ABSTRACT)).encode()))
    db = store.open_db(db_path)
    res = ingest.import_files(db, [plain, gz], batch_size=1)
    assert (res.files, res.records, res.new) == (2, 4, 3)
    assert db["articles"].count == 3 and db["classifications"].count == 3
    assert [r["status"] for r in db.query("select status from runs where command = 'import'")] == ["ok", "ok"]


# --- faults: nothing lost, nothing doubled -------------------------------------------------------------------


def test_efetch_failing_for_good_keeps_stored_batches_and_the_next_run_fetches_only_the_rest(db_path, eutils):
    add(eutils, [str(i) for i in range(1, 7)], A.term)
    db = store.open_db(db_path)
    flaky = Client(eutils.url, rate_limit=0, sleep=lambda s: None, max_retries=1)
    # the first batch goes through, then the server keeps answering 503
    eutils.fail_next("efetch", "status", code=503, times=10, after=1)
    [res] = run(db, flaky, batch_size=2)
    assert res.status == "failed" and "503" in res.error
    assert db["articles"].count == 2
    first = {r["pmid"] for r in db.query("select pmid from articles")}
    assert state(db) == {}  # the mark did not move
    assert db["runs"].get(res.run_id)["status"] == "failed"
    eutils.reset_log()
    [res2] = run(db, flaky, batch_size=2)
    assert res2.status == "ok"
    assert sorted(eutils.fetched_pmids()) == sorted({"1", "2", "3", "4", "5", "6"} - first)
    assert db["articles"].count == 6 and state(db) == {"core": "2026-11-23"}


@pytest.mark.parametrize("kind", ["truncate", "html", "error200", "drop"])
def test_a_broken_efetch_response_is_fetched_again_never_half_stored(db_path, eutils, client, kind):
    add(eutils, ["1", "2", "3"], A.term)
    eutils.fail_next("efetch", kind)
    db = store.open_db(db_path)
    [res] = run(db, client)
    assert res.status == "ok" and db["articles"].count == 3


def test_an_efetch_missing_records_asks_again_for_exactly_those(db_path, eutils, client):
    add(eutils, ["1", "2", "3"], A.term)
    eutils.fail_next("efetch", "missing", pmids=["2"])
    db = store.open_db(db_path)
    [res] = run(db, client)
    assert res.status == "ok" and db["articles"].count == 3
    assert sorted(eutils.fetched_pmids()) == ["1", "2", "3"]


def test_a_record_that_never_comes_back_fails_the_query_and_keeps_its_mark(db_path, eutils, client):
    add(eutils, ["1", "2"], A.term)
    eutils.fail_next("efetch", "missing", pmids=["2"], times=5)
    db = store.open_db(db_path)
    [res] = run(db, client)
    assert res.status == "failed" and "PMID 2" in res.error
    assert state(db) == {} and db["articles"].count == 1


def test_an_unparseable_record_is_reported_by_pmid_and_the_rest_stored(db_path, eutils, client):
    add(eutils, ["1", "2", "3"], A.term)
    eutils.fail_next("efetch", "badrecord", pmid="2")
    db = store.open_db(db_path)
    [res] = run(db, client)
    assert res.skipped == ["2"] and any("PMID 2" in w for w in res.warnings)
    assert {r["pmid"] for r in db.query("select pmid from articles")} == {"1", "3"}


def test_an_esearch_error_fails_that_query_naming_its_file_and_the_others_still_run(
    db_path, eutils, client, tmp_path
):
    add(eutils, ["1"], A.term)
    bad = SavedQuery(name="broken", term="ketamine[zz]", path=tmp_path / "broken.toml")
    eutils.set_error(bad.term, "Invalid field tag zz")
    db = store.open_db(db_path)
    good, broken = run(db, client, (A, bad))
    assert good.status == "ok"
    assert broken.status == "failed" and "broken.toml" in broken.error and "zz" in broken.error
    assert state(db) == {"core": "2026-11-23"}


def test_a_killed_run_is_closed_as_interrupted_by_the_next(db_path):
    db = store.open_db(db_path)
    db["runs"].insert({"command": "run", "query": "core", "status": "running", "started_at": "x"})
    assert ingest.close_interrupted_runs(db) == 1
    assert db["runs"].get(1)["status"] == "failed" and "interrupted" in db["runs"].get(1)["error"]


def test_any_sequence_of_failing_runs_then_a_clean_one_equals_one_clean_run(tmp_path, eutils):
    """Property-style: random faults on random requests, several runs; the end state equals a clean run's."""
    pmids = [str(50000000 + i) for i in range(40)]
    for i, p in enumerate(pmids):
        term_set = [A.term] if i % 3 else [A.term, B.term]
        eutils.add_record(p, record(p), edat="2026-11-20", terms=term_set)
    clean_db = store.open_db(tmp_path / "clean.db")
    clean = Client(eutils.url, rate_limit=0, sleep=lambda s: None)
    run(clean_db, clean, (A, B), batch_size=7)
    expected = ({r["pmid"] for r in clean_db.query("select pmid from articles")}, hits(clean_db))

    rng = random.Random(20261128)
    kinds = ["status", "drop", "truncate", "html", "error200", "missing"]
    for trial in range(4):
        eutils.reset_log()
        db = store.open_db(tmp_path / f"trial{trial}.db")
        flaky = Client(eutils.url, rate_limit=0, sleep=lambda s: None, max_retries=1)
        for _ in range(rng.randint(1, 3)):
            for _ in range(rng.randint(0, 4)):
                kind = rng.choice(kinds)
                opts = {"code": rng.choice([429, 500, 502, 503])} if kind == "status" else {}
                eutils.fail_next(rng.choice(["esearch", "efetch"]), kind, times=rng.randint(1, 3), **opts)
            run(db, flaky, (A, B), batch_size=7)
        eutils.clear_faults()
        results = run(db, flaky, (A, B), batch_size=7)
        if any(r.status != "ok" for r in results):  # leftover queued faults: one more clean run
            results = run(db, flaky, (A, B), batch_size=7)
        assert [r.status for r in results] == ["ok", "ok"]
        got = ({r["pmid"] for r in db.query("select pmid from articles")}, hits(db))
        assert got == expected
        fetched = eutils.fetched_pmids()
        stored_once = db.execute("select count(*), count(distinct pmid) from articles").fetchone()
        assert stored_once[0] == stored_once[1] == 40
        assert set(fetched) == set(pmids)


def test_a_failing_batch_does_not_hold_back_a_query_whose_records_are_all_stored(db_path, eutils):
    add(eutils, ["1", "2"], A.term)
    db = store.open_db(db_path)
    flaky = Client(eutils.url, rate_limit=0, sleep=lambda s: None, max_retries=0)
    assert [r.status for r in run(db, flaky, (A,))] == ["ok"]
    add(eutils, ["3"], B.term, edat="2026-11-22")
    eutils.fail_next("efetch", "status", code=500, times=5)
    a, b = run(db, flaky, (A, B))
    assert a.status == "ok" and b.status == "failed" and "500" in b.error
    assert state(db) == {"core": "2026-11-23"}


# --- parsing in a second process -----------------------------------------------------------------------------


def _contents(db):
    articles = sorted(
        tuple(r) for r in db.execute("select pmid, title, abstract, authors, mesh from articles")
    )
    labels = sorted(
        tuple(r) for r in db.execute("select pmid, on_topic, safety, design, reasons from classifications")
    )
    return articles, labels, hits(db)


def test_parsing_in_a_worker_process_stores_exactly_what_parsing_here_stores(tmp_path, eutils, client):
    add(eutils, [str(i) for i in range(1, 9)], A.term, abstract=SAFETY_ABSTRACT)
    add(eutils, [str(i) for i in range(9, 13)], B.term, abstract=ANIMAL_ABSTRACT)
    here, worker = store.open_db(tmp_path / "here.db"), store.open_db(tmp_path / "worker.db")
    assert [r.status for r in run(here, client, (A, B), batch_size=3, parse_worker=False)] == ["ok", "ok"]
    assert [r.status for r in run(worker, client, (A, B), batch_size=3, parse_worker=True)] == ["ok", "ok"]
    assert _contents(worker) == _contents(here)
    assert worker["articles"].count == 12


@pytest.mark.parametrize("kind", ["truncate", "badrecord", "missing"])
def test_a_broken_batch_parsed_in_the_worker_is_handled_as_here(db_path, eutils, client, kind):
    add(eutils, [str(i) for i in range(1, 8)], A.term)
    opts = {"pmid": "3"} if kind == "badrecord" else {"pmids": ["3"]} if kind == "missing" else {}
    eutils.fail_next("efetch", kind, after=1, **opts)  # the second of three batches: 4, 3, 2 (newest first)
    db = store.open_db(db_path)
    [res] = run(db, client, batch_size=3, parse_worker=True)
    stored = {r["pmid"] for r in db.query("select pmid from articles")}
    if kind == "badrecord":
        assert res.skipped == ["3"] and stored == {str(i) for i in range(1, 8)} - {"3"}
    else:
        assert res.status == "ok" and stored == {str(i) for i in range(1, 8)}
    assert sorted(set(eutils.fetched_pmids())) == [str(i) for i in range(1, 8)]


def test_a_worker_that_dies_is_replaced_by_parsing_here(caplog):
    import os
    import signal

    from litwatch.parseahead import ParseAhead

    body = article_set(record("71"), record("72")).encode()
    with ParseAhead(True) as parser:
        assert parser.parallel
        assert [a.pmid for a in parser.submit(body)().articles] == ["71", "72"]
        os.kill(parser.pid, signal.SIGKILL)
        got = parser.submit(body)()
        assert [a.pmid for a in got.articles] == ["71", "72"]
        assert not parser.parallel
    assert "parsing in this process from now on" in caplog.text


def test_the_worker_classifies_its_share_exactly_as_this_process_would():
    from litwatch.classify import classify
    from litwatch.parseahead import ParseAhead

    body = article_set(
        record("91", abstract=SAFETY_ABSTRACT), record("92", abstract=ANIMAL_ABSTRACT), record("93")
    ).encode()
    with ParseAhead(True, share=1.0) as everything, ParseAhead(True, share=0.0) as nothing:
        batch = everything.submit(body)()
        assert [c.pmid for c in batch.labels] == ["91", "92", "93"]
        assert list(batch.labels) == [classify(a) for a in batch.articles]
        assert nothing.submit(body)().labels == ()
        assert everything.balancer.there == 3 and nothing.balancer.there == 0


def test_a_label_made_elsewhere_is_used_only_for_its_own_record_and_classifier_version(db_path):
    from dataclasses import replace

    from litwatch.classify import CLASSIFIER_VERSION, classify
    from litwatch.parse import parse_batch

    db = store.open_db(db_path)
    one, two, three = parse_batch(
        article_set(record("1", abstract=SAFETY_ABSTRACT), record("2"), record("3")).encode()
    ).articles
    animal = classify(parse_batch(article_set(record("9", abstract=ANIMAL_ABSTRACT)).encode()).articles[0])
    given = [replace(animal, pmid="1"), animal, replace(classify(three), version="0", design="rct")]
    assert "animal" not in (classify(one).excluded, classify(two).excluded)
    assert classify(three).design != "rct"
    ingest.store_batch(db, [one, two, three], {}, given)
    stored = {r["pmid"]: r for r in db.query("select * from classifications")}
    assert stored["1"]["excluded"] == "animal"  # its own pmid, this classifier: taken as made, not redone
    assert stored["2"]["excluded"] == classify(two).excluded  # another record's label: classified here
    assert stored["3"]["design"] == classify(three).design  # an older classifier's label: classified here
    assert stored["3"]["version"] == CLASSIFIER_VERSION


def test_the_share_the_worker_classifies_moves_towards_whichever_process_waits_less():
    from litwatch.parseahead import Balancer, Work

    b = Balancer(0.2, seconds_per_record=0.001)
    b.update(waited=0.0, work=Work(idle=0.2, classify_seconds=0.1, classified=100), records=500)
    assert b.share > 0.2  # the worker sat idle while this process classified: give it more
    up = b.share
    b.update(waited=0.3, work=Work(idle=0.0, classify_seconds=0.1, classified=100), records=500)
    assert b.share < up  # this process waited for the worker: take some back
    for _ in range(50):
        b.update(waited=5.0, work=Work(idle=0.0, classify_seconds=0.0, classified=0), records=500)
    assert b.share == 0.0
    for _ in range(50):
        b.update(waited=0.0, work=Work(idle=5.0, classify_seconds=0.5, classified=500), records=500)
    assert b.share == 1.0
    fixed = Balancer(0.5, fixed=True)
    fixed.update(waited=1.0, work=Work(idle=0.0, classify_seconds=0.1, classified=100), records=500)
    assert fixed.share == 0.5 and fixed.there == 100


def test_the_worker_reports_a_broken_body_as_a_parse_error_and_goes_on():
    from litwatch.errors import ParseError
    from litwatch.parseahead import ParseAhead

    good = article_set(record("81")).encode()
    with ParseAhead(True) as parser:
        broken, after = parser.submit(good[: len(good) // 2]), parser.submit(good)
        with pytest.raises(ParseError):
            broken()
        assert [a.pmid for a in after().articles] == ["81"]
        assert parser.parallel
