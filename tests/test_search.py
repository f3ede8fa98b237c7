"""Searching the saved studies: ranking, filters, snippets, PubMed-like syntax and bad syntax; show and stats."""

from __future__ import annotations

import json

import pytest
from records import classification as cls
from records import keep_hand_labels

from litwatch import store
from litwatch.cli import app
from litwatch.errors import UsageError
from litwatch.models import AbstractSection, Article, Author, MeshHeading, PubDate
from litwatch.search import HL_END, HL_START, Filters, search, to_fts

ARTICLES = [
    (
        Article(
            pmid="1",
            title="Dissociation after repeated ketamine infusions in adolescents",
            abstract=(AbstractSection("Fourteen-year-olds received six infusions.", "METHODS"),),
            pub_date=PubDate(2024),
            authors=(Author("Okafor", "Chidi", "C"),),
        ),
        cls("1", safety=True, design="cohort"),
    ),
    (
        Article(
            pmid="2",
            title="Esketamine nasal spray in youth depression: a randomized trial",
            abstract=(
                AbstractSection("Remission at 12 weeks. Transient dissociation was reported in a few."),
            ),
            pub_date=PubDate(2021),
            mesh=(MeshHeading("Ketamine"),),
        ),
        cls("2", lte=True, safety=True, design="rct"),
    ),
    (
        Article(
            pmid="3",
            title="Maintenance infusions and relapse in treatment-resistant adolescent depression",
            abstract=(AbstractSection("Relapse within six months was lower with maintenance infusions."),),
            pub_date=PubDate(2019),
            keywords=("relapse prevention",),
        ),
        cls("3", lte=True, design="open_label_trial", population="youth_mixed"),
    ),
    (
        Article(
            pmid="4",
            title="Ketamine reduces immobility in adolescent rats",
            abstract=(AbstractSection("Dissociation-like behaviour was not measured in rats."),),
            pub_date=PubDate(2022),
        ),
        cls("4", on_topic=False, design="animal", population="animal"),
    ),
]


@pytest.fixture
def db(db_path):
    database = store.open_db(db_path)
    with database.atomic():
        store.save_articles(database, [a for a, _ in ARTICLES], [c for _, c in ARTICLES])
        run_id = database["runs"].insert({"command": "run", "query": "safety", "status": "ok"}).last_pk
        database["query_hits"].insert({"run_id": run_id, "query": "safety", "pmid": "1", "new": 1})
    keep_hand_labels(database)
    return database


def ids(hits):
    return [h.stored.article.pmid for h in hits]


def test_a_title_match_outranks_a_passing_mention(db):
    assert ids(search(db, "dissociation")) == ["1", "2"]  # rats (off-topic) hidden by default


def test_off_topic_studies_appear_only_with_all(db):
    assert "4" in ids(search(db, "dissociation", Filters(include_all=True)))


@pytest.mark.parametrize(
    "filters, expected",
    [
        (Filters(category="long-term-efficacy"), ["2", "3"]),
        (Filters(category="safety"), ["1", "2"]),
        (Filters(design="rct"), ["2"]),
        (Filters(population="youth_mixed"), ["3"]),
        (Filters(year_from=2020), ["1", "2"]),
        (Filters(year_to=2020), ["3"]),
        (Filters(year_from=2020, year_to=2022), ["2"]),
        (Filters(query="safety"), ["1"]),
    ],
)
def test_every_filter_narrows_the_results(db, filters, expected):
    assert sorted(ids(search(db, "ketamine OR esketamine OR infusions", filters))) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"maintenance infusions"', ["3"]),
        ("relapse AND maintenance", ["3"]),
        ("dissociation NOT esketamine", ["1"]),
        ("esketamine OR relapse", ["2", "3"]),
        ("infus*", ["1", "3"]),
        ("treatment-resistant", ["3"]),
        ("(esketamine OR maintenance) AND remission", ["2"]),
        ("okafor", ["1"]),  # authors are searched
        ("Ketamine", ["1", "2"]),  # the MeSH heading on 2 is searched like the title of 1
    ],
)
def test_pubmed_like_syntax(db, text, expected):
    got = ids(search(db, text))
    assert sorted(got) == sorted(expected)


def test_snippets_highlight_the_matched_words(db):
    [hit] = search(db, "relapse", Filters(category="long-term-efficacy"))
    assert f"{HL_START}Relapse{HL_END}" in hit.snippet or f"{HL_START}relapse{HL_END}" in hit.snippet.lower()


@pytest.mark.parametrize(
    "text, message",
    [
        ('"unclosed phrase', "unbalanced double quote"),
        ("(ketamine OR", "unbalanced"),
        ("ketamine)", "unbalanced"),
        ("AND ketamine", "needs a term"),
        ("ketamine NOT", "ends with an operator"),
        ("", "at least one word"),
        ('""', "empty phrase"),
    ],
)
def test_bad_syntax_is_one_clear_usage_error(db, text, message):
    with pytest.raises(UsageError, match=message):
        search(db, text)


@pytest.mark.parametrize(
    "text", ["col:umn", "NEAR(a b)", "a -b", "^start", "x*y", "title:ketamine", "'; DROP TABLE articles; --"]
)
def test_fts_special_characters_are_literal_never_an_fts_error(db, text):
    search(db, text)  # no exception
    assert db["articles"].count == 4


def test_to_fts_quotes_terms_and_keeps_operators():
    assert to_fts('ketamine "blood pressure" OR dizz*') == '"ketamine" AND "blood pressure" OR "dizz"*'


def test_unknown_filter_values_are_usage_errors(db):
    with pytest.raises(UsageError, match="--design 'trial'"):
        search(db, "ketamine", Filters(design="trial"))
    with pytest.raises(UsageError, match="--category"):
        search(db, "ketamine", Filters(category="efficacy"))


# --- through the CLI: search, show, stats ----------------------------------------------------------------------


def test_cli_search_json_and_table(runner, db):
    out = runner.invoke(app, ["search", "dissociation", "--format", "json"])
    assert out.exit_code == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [d["pmid"] for d in doc] == ["1", "2"]
    assert "**" in doc[0]["snippet"] and doc[0]["rank"] == 1
    table = runner.invoke(app, ["search", "dissociation", "--limit", "1"])
    assert "Dissociation after repeated ketamine" in table.stdout and "Esketamine" not in table.stdout


def test_cli_search_bad_syntax_exit_2_one_line(runner, db):
    out = runner.invoke(app, ["search", '"oops'])
    assert out.exit_code == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "unbalanced double quote" in out.stderr


def test_cli_show_structured_and_unstructured_abstracts(runner, db):
    out = runner.invoke(app, ["show", "1"])
    assert out.exit_code == 0, out.stderr
    assert "METHODS" in out.stdout and "Fourteen-year-olds" in out.stdout
    assert "https://pubmed.ncbi.nlm.nih.gov/1/" in out.stdout and "safety" in out.stdout.lower()
    assert 'abstract: "dissociation"' in out.stdout  # the reason behind the label
    out2 = runner.invoke(app, ["show", "2", "--format", "json"])
    doc = json.loads(out2.stdout)
    assert doc["pmid"] == "2" and doc["abstract_sections"][0]["label"] is None and doc["design"] == "rct"


def test_cli_show_unknown_pmid_exit_1(runner, db):
    out = runner.invoke(app, ["show", "999"])
    assert out.exit_code == 1 and "PMID 999 is not in" in out.stderr


def test_cli_stats_figures(runner, db):
    out = runner.invoke(app, ["stats", "--format", "json"])
    doc = json.loads(out.stdout)
    assert doc["articles"] == 4
    assert doc["categories"] == {"on_topic": 3, "long_term_efficacy": 2, "safety": 2, "off_topic": 1}
    assert doc["per_query"] == {"safety": 1}
    assert doc["per_design"] == {"cohort": 1, "rct": 1, "open_label_trial": 1}
    assert doc["per_year"] == {"2019": 1, "2021": 1, "2024": 1}
    table = runner.invoke(app, ["stats"])
    assert "4 stored articles" in table.stdout and "█" in table.stdout


def test_prefix_search_gives_each_hit_its_own_highlighted_snippet(db):
    snippets = {h.stored.article.pmid: h.snippet for h in search(db, "infus*")}
    assert snippets == {
        "1": f"Dissociation after repeated ketamine {HL_START}infusions{HL_END} in adolescents",
        "3": f"Maintenance {HL_START}infusions{HL_END} and relapse in treatment-resistant adolescent depression",
    }


def broad_corpus(db_path):
    """Five studies that all name ketamine (two in the title) and one that does not."""
    database = store.open_db(db_path)
    rows = [
        ("21", "Ketamine infusions: a case of lasting remission", "One girl.", 2024, "case_report"),
        ("22", "Ketamine versus midazolam in adolescents", "A trial.", 2020, "rct"),
        (
            "23",
            "Rapid-acting treatments in youth depression",
            "Ketamine and others pooled.",
            2019,
            "meta_analysis",
        ),
        ("24", "Infusions for adolescent depression", "Ketamine or saline; cystitis in one.", 2023, "rct"),
        ("25", "Nasal spray for depressed teenagers", "Esketamine, not ketamine, was given.", 2021, "rct"),
        ("26", "Depression screening in schools", "No drug was given.", 2022, "cohort"),
    ]
    articles = [
        Article(pmid=p, title=t, abstract=(AbstractSection(ab),), pub_date=PubDate(y))
        for p, t, ab, y, _ in rows
    ]
    with database.atomic():
        store.save_articles(database, articles, [cls(p, design=d) for p, _, _, _, d in rows])
    keep_hand_labels(database)
    return database


def test_a_word_in_most_studies_ranks_title_matches_then_best_evidence_then_newest(db_path):
    """bm25 gives a word in over half the studies ~no weight: such searches use the digest's order instead."""
    database = broad_corpus(db_path)
    hits = search(database, "ketamine")
    assert ids(hits) == [
        "22",
        "21",
        "23",
        "24",
        "25",
    ]  # titles (rct, case report), then meta-analysis, newest rct
    assert {(h.ranked_by, h.score) for h in hits} == {("evidence", None)}
    assert all(HL_START in h.snippet for h in hits)
    assert ids(search(database, "ketamine", Filters(design="rct"))) == ["22", "24", "25"]
    selective = search(database, "cystitis OR midazolam")  # 2 of 6: ranked by relevance, as before
    assert ids(selective) == ["22", "24"] and {h.ranked_by for h in selective} == {"relevance"}
    assert all(isinstance(h.score, float) for h in selective)


def test_a_broad_search_shows_title_matches_first_even_when_the_page_holds_only_some_of_them(db_path):
    database = broad_corpus(db_path)
    assert ids(search(database, "ketamine", limit=1)) == ["22"]
    assert ids(search(database, "ketamine", limit=3)) == ["22", "21", "23"]  # both titles, then the best rest


def test_one_rarer_word_keeps_relevance_ranking_even_if_the_other_words_are_everywhere(db_path):
    """Broad means every word is common: a rare word's bm25 weight is what puts its studies first."""
    database = broad_corpus(db_path)  # ketamine in 5 of 6, cystitis and midazolam in 1 each
    either = search(database, "ketamine OR cystitis")
    assert ids(either)[0] == "24" and {h.ranked_by for h in either} == {"relevance"}
    assert sorted(ids(either)) == ["21", "22", "23", "24", "25"]
    without = search(database, "ketamine NOT midazolam")
    assert sorted(ids(without)) == ["21", "23", "24", "25"] and {h.ranked_by for h in without} == {
        "relevance"
    }


def test_a_broad_search_with_not_never_shows_a_study_that_has_the_excluded_word_outside_its_title(db_path):
    database = store.open_db(db_path)
    rows = [  # ketamine in all 5, depression in 3: both broad
        ("31", "Ketamine for depression", "Infusions.", "rct"),
        ("32", "Ketamine in adolescents", "Depression improved.", "meta_analysis"),
        ("33", "Infusions in teens", "Ketamine helped.", "rct"),
        ("34", "Ketamine nasal use", "Well tolerated.", "cohort"),
        ("35", "Depression care", "Ketamine and depression.", "rct"),
    ]
    articles = [
        Article(pmid=p, title=t, abstract=(AbstractSection(ab),), pub_date=PubDate(2020))
        for p, t, ab, _ in rows
    ]
    with database.atomic():
        store.save_articles(database, articles, [cls(p, design=d) for p, _, _, d in rows])
    hits = search(database, "ketamine NOT depression")
    assert ids(hits) == ["34", "33"]  # 32 (a meta-analysis with ketamine in its title) names depression
    assert {h.ranked_by for h in hits} == {"evidence"}


def test_cli_says_when_a_search_is_ordered_by_evidence(runner, db_path):
    broad_corpus(db_path)
    doc = json.loads(runner.invoke(app, ["search", "ketamine", "--format", "json"]).stdout)
    assert [(d["pmid"], d["ranked_by"], d["score"]) for d in doc][:2] == [
        ("22", "evidence", None),
        ("21", "evidence", None),
    ]
    table = runner.invoke(app, ["search", "ketamine"]).stdout
    assert "best evidence first, then newest" in " ".join(table.split())
    narrow = runner.invoke(app, ["search", "cystitis"]).stdout
    assert "best evidence first" not in " ".join(narrow.split())


def test_on_topic_studies_are_found_below_hundreds_of_better_matching_off_topic_ones(db_path):
    """Issue 7 regression: ranking kept the best 200 matches before filtering, then had to start again."""
    database = store.open_db(db_path)
    rats = [Article(pmid=f"9{i:03d}", title="Ketamine ketamine ketamine in rats") for i in range(300)]
    youth = [
        Article(pmid="1", title="Depression in adolescents", abstract=(AbstractSection("Ketamine once."),)),
        Article(pmid="2", title="Ketamine for depression in adolescents"),
    ]
    with database.atomic():
        store.save_articles(
            database,
            rats + youth,
            [cls(a.pmid, on_topic=False) for a in rats] + [cls(a.pmid) for a in youth],
        )
    assert ids(search(database, "ketamine")) == ["2", "1"]  # the title match first
    assert ids(search(database, "ketamine", limit=1)) == ["2"]
    assert len(search(database, "ketamine", Filters(include_all=True), limit=50)) == 50
