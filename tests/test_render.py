"""Digest renderings: every format shows the same sections, items and links, escaped for its medium."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

import pytest
from rich.console import Console

from litwatch import formats, render
from litwatch.models import Article, Author, Classification, Digest, PubDate, StoredArticle

NASTY = "<script>alert(1)</script> & 5 < 6"
ANSI = re.compile(r"\x1b[\[\]]")


def stored(pmid, title, authors, *, journal, date, design, weeks=None, signals=(), reasons=None, **kw):
    article = Article(
        pmid=pmid,
        title=title,
        journal=journal,
        pub_date=date,
        authors=tuple(Author(last_name=last, initials=ini) for last, ini in authors),
        doi=kw.pop("doi", None),
        pmcid=kw.pop("pmcid", None),
    )
    c = Classification(
        pmid=pmid,
        version="test",
        on_topic=True,
        long_term_efficacy=kw.pop("lte", False),
        safety=kw.pop("safety", False),
        design=design,
        evidence_rank=kw.pop("rank", 3),
        population=kw.pop("population", "adolescent"),
        follow_up_weeks=weeks,
        safety_signals=tuple(signals),
        reasons=reasons or {},
    )
    return StoredArticle(
        article, c, queries=("trd",), first_seen="2026-11-03T10:00:00+00:00", seq=int(pmid) % 100
    )


# A randomised trial with long follow-up and safety signals: in both sections; has DOI (with parentheses) and PMC.
BOTH = stored(
    "40000001",
    "Esketamine nasal spray in adolescents with treatment-resistant depression",
    [("Smith", "JA"), ("Lee", "K"), ("Okafor", "N")],
    journal="Journal of Adolescent Psychiatry",
    date=PubDate(2026, 3, 5),
    design="rct",
    weeks=26,
    signals=("dissociation", "blood_pressure"),
    reasons={
        "long_term_efficacy": ('abstract: "6-month follow-up"',),
        "safety": ('abstract: "transient dissociation"', 'abstract: "blood pressure rose"'),
    },
    doi="10.1000/jap(2026)1",
    pmcid="PMC9900001",
    lte=True,
    safety=True,
    rank=2,
)
# Long-term efficacy only; two authors; markup-ish title; no DOI, no PMC.
CHEEKY = stored(
    "40000002",
    NASTY,
    [("Garcia", "M"), ("Chen", "L")],
    journal="Child Psychiatry & Human Development",
    date=PubDate(2025, medline_date="2025 Nov-Dec"),
    design="open_label_trial",
    weeks=52,
    reasons={"long_term_efficacy": ('title: "one-year outcomes"',)},
    lte=True,
)
# Safety only; a single author.
SAFE = stored(
    "40000003",
    "Bladder symptoms after repeated ketamine in youth",
    [("Nakamura", "T")],
    journal="Paediatric Drugs",
    date=PubDate(2026, 1),
    design="case_series",
    signals=("cystitis",),
    reasons={"safety": ('mesh: "Cystitis/chemically induced"',)},
    safety=True,
)
OTHER = stored(
    "40000004",
    "Ketamine for acute suicidal ideation in adolescents: a pilot",
    [("Brown", "R"), ("White", "S"), ("Green", "T")],
    journal="Crisis",
    date=PubDate(2026, 2, 1),
    design="controlled_trial",
    doi="10.1000/crisis.7",
)
FULL = Digest(
    generated_at="2026-11-08T07:00:00+00:00",
    since="2026-11-01T07:00:00+00:00",
    until="2026-11-08T07:00:00+00:00",
    since_label="last-digest",
    long_term_efficacy=(BOTH, CHEEKY),
    safety=(BOTH, SAFE),
    other_on_topic=(OTHER,),
    excluded={"adult_only": 2, "animal": 4},
)
EMPTY = Digest(
    generated_at="2026-11-15T07:00:00+00:00",
    since="2026-11-08T07:00:00+00:00",
    until="2026-11-15T07:00:00+00:00",
    since_label="last-digest",
)
# Only safety news this week: the other sections must still be there, saying so.
SPARSE = Digest(
    generated_at=FULL.generated_at, since=FULL.since, until=FULL.until, since_label="7d", safety=(SAFE,)
)


def rich_text(d: Digest) -> str:
    console = Console(record=True, width=100, force_terminal=False, no_color=True, file=io.StringIO())
    render.digest_rich(console, d)
    return console.export_text()


def html_text(doc: str) -> str:
    """What a reader of the HTML sees: the text with entities decoded."""
    parts: list[str] = []
    parser = HTMLParser()
    parser.handle_data = parts.append
    parser.feed(doc)
    return " ".join(" ".join(parts).split())


def flat(s: str) -> str:
    return " ".join(s.split())


RENDERERS = {
    "text": formats.digest_text,
    "markdown": formats.digest_markdown,
    "html": lambda d: html_text(formats.digest_html(d)),
    "rich": rich_text,
}
HEADINGS = ["Long-term efficacy (2)", "Safety (2)", "Other new on-topic studies (1)", "Left out (6)"]


def assert_in_order(haystack: str, needles: list[str]) -> None:
    at = -1
    for needle in needles:
        found = haystack.find(needle, at + 1)
        assert found > at, f"{needle!r} missing or out of order"
        at = found


@pytest.mark.parametrize("fmt", RENDERERS)
def test_sections_and_items_come_in_order(fmt):
    out = RENDERERS[fmt](FULL)
    assert out.lstrip("# ").startswith("litwatch digest: 2026-11-01 to 2026-11-08")
    assert_in_order(out, HEADINGS)
    lte, safety, rest = out.split("Safety (2)")[0], *out.split("Safety (2)")[1].split("Other new on-topic")
    assert_in_order(flat(lte), [BOTH.article.title, "Garcia M and Chen L"])
    assert_in_order(flat(safety), [BOTH.article.title, SAFE.article.title])
    assert CHEEKY.article.pmid not in safety and SAFE.article.pmid not in lte
    assert OTHER.article.title in flat(rest)


@pytest.mark.parametrize("fmt", RENDERERS)
def test_every_field_is_shown(fmt):
    out = flat(RENDERERS[fmt](FULL))
    if fmt == "markdown":  # record text is backslash-escaped; check it once unescaped
        out = re.sub(r"\\(.)", r"\1", out)
    for expected in [
        "4 new on-topic studies since last-digest: 2 on long-term efficacy, 2 on safety, 1 other; 6 left out.",
        "Smith JA et al.",
        "Garcia M and Chen L",
        "Nakamura T",
        "Journal of Adolescent Psychiatry",
        "2026 Mar 5",
        "2025 Nov-Dec",
        "randomised controlled trial",
        "open-label trial",
        "case series",
        "adolescents",
        "follow-up 26 weeks (~6 months)",
        "follow-up 52 weeks",
        "dissociation, blood pressure",
        'abstract: "6-month follow-up"',
        'title: "one-year outcomes"',
        'abstract: "transient dissociation"; abstract: "blood pressure rose"',
        'mesh: "Cystitis/chemically induced"',
        "Crisis",
        "Brown R et al.",
        "animal studies: 4, adult-only: 2",
    ]:
        assert expected in out, f"{fmt}: {expected!r} not shown"
    # Why-lines belong to their section: the safety reasons do not appear as the efficacy reason.
    lte = out.split("Safety (2)")[0]
    assert "transient dissociation" not in lte and "6-month follow-up" in lte


LINKS = [
    "https://pubmed.ncbi.nlm.nih.gov/40000001/",
    "https://doi.org/10.1000/jap%282026%291",
    "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC9900001/",
    "https://pubmed.ncbi.nlm.nih.gov/40000002/",
    "https://pubmed.ncbi.nlm.nih.gov/40000003/",
    "https://pubmed.ncbi.nlm.nih.gov/40000004/",
]


@pytest.mark.parametrize(
    "fmt,show",
    [
        ("text", formats.digest_text),
        ("markdown", formats.digest_markdown),
        ("html", formats.digest_html),
        ("rich", rich_text),
    ],
)
def test_links_pubmed_doi_and_pmc_when_known(fmt, show):
    out = show(FULL)
    assert_in_order(out, LINKS)
    # The record without DOI or PMC gets only its PubMed link: exactly one DOI link per section it sits in.
    assert out.count("https://doi.org/") == 2
    assert out.count("/pmc/articles/") == 2


def test_markdown_links_and_escaping():
    md = formats.digest_markdown(FULL)
    assert "[PubMed](https://pubmed.ncbi.nlm.nih.gov/40000001/)" in md
    assert "[DOI](https://doi.org/10.1000/jap%282026%291)" in md
    assert "[PMC](https://www.ncbi.nlm.nih.gov/pmc/articles/PMC9900001/)" in md
    assert "<script>" not in md
    assert r"\<script\>alert\(1\)\</script\> \& 5 \< 6" in md
    assert r"Child Psychiatry \& Human Development" in md
    assert_in_order(md, [f"## {h}" for h in HEADINGS])


def test_markdown_escape_neutralises_emphasis_links_and_lists():
    assert formats.md_escape("*bold* [x](http://evil) _u_") == r"\*bold\* \[x\]\(http://evil\) \_u\_"
    assert formats.md_escape("- not a list") == r"\- not a list"
    assert formats.md_escape("2026. Not a list") == r"2026\. Not a list"


def test_html_is_a_safe_standalone_email_document():
    doc = formats.digest_html(FULL)
    assert doc.startswith("<!DOCTYPE html>") and doc.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in doc
    assert "<script" not in doc.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 5 &lt; 6" in doc
    assert "Child Psychiatry &amp; Human Development" in doc
    assert "<style" not in doc and "<link" not in doc and "<img" not in doc and "<table" not in doc
    assert "class=" not in doc
    anchors = re.findall(r"<a [^>]*>", doc)
    assert len(anchors) == 9 and all('rel="noopener"' in a for a in anchors)
    assert 'href="https://doi.org/10.1000/jap%282026%291"' in doc
    # Headings come through as real heading elements, in order.
    assert [flat(re.sub("<[^>]+>", "", h)) for h in re.findall(r"<h2[^>]*>.*?</h2>", doc)] == HEADINGS


def test_json_has_the_documented_shape():
    doc = json.loads(formats.digest_json(FULL))
    assert set(doc) == {
        "generated_at",
        "since",
        "until",
        "since_label",
        "counts",
        "sections",
        "other_on_topic",
        "excluded",
    }
    assert doc["since"] == FULL.since and doc["since_label"] == "last-digest"
    assert doc["counts"] == {"long_term_efficacy": 2, "safety": 2, "other_on_topic": 1, "excluded": 6}
    assert doc["excluded"] == {"adult_only": 2, "animal": 4}
    assert [i["pmid"] for i in doc["sections"]["long_term_efficacy"]] == ["40000001", "40000002"]
    assert [i["pmid"] for i in doc["sections"]["safety"]] == ["40000001", "40000003"]
    assert [i["pmid"] for i in doc["other_on_topic"]] == ["40000004"]
    first = doc["sections"]["long_term_efficacy"][0]
    assert first == {
        "pmid": "40000001",
        "title": BOTH.article.title,
        "authors": ["Smith JA", "Lee K", "Okafor N"],
        "journal": "Journal of Adolescent Psychiatry",
        "pub_date": "2026-03-05",
        "year": 2026,
        "design": "rct",
        "evidence_rank": 2,
        "population": "adolescent",
        "follow_up_weeks": 26,
        "safety_signals": ["dissociation", "blood_pressure"],
        "reasons": {k: list(v) for k, v in BOTH.classification.reasons.items()},
        "url": "https://pubmed.ncbi.nlm.nih.gov/40000001/",
        "doi": "10.1000/jap(2026)1",
        "doi_url": "https://doi.org/10.1000/jap%282026%291",
        "pmcid": "PMC9900001",
        "pmc_url": "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC9900001/",
        "first_seen": "2026-11-03T10:00:00+00:00",
        "queries": ["trd"],
    }
    cheeky = doc["sections"]["long_term_efficacy"][1]
    assert cheeky["title"] == NASTY and cheeky["pub_date"] == "2025"
    assert cheeky["doi"] is cheeky["doi_url"] is cheeky["pmcid"] is cheeky["pmc_url"] is None


def test_json_keeps_non_ascii_readable():
    accented = stored(
        "40000005", "Kétamine chez l’adolescent", [("Müller", "J")], journal="Encéphale", date=PubDate(2026),
        design="cohort",
    )  # fmt: skip
    out = formats.digest_json(Digest("g", "s", "u", "7d", other_on_topic=(accented,)))
    assert "Kétamine chez l’adolescent" in out and "Müller J" in out
    assert out.startswith('{\n  "generated_at"')  # indent=2


def test_text_is_plain_and_wrapped():
    out = formats.digest_text(FULL)
    assert not ANSI.search(out)
    assert "<script>alert(1)</script> & 5 < 6" in out  # plain text shows the title as the record has it
    long_lines = [line for line in out.splitlines() if len(line) > 78]
    assert all("https://" in line for line in long_lines), long_lines  # only unbreakable URLs may overflow


def test_rich_output_escapes_markup_and_emoji():
    tricky = stored(
        "40000006", "[bold]Not bold[/bold] :warning: ketamine", [("Ng", "A")], journal="J [x]", date=PubDate(2026),
        design="cohort", reasons={"safety": ("[red]tagged[/red]",)}, safety=True,
    )  # fmt: skip
    out = rich_text(Digest("g", FULL.since, FULL.until, "7d", safety=(tricky,)))
    assert "[bold]Not bold[/bold] :warning: ketamine" in out
    assert "J [x]" in out and "[red]tagged[/red]" in out
    assert "https://pubmed.ncbi.nlm.nih.gov/40000006/" in out


def test_rich_links_are_hyperlinks_on_a_terminal():
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="standard")
    render.digest_rich(console, FULL)
    out = console.file.getvalue()
    assert "\x1b]8;" in out and "https://doi.org/10.1000/jap%282026%291" in out


@pytest.mark.parametrize("fmt", RENDERERS)
def test_empty_digest_says_so_plainly(fmt):
    out = flat(RENDERERS[fmt](EMPTY))
    assert out.lstrip("# ").startswith("litwatch digest: 2026-11-08 to 2026-11-15")
    assert "Nothing new since last-digest: no new studies matched the saved queries." in out
    assert "Long-term efficacy" not in out and "Left out" not in out


def test_empty_digest_in_json_still_has_every_key():
    doc = json.loads(formats.digest_json(EMPTY))
    assert doc["counts"] == {"long_term_efficacy": 0, "safety": 0, "other_on_topic": 0, "excluded": 0}
    assert doc["sections"] == {"long_term_efficacy": [], "safety": []} and doc["other_on_topic"] == []


@pytest.mark.parametrize("fmt", RENDERERS)
def test_empty_sections_say_nothing_new(fmt):
    out = RENDERERS[fmt](SPARSE)
    assert_in_order(
        out, ["Long-term efficacy (0)", "Safety (1)", SAFE.article.title, "Other new", "Left out (0)"]
    )
    for heading in ("Long-term efficacy", "Other new on-topic studies", "Left out"):
        # Straight after the heading (past any underline, rule or '#'), the reader sees "Nothing new".
        assert re.search(heading + r" \(0\)\W*Nothing new", out), heading


@pytest.mark.parametrize("fmt", RENDERERS)
def test_only_left_out_studies_still_shows_the_counts(fmt):
    out = flat(RENDERERS[fmt](Digest("g", FULL.since, FULL.until, "7d", excluded={"off_topic": 3})))
    assert "0 new on-topic studies since 7d" in out and "Left out (3)" in out and "off topic: 3" in out


@pytest.mark.parametrize(
    "names,expected",
    [
        ([], ""),
        ([("Smith", "JA")], "Smith JA"),
        ([("Smith", "JA"), ("Lee", "K")], "Smith JA and Lee K"),
        ([("Smith", "JA"), ("Lee", "K"), ("Ng", "A")], "Smith JA et al."),
    ],
)
def test_first_author_et_al(names, expected):
    assert formats.first_author_et_al([Author(last_name=last, initials=i) for last, i in names]) == expected


def test_first_author_et_al_with_a_group_author():
    group = Author(collective_name="Youth Ketamine Study Group")
    assert formats.first_author_et_al([group]) == "Youth Ketamine Study Group"


@pytest.mark.parametrize(
    "fn,code,words",
    [
        (formats.humanize_design, "rct", "randomised controlled trial"),
        (formats.humanize_design, "meta_analysis", "meta-analysis"),
        (formats.humanize_design, "systematic_review", "systematic review"),
        (formats.humanize_design, "brand_new_design", "brand new design"),
        (formats.humanize_signal, "blood_pressure", "blood pressure"),
        (formats.humanize_signal, "dissociation", "dissociation"),
        (formats.humanize_exclusion, "animal", "animal studies"),
        (formats.humanize_exclusion, "adult_only", "adult-only"),
        (formats.humanize_exclusion, "anaesthesia_or_analgesia", "anaesthesia/sedation/analgesia"),
    ],
)
def test_codes_read_as_words(fn, code, words):
    assert fn(code) == words


@pytest.mark.parametrize(
    "weeks,words", [(26, "follow-up 26 weeks (~6 months)"), (1, "follow-up 1 week"), (12.5, "follow-up 12.5 weeks (~3 months)"), (52, "follow-up 52 weeks (~1 year)"), (104, "follow-up 104 weeks (~2 years)"), (8, "follow-up 8 weeks"),
                    (3 / 7, "follow-up 3 days"), (None, "")],
)  # fmt: skip
def test_follow_up_in_words(weeks, words):
    assert formats.humanize_follow_up(weeks) == words


def test_console_for_a_pipe_prints_no_codes(monkeypatch):
    monkeypatch.setattr("sys.stdout", io.StringIO())
    console = render.make_console()
    assert not console.is_terminal
    render.digest_rich(console, FULL)
    out = console.file.getvalue()
    assert BOTH.article.title in out and not ANSI.search(out)


def test_console_honours_no_color_on_a_terminal(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    console = render.make_console(stderr=True, force_terminal=True)
    assert console.is_terminal and console.no_color and console.stderr


def test_progress_is_silent_when_not_a_terminal():
    console = Console(file=io.StringIO(), force_terminal=False)
    with render.progress(console, "Fetching trd") as advance:
        for n in range(3):
            advance("fetch", n + 1, 3)
    assert console.file.getvalue() == ""
    with render.progress(None, "quiet") as advance:  # --quiet passes no console at all
        advance("fetch", 1, 3)


def test_progress_shows_a_bar_on_a_terminal():
    console = Console(file=io.StringIO(), force_terminal=True, width=80)
    with render.progress(console, "Starting") as advance:
        advance("fetch", 2, 3)
        advance("fetch", 3, 3)
    out = console.file.getvalue()
    assert "Downloading records" in out and "3/3" in out
