"""The digest: what is new, in which section, in what order, and the exactly-once ledger between sends."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from records import keep_hand_labels

from litwatch import digest, store
from litwatch.cli import app
from litwatch.errors import UsageError
from litwatch.models import Article, Classification, PubDate

RANKS = {
    "meta_analysis": 1,
    "systematic_review": 2,
    "rct": 3,
    "open_label_trial": 5,
    "cohort": 6,
    "case_report": 8,
}


def cls(pmid, *, lte=False, safety=False, design="cohort", excluded=None, weeks=None, signals=()):
    return Classification(
        pmid=pmid,
        version="test",
        on_topic=excluded is None,
        long_term_efficacy=lte,
        safety=safety,
        design=design,
        evidence_rank=RANKS.get(design, 12),
        population="adolescent",
        follow_up_weeks=weeks,
        safety_signals=tuple(signals),
        excluded=excluded,
        reasons={"long_term_efficacy": ('abstract: "6-month follow-up"',)} if lte else {},
    )


def put(db, *items):
    """items: (pmid, year, Classification)"""
    with db.atomic():
        store.save_articles(
            db,
            [Article(pmid=p, title=f"Study {p}", pub_date=PubDate(year=y, month=1)) for p, y, _ in items],
            [c for _, _, c in items],
        )


@pytest.fixture
def db(db_path):
    return store.open_db(db_path)


def pmids(items):
    return [s.article.pmid for s in items]


def test_sections_hold_the_right_studies_best_evidence_first_then_newest(db):
    put(
        db,
        ("1", 2025, cls("1", lte=True, design="cohort", weeks=26)),
        ("2", 2024, cls("2", lte=True, safety=True, design="rct", weeks=12, signals=["dissociation"])),
        ("3", 2026, cls("3", safety=True, design="case_report", signals=["urological"])),
        ("4", 2023, cls("4", lte=True, design="meta_analysis")),
        ("5", 2026, cls("5", lte=True, design="cohort", weeks=52)),
        ("6", 2026, cls("6", design="open_label_trial")),
        ("7", 2026, cls("7", design="animal", excluded="animal")),
        ("8", 2026, cls("8", design="rct", excluded="adult_only")),
        ("9", 2026, cls("9", design="other", excluded="animal")),
    )
    d = digest.compose(db, "7d")
    assert pmids(d.long_term_efficacy) == [
        "4",
        "2",
        "5",
        "1",
    ]  # meta-analysis, RCT, then cohorts newest first
    assert pmids(d.safety) == ["2", "3"]
    assert pmids(d.other_on_topic) == ["6"]
    assert d.excluded == {"animal": 2, "adult_only": 1}


def test_preview_does_not_move_the_mark_and_mark_sent_does(db):
    put(db, ("1", 2026, cls("1", lte=True)))
    first = digest.compose(db)
    assert pmids(first.long_term_efficacy) == ["1"]
    assert pmids(digest.compose(db).long_term_efficacy) == ["1"]  # previewing again: same content
    digest.mark_sent(db, first, channel="mark-sent")
    assert digest.compose(db).is_empty
    put(db, ("2", 2026, cls("2", safety=True)))
    assert pmids(digest.compose(db).safety) == ["2"]


def test_a_run_between_composing_and_marking_lands_in_the_next_digest(db):
    put(db, ("1", 2026, cls("1", lte=True)))
    composed = digest.compose(db)
    put(db, ("2", 2026, cls("2", lte=True)))  # a run commits while the first digest is being sent
    digest.mark_sent(db, composed, channel="email", recipients=("a@example.org",))
    following = digest.compose(db)
    assert pmids(following.long_term_efficacy) == ["2"]
    digest.mark_sent(db, following, channel="email")
    assert digest.compose(db).is_empty


def test_consecutive_sent_digests_never_skip_or_repeat_a_study(db):
    seen: list[str] = []
    for week in range(5):
        put(
            db,
            *[(f"{week}{i}", 2026, cls(f"{week}{i}", lte=i % 2 == 0, safety=i % 2 == 1)) for i in range(3)],
        )
        d = digest.compose(db)
        seen.extend(sorted(set(pmids(d.long_term_efficacy)) | set(pmids(d.safety))))
        digest.mark_sent(db, d, channel="mark-sent")
    all_pmids = [r["pmid"] for r in db.query("select pmid from articles")]
    assert sorted(seen) == sorted(all_pmids)


def test_an_older_digest_marked_late_never_moves_the_mark_backwards(db):
    put(db, ("1", 2026, cls("1", lte=True)))
    old = digest.compose(db)
    put(db, ("2", 2026, cls("2", lte=True)))
    newer = digest.compose(db)
    digest.mark_sent(db, newer, channel="mark-sent")
    digest.mark_sent(db, old, channel="mark-sent")
    assert digest.compose(db).is_empty


def test_first_digest_covers_seven_days_and_since_accepts_spans_and_dates(db):
    put(db, ("old", 2026, cls("old", lte=True)), ("new", 2026, cls("new", lte=True)))
    long_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=30)).isoformat()
    db.execute("update articles set first_seen = ? where pmid = 'old'", [long_ago])
    assert pmids(digest.compose(db).long_term_efficacy) == ["new"]
    assert set(pmids(digest.compose(db, "60d").long_term_efficacy)) == {"old", "new"}
    assert set(pmids(digest.compose(db, "5w").long_term_efficacy)) == {"old", "new"}
    day = (dt.date.today() - dt.timedelta(days=40)).isoformat()
    assert set(pmids(digest.compose(db, day).long_term_efficacy)) == {"old", "new"}


@pytest.mark.parametrize("bad", ["yesterday", "7", "2026-13-01", "3y"])
def test_bad_since_is_a_usage_error_naming_the_value(db, bad):
    with pytest.raises(UsageError, match=bad) as info:
        digest.compose(db, bad)
    assert info.value.exit_code == 2


def test_since_in_the_future_is_refused(db):
    with pytest.raises(UsageError, match="future"):
        digest.compose(db, (dt.date.today() + dt.timedelta(days=3)).isoformat())


# --- through the command line -------------------------------------------------------------------------------


def test_cli_digest_json_has_the_documented_shape_and_mark_sent_moves_the_mark(runner, db_path):
    db = store.open_db(db_path)
    put(db, ("1", 2026, cls("1", lte=True, safety=True, design="rct", weeks=26, signals=["nausea"])))
    keep_hand_labels(db)
    out = runner.invoke(app, ["digest", "--format", "json"])
    assert out.exit_code == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) >= {"generated_at", "since", "until", "sections", "other_on_topic", "excluded"}
    [item] = doc["sections"]["long_term_efficacy"]
    assert item["pmid"] == "1" and item["design"] == "rct" and item["follow_up_weeks"] == 26
    assert item["safety_signals"] == ["nausea"] and item["url"] == "https://pubmed.ncbi.nlm.nih.gov/1/"
    assert {"title", "authors", "journal", "pub_date", "reasons"} <= set(item)
    assert runner.invoke(app, ["digest", "--format", "json"]).stdout.count('"pmid": "1"') == 2  # still there
    assert runner.invoke(app, ["digest", "--mark-sent", "--format", "text"]).exit_code == 0
    after = json.loads(runner.invoke(app, ["digest", "--format", "json"]).stdout)
    assert after["sections"] == {"long_term_efficacy": [], "safety": []}


def test_cli_digest_writes_every_format_to_a_file(runner, db_path, tmp_path):
    db = store.open_db(db_path)
    put(db, ("1", 2026, cls("1", safety=True, design="case_report", signals=["urological"])))
    keep_hand_labels(db)
    for fmt, marker in [
        ("text", "Safety"),
        ("markdown", "## Safety"),
        ("html", "<html"),
        ("json", '"safety"'),
    ]:
        target = tmp_path / f"digest.{fmt}"
        out = runner.invoke(app, ["digest", "--format", fmt, "--output", str(target)])
        assert out.exit_code == 0, out.stderr
        content = target.read_text(encoding="utf-8")
        assert marker in content and "Study 1" in content


def test_cli_digest_bad_format_is_one_line_exit_2(runner):
    out = runner.invoke(app, ["digest", "--format", "pdf"])
    assert out.exit_code == 2
    assert out.stderr.strip().splitlines() == [
        "Error: --format 'pdf': choose one of rich, text, markdown, html, json"
    ]


def test_the_bundled_sample_gives_the_digest_its_readme_promises(runner):
    """litwatch/sample/README.md labels each invented record; the demo digest must put each where it says."""
    out = runner.invoke(app, ["demo", "--format", "json"])
    assert out.exit_code == 0, out.stderr
    doc = json.loads(out.stdout)
    section = {name: {int(i["pmid"]) - 89000000 for i in items} for name, items in doc["sections"].items()}
    assert section["long_term_efficacy"] == {2, 5, 10, 14, 20, 22}
    assert section["safety"] == {2, 3, 8, 12, 14, 18, 22, 24, 27}
    assert {int(i["pmid"]) - 89000000 for i in doc["other_on_topic"]} == {7, 16, 26, 29}
    assert sum(doc["excluded"].values()) == 14 and doc["excluded"]["animal"] == 2
    ranks = [i["evidence_rank"] for i in doc["sections"]["long_term_efficacy"]]
    assert ranks == sorted(ranks)  # best evidence first


def test_a_large_digest_holds_each_study_exactly_as_show_reads_it(db):
    """The digest reads thousands of rows in one pass (issue 7); each must equal the record read on its own."""
    from litwatch.models import Author, MeshHeading

    items = []
    for i in range(300):
        c = cls(str(i), lte=i % 3 == 0, safety=i % 5 == 0, design=("rct", "cohort", "case_report")[i % 3])
        items.append(
            (str(i), 2000 + i % 27, c if i % 7 else dataclasses.replace(c, on_topic=False, excluded="animal"))
        )
    with db.atomic():
        store.save_articles(
            db,
            [
                Article(
                    pmid=p,
                    title=f"Study {p}",
                    pub_date=PubDate(year=y, month=1 + int(p) % 12),
                    authors=(Author("Okafor", "Chidi", "C"), Author(collective_name=f"Group {int(p) % 4}")),
                    mesh=(MeshHeading("Ketamine", major=int(p) % 2 == 0), MeshHeading("Adolescent")),
                    keywords=("esketamine",) if int(p) % 2 else (),
                )
                for p, y, _ in items
            ],
            [c for _, _, c in items],
        )
    d = digest.compose(db, "7d")
    shown = [*d.long_term_efficacy, *d.safety, *d.other_on_topic]
    assert {s.article.pmid for s in shown} == {p for p, _, c in items if c.on_topic}
    assert all(s == store.get_stored(db, s.article.pmid) for s in shown)
    assert d.excluded == {"animal": sum(not c.on_topic for _, _, c in items)}
